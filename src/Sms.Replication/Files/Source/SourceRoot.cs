using Sms.Files.Native;

namespace Sms.Files.Source;

/// <summary>The source directory of a pass: resolved (a symbolic link as the root itself is followed) and checked.</summary>
internal sealed record SourceRoot(string FullPath, string RawPrefix)
{
    /// <summary>Whether the source is the live root of a system.</summary>
    public bool IsSystemRoot => RawPrefix.Length == 0;

    /// <exception cref="SmsException">The path is not a directory.</exception>
    public static SourceRoot Resolve(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        try
        {
            var info = new DirectoryInfo(full);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
            {
                full = target.FullName;
            }

            if (!Directory.Exists(full))
            {
                throw new SmsException(SmsErrorCode.SourceReadFailed, $"The source '{path}' is not a directory.");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SmsException(SmsErrorCode.SourceReadFailed, $"The source '{path}' cannot be read: {ex.Message}", ex);
        }

        var trimmed = full.Length > 1 ? full.TrimEnd('/') : full;
        return new SourceRoot(trimmed, trimmed == "/" ? string.Empty : RawPath.FromText(trimmed));
    }

    /// <summary>The path of <paramref name="directory"/> relative to the root, when it lies inside it.</summary>
    public string? RelativeInside(string directory)
    {
        var full = System.IO.Path.GetFullPath(directory).TrimEnd('/');
        var root = FullPath == "/" ? string.Empty : FullPath;
        return full.StartsWith(root + "/", StringComparison.Ordinal) ? RawPath.FromText(full[(root.Length + 1)..]) : null;
    }
}
