using System.Text;

namespace Sms.Cloud.Huawei.Signing;

/// <summary>Builds the canonical headers block and the signed headers list.</summary>
internal static class HuaweiCanonicalHeaders
{
    /// <summary>
    /// Lower-cases and sorts the header names (ordinal), trims the values and sorts the values of a
    /// repeated header. <c>content-type</c>, <c>authorization</c> and names containing <c>_</c> are not signed.
    /// </summary>
    /// <returns>The block (one <c>name:value</c> line per value, each ending in <c>\n</c>) and the <c>;</c>-joined names.</returns>
    public static (string Block, string SignedHeaders) Build(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var byName = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> header in headers)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(header.Key, nameof(headers));
            string name = header.Key.Trim().ToLowerInvariant();
            if (!IsSignable(name))
            {
                continue;
            }

            if (!byName.TryGetValue(name, out List<string>? values))
            {
                values = [];
                byName.Add(name, values);
            }

            values.Add((header.Value ?? string.Empty).Trim());
        }

        var block = new StringBuilder();
        foreach ((string name, List<string> values) in byName)
        {
            values.Sort(StringComparer.Ordinal);
            foreach (string value in values)
            {
                block.Append(name).Append(':').Append(value).Append('\n');
            }
        }

        return (block.ToString(), string.Join(';', byName.Keys));
    }

    private static bool IsSignable(string lowerName) =>
        lowerName is not ("content-type" or "authorization") && !lowerName.Contains('_', StringComparison.Ordinal);
}
