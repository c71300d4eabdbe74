using System.Text.Json.Nodes;

namespace Sms.Cloud.Tests.Huawei.Support;

/// <summary>Compares JSON documents by value: the order of object members does not matter, that of arrays does.</summary>
internal static class JsonAssert
{
    public static void Equivalent(string expected, string? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(Normalize(JsonNode.Parse(expected)), Normalize(JsonNode.Parse(actual)));
    }

    private static string Normalize(JsonNode? node) => Sort(node)?.ToJsonString() ?? "null";

    private static JsonNode? Sort(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sort(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Sort).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };
}
