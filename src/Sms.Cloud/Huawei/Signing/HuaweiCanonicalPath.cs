using System.Text;

namespace Sms.Cloud.Huawei.Signing;

/// <summary>Builds the canonical URI line of the canonical request.</summary>
internal static class HuaweiCanonicalPath
{
    /// <summary>
    /// Splits the escaped path on <c>/</c>, decodes and re-encodes each segment, and makes the
    /// result end with <c>/</c> (<c>/v1/abc/cloudservers</c> becomes <c>/v1/abc/cloudservers/</c>).
    /// </summary>
    /// <param name="escapedPath">The path as sent on the wire, for example <see cref="Uri.AbsolutePath"/>.</param>
    public static string Build(string escapedPath)
    {
        var builder = new StringBuilder(escapedPath.Length + 1);
        ReadOnlySpan<char> remaining = escapedPath;
        while (true)
        {
            int slash = remaining.IndexOf('/');
            ReadOnlySpan<char> segment = slash < 0 ? remaining : remaining[..slash];
            HuaweiPercentEncoding.Append(builder, HuaweiPercentEncoding.Decode(segment, plusIsSpace: false));
            if (slash < 0)
            {
                break;
            }

            builder.Append('/');
            remaining = remaining[(slash + 1)..];
        }

        if (builder.Length == 0 || builder[^1] != '/')
        {
            builder.Append('/');
        }

        return builder.ToString();
    }
}
