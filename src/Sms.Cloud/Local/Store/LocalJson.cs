using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sms.Cloud.Local.Store;

/// <summary>The JSON columns of the store: metadata, operation entities and scratch files, operation results.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(CloudServer))]
[JsonSerializable(typeof(CloudVolume))]
[JsonSerializable(typeof(CloudSnapshot))]
[JsonSerializable(typeof(CloudImage))]
internal sealed partial class LocalJson : JsonSerializerContext
{
    /// <summary>Writes a string map.</summary>
    public static string Write(IReadOnlyDictionary<string, string> map)
        => JsonSerializer.Serialize(new Dictionary<string, string>(map, StringComparer.Ordinal), Default.DictionaryStringString);

    /// <summary>Writes a list of strings.</summary>
    public static string Write(IEnumerable<string> list) => JsonSerializer.Serialize([.. list], Default.ListString);

    /// <summary>Reads a string map (empty for none).</summary>
    public static Dictionary<string, string> ReadMap(string? json)
        => string.IsNullOrEmpty(json) ? new(StringComparer.Ordinal) : JsonSerializer.Deserialize(json, Default.DictionaryStringString) ?? new(StringComparer.Ordinal);

    /// <summary>Reads a list of strings.</summary>
    public static List<string> ReadList(string? json)
        => string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize(json, Default.ListString) ?? [];
}
