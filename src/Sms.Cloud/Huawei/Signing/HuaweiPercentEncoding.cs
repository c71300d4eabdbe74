using System.Buffers;
using System.Text;

namespace Sms.Cloud.Huawei.Signing;

/// <summary>
/// Percent-encoding used by the canonical request: every byte of the UTF-8 form outside
/// <c>A-Z a-z 0-9 - _ . ~</c> becomes <c>%XX</c> with uppercase hex; space is <c>%20</c>.
/// </summary>
internal static class HuaweiPercentEncoding
{
    private const string UpperHex = "0123456789ABCDEF";

    /// <summary>Encodes the UTF-8 form of <paramref name="value"/>.</summary>
    public static string Encode(string value)
    {
        var builder = new StringBuilder(value.Length);
        Append(builder, Encoding.UTF8.GetBytes(value));
        return builder.ToString();
    }

    /// <summary>Appends the encoded form of <paramref name="utf8"/> to <paramref name="builder"/>.</summary>
    public static void Append(StringBuilder builder, ReadOnlySpan<byte> utf8)
    {
        foreach (byte b in utf8)
        {
            if (IsUnreserved(b))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(UpperHex[b >> 4]).Append(UpperHex[b & 0xF]);
            }
        }
    }

    /// <summary>
    /// Decodes <c>%XX</c> escapes to raw bytes and every other character to its UTF-8 form.
    /// A malformed escape is kept literally.
    /// </summary>
    /// <param name="value">Escaped text, as found in a URI.</param>
    /// <param name="plusIsSpace"><see langword="true"/> to decode <c>+</c> as a space (query strings).</param>
    public static byte[] Decode(ReadOnlySpan<char> value, bool plusIsSpace)
    {
        if (value.IsEmpty)
        {
            return [];
        }

        var output = new ArrayBufferWriter<byte>(value.Length);
        int runStart = 0;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c == '%' && i + 2 < value.Length && TryHex(value[i + 1], value[i + 2], out byte escaped))
            {
                Flush(output, value[runStart..i]);
                output.GetSpan(1)[0] = escaped;
                output.Advance(1);
                i += 2;
                runStart = i + 1;
            }
            else if (c == '+' && plusIsSpace)
            {
                Flush(output, value[runStart..i]);
                output.GetSpan(1)[0] = (byte)' ';
                output.Advance(1);
                runStart = i + 1;
            }
        }

        Flush(output, value[runStart..]);
        return output.WrittenSpan.ToArray();
    }

    private static void Flush(ArrayBufferWriter<byte> output, ReadOnlySpan<char> literal)
    {
        if (!literal.IsEmpty)
        {
            Encoding.UTF8.GetBytes(literal, output);
        }
    }

    private static bool TryHex(char high, char low, out byte value)
    {
        int h = HexValue(high);
        int l = HexValue(low);
        value = (byte)((h << 4) | l);
        return h >= 0 && l >= 0;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'F' => c - 'A' + 10,
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };

    private static bool IsUnreserved(byte b) =>
        b is (>= (byte)'A' and <= (byte)'Z')
            or (>= (byte)'a' and <= (byte)'z')
            or (>= (byte)'0' and <= (byte)'9')
            or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~';
}
