using System.Runtime.CompilerServices;
using System.Text;

namespace Sms.Files.Native;

/// <summary>
/// Paths as raw bytes held one byte per char (Latin-1), so that any Linux file name survives unchanged, compares by
/// byte order, and converts back to the exact bytes. Only messages decode them as UTF-8.
/// </summary>
internal static class RawPath
{
    /// <summary>The longest path the kernel accepts, without its NUL.</summary>
    public const int MaxLength = 4095;

    /// <summary>The longest file name.</summary>
    public const int MaxNameLength = 255;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string FromBytes(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>The raw form of user text (UTF-8 bytes).</summary>
    public static string FromText(string text) => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(text));

    /// <summary>Writes the bytes of a raw path into <paramref name="destination"/>; returns the byte count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int GetBytes(ReadOnlySpan<char> path, Span<byte> destination) => Encoding.Latin1.GetBytes(path, destination);

    /// <summary>The bytes of a raw path.</summary>
    public static byte[] ToBytes(string path) => Encoding.Latin1.GetBytes(path);

    /// <summary>Writes the path and a NUL terminator; returns the length without the NUL.</summary>
    /// <exception cref="Sms.SmsException">The path is too long for Linux.</exception>
    public static int WriteNullTerminated(ReadOnlySpan<char> path, Span<byte> destination)
    {
        if (path.Length >= destination.Length)
        {
            throw new SmsException(SmsErrorCode.InvalidName, $"Path '{Display(path)}' is longer than Linux allows.");
        }

        var n = Encoding.Latin1.GetBytes(path, destination);
        destination[n] = 0;
        return n;
    }

    /// <summary>The path for messages: its bytes decoded as UTF-8, control characters escaped, long ones shortened.</summary>
    public static string Display(ReadOnlySpan<char> path)
    {
        Span<byte> bytes = path.Length <= 1024 ? stackalloc byte[path.Length] : new byte[path.Length];
        Encoding.Latin1.GetBytes(path, bytes);
        return DisplayBytes(bytes);
    }

    /// <summary>Raw bytes for messages.</summary>
    public static string DisplayBytes(ReadOnlySpan<byte> bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var builder = new StringBuilder(Math.Min(text.Length, 200));
        foreach (var c in text)
        {
            if (builder.Length >= 200)
            {
                builder.Append("...");
                break;
            }

            if (char.IsControl(c))
            {
                builder.Append(c == '\0' ? "\\0" : $"\\x{(int)c:x2}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>The parent of a relative path ("" for a top-level entry).</summary>
    public static string ParentOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? string.Empty : path[..slash];
    }

    /// <summary>The last component.</summary>
    public static ReadOnlySpan<char> NameOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? path : path.AsSpan(slash + 1);
    }

    public static string Combine(string parent, ReadOnlySpan<char> name)
        => parent.Length == 0 ? new string(name) : string.Concat(parent, "/", name);

    /// <summary>The number of components ("" has none).</summary>
    public static int Depth(string path)
    {
        if (path.Length == 0)
        {
            return 0;
        }

        var depth = 1;
        foreach (var c in path)
        {
            if (c == '/')
            {
                depth++;
            }
        }

        return depth;
    }
}
