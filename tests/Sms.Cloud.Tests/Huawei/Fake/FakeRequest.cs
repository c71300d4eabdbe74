using System.Text.Json.Nodes;

namespace Sms.Cloud.Tests.Huawei.Fake;

/// <summary>One request as the fake received it (before any fault injection or routing).</summary>
/// <param name="Service">The service whose port it arrived on (ecs, evs, vpc, ims).</param>
/// <param name="Method">The method.</param>
/// <param name="Path">The raw path.</param>
/// <param name="Query">The raw query, with its <c>?</c>, or empty.</param>
/// <param name="Headers">The headers (names case-insensitive; repeated values joined by ", ").</param>
/// <param name="Body">The body bytes as UTF-8 text.</param>
/// <param name="SignatureValid">Whether the signature verified.</param>
internal sealed record FakeRequest(
    string Service,
    string Method,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    bool SignatureValid)
{
    public JsonNode? Json => Body.Length == 0 ? null : JsonNode.Parse(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;

    public override string ToString() => $"{Service} {Method} {Path}{Query}";
}
