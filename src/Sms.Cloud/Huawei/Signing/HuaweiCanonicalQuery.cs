using System.Text;

namespace Sms.Cloud.Huawei.Signing;

/// <summary>Builds the canonical query string line of the canonical request.</summary>
/// <remarks>
/// Pairs are ordered by the UTF-8 bytes of the decoded key, then of the decoded value (the order of
/// Go's <c>sort.Strings</c> in the official signer); repeated keys stay as separate pairs; a key without
/// <c>=</c> has an empty value; key and value are percent-encoded and joined as <c>k=v</c> with <c>&amp;</c>.
/// </remarks>
internal static class HuaweiCanonicalQuery
{
    /// <summary>Canonicalises an escaped query string, with or without its leading <c>?</c>.</summary>
    /// <param name="escapedQuery">The query as sent on the wire, for example <see cref="Uri.Query"/>.
    /// <c>+</c> is read as a space, as form decoding on the server does.</param>
    public static string Build(string escapedQuery)
    {
        ReadOnlySpan<char> remaining = escapedQuery.AsSpan();
        if (remaining.StartsWith('?'))
        {
            remaining = remaining[1..];
        }

        var pairs = new List<(byte[] Key, byte[] Value)>();
        while (!remaining.IsEmpty)
        {
            int amp = remaining.IndexOf('&');
            ReadOnlySpan<char> pair = amp < 0 ? remaining : remaining[..amp];
            remaining = amp < 0 ? [] : remaining[(amp + 1)..];
            if (pair.IsEmpty)
            {
                continue;
            }

            int eq = pair.IndexOf('=');
            ReadOnlySpan<char> key = eq < 0 ? pair : pair[..eq];
            ReadOnlySpan<char> value = eq < 0 ? [] : pair[(eq + 1)..];
            pairs.Add((HuaweiPercentEncoding.Decode(key, plusIsSpace: true), HuaweiPercentEncoding.Decode(value, plusIsSpace: true)));
        }

        return Build(pairs);
    }

    /// <summary>Canonicalises decoded query parameters; their order does not matter.</summary>
    public static string Build(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var pairs = new List<(byte[] Key, byte[] Value)>();
        foreach (KeyValuePair<string, string> parameter in parameters)
        {
            pairs.Add((Encoding.UTF8.GetBytes(parameter.Key), Encoding.UTF8.GetBytes(parameter.Value ?? string.Empty)));
        }

        return Build(pairs);
    }

    private static string Build(List<(byte[] Key, byte[] Value)> pairs)
    {
        pairs.Sort(static (a, b) =>
        {
            int byKey = a.Key.AsSpan().SequenceCompareTo(b.Key);
            return byKey != 0 ? byKey : a.Value.AsSpan().SequenceCompareTo(b.Value);
        });

        var builder = new StringBuilder();
        foreach ((byte[] key, byte[] value) in pairs)
        {
            if (builder.Length > 0)
            {
                builder.Append('&');
            }

            HuaweiPercentEncoding.Append(builder, key);
            builder.Append('=');
            HuaweiPercentEncoding.Append(builder, value);
        }

        return builder.ToString();
    }
}
