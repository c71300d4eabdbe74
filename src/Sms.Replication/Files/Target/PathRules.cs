using System.Runtime.CompilerServices;
using Sms.Files.Native;

namespace Sms.Files.Target;

/// <summary>
/// What a path from the source may look like: relative, components separated by single slashes, no <c>.</c> or
/// <c>..</c>, no NUL, each component at most 255 bytes, the whole at most 4095. This is the first line of defence;
/// the second is that the receiver resolves every directory component itself without following symbolic links.
/// </summary>
internal static class PathRules
{
    /// <summary>Checks a path; returns why it is refused, or <see langword="null"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string? Check(ReadOnlySpan<byte> path, bool allowRoot)
    {
        if (path.IsEmpty)
        {
            return allowRoot ? null : "it is empty";
        }

        if (path.Length > RawPath.MaxLength)
        {
            return "it is longer than Linux allows";
        }

        if (path[0] == (byte)'/')
        {
            return "it is absolute";
        }

        if (path.Contains((byte)0))
        {
            return "it contains a NUL byte";
        }

        var rest = path;
        while (true)
        {
            var slash = rest.IndexOf((byte)'/');
            var component = slash < 0 ? rest : rest[..slash];
            if (component.IsEmpty)
            {
                return "it has an empty component";
            }

            if (component.SequenceEqual("."u8) || component.SequenceEqual(".."u8))
            {
                return "it has a '.' or '..' component";
            }

            if (component.Length > RawPath.MaxNameLength)
            {
                return "a component is longer than 255 bytes";
            }

            if (slash < 0)
            {
                return null;
            }

            rest = rest[(slash + 1)..];
        }
    }

    /// <summary>Checks a path and returns it as a raw string.</summary>
    /// <exception cref="ReplicationProtocolException">The path is refused (<see cref="SmsErrorCode.InvalidName"/>).</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Validate(ReadOnlySpan<byte> path, bool allowRoot = false)
    {
        if (Check(path, allowRoot) is { } why)
        {
            throw Refused(path, why);
        }

        return RawPath.FromBytes(path);
    }

    public static ReplicationProtocolException Refused(ReadOnlySpan<byte> path, string why)
        => new(SmsErrorCode.InvalidName, $"Refused path '{RawPath.DisplayBytes(path)}': {why}; nothing outside the files root is ever written.");
}
