using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sms.Discovery;

/// <summary>The stable JSON form of <see cref="SourceInventory"/> (camelCase, enums as strings, codes as "SMS.xxxx").</summary>
public static partial class InventoryJson
{
    /// <summary>Serialises an inventory.</summary>
    /// <param name="inventory">The inventory.</param>
    /// <param name="indented">Whether to indent.</param>
    /// <returns>The JSON text.</returns>
    public static string Serialize(SourceInventory inventory, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var context = indented ? Indented : InventoryJsonContext.Default;
        return JsonSerializer.Serialize(inventory, context.SourceInventory);
    }

    /// <summary>Reads an inventory back.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The inventory.</returns>
    /// <exception cref="JsonException">The text is not an inventory.</exception>
    public static SourceInventory Deserialize(string json)
        => JsonSerializer.Deserialize(json, InventoryJsonContext.Default.SourceInventory) ?? throw new JsonException("Empty inventory.");

    private static readonly InventoryJsonContext Indented = new(new JsonSerializerOptions(InventoryJsonContext.Default.Options) { WriteIndented = true });

    private sealed class ErrorCodeConverter : JsonConverter<SmsErrorCode>
    {
        public override SmsErrorCode Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            => new(reader.GetString() ?? string.Empty);

        public override void Write(Utf8JsonWriter writer, SmsErrorCode value, JsonSerializerOptions options)
            => writer.WriteStringValue(value.Value);
    }

    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        UseStringEnumConverter = true,
        Converters = [typeof(ErrorCodeConverter)])]
    [JsonSerializable(typeof(SourceInventory))]
    private sealed partial class InventoryJsonContext : JsonSerializerContext;
}
