namespace Sms.Files;

/// <summary>The kind of a file-system entry, as <c>st_mode</c> tells it.</summary>
public enum FileKind : byte
{
    /// <summary>Not known (an entry found on the target that the source never sent, say).</summary>
    Unknown = 0,

    /// <summary>A directory.</summary>
    Directory = 1,

    /// <summary>A regular file.</summary>
    Regular = 2,

    /// <summary>A symbolic link, copied verbatim and never followed.</summary>
    Symlink = 3,

    /// <summary>A named pipe.</summary>
    Fifo = 4,

    /// <summary>A character device node (created only when the receiver runs as root).</summary>
    CharacterDevice = 5,

    /// <summary>A block device node (created only when the receiver runs as root).</summary>
    BlockDevice = 6,

    /// <summary>A Unix socket node.</summary>
    Socket = 7,
}
