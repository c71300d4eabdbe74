using System.Globalization;
using System.Text.Json;

namespace Sms.Cloud.Huawei.Http;

/// <summary>
/// The provider's code and message from an error body, whichever of the shapes Huawei services use:
/// <c>{"error": {"code", "message"}}</c> (ECS, EVS), <c>{"error_code", "error_msg"}</c> (API gateway, IMS, VPC),
/// <c>{"code", "message"}</c> (a failed job query) or Nova/Cinder style <c>{"itemNotFound": {"code", "message"}}</c>.
/// </summary>
internal readonly record struct HuaweiErrorBody(string? Code, string? Message)
{
    public static HuaweiErrorBody Parse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return default;
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return default;
            }

            if (root.TryGetProperty("error", out JsonElement error) && error.ValueKind == JsonValueKind.Object)
            {
                return new(Text(error, "code"), Text(error, "message"));
            }

            if (root.TryGetProperty("error_code", out _) || root.TryGetProperty("error_msg", out _))
            {
                return new(Text(root, "error_code"), Text(root, "error_msg"));
            }

            if (root.TryGetProperty("code", out _) || root.TryGetProperty("message", out _))
            {
                return new(Text(root, "code"), Text(root, "message"));
            }

            // Nova/Cinder: one wrapper object named after the fault.
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("message", out _))
                {
                    // Its "code" repeats the HTTP status; the fault name (itemNotFound, badRequest…) says more.
                    return new(property.Name, Text(property.Value, "message"));
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (a gateway's HTML page, say): no code, no message.
        }

        return default;
    }

    private static string? Text(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out JsonElement value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => value.GetRawText(),
        } is { Length: > 0 } text ? Truncate(text) : null;
    }

    private static string Truncate(string text) =>
        text.Length <= 1024 ? text : string.Create(CultureInfo.InvariantCulture, $"{text.AsSpan(0, 1024)}…");
}
