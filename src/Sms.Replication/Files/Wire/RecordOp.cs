namespace Sms.Files.Wire;

/// <summary>The records inside file-level frames.</summary>
internal enum RecordOp : byte
{
    /// <summary>A whole regular file: metadata, size, content hash, content (FileBatch).</summary>
    File = 1,

    /// <summary>Metadata only, for an entry whose content the target already has (FileBatch).</summary>
    Meta = 2,

    /// <summary>A symbolic link: metadata and target bytes (FileBatch).</summary>
    Symlink = 3,

    /// <summary>A FIFO, socket or device node: metadata and rdev (FileBatch).</summary>
    Special = 4,

    /// <summary>Make sure a directory exists, before anything inside it (FileDirs).</summary>
    MkDir = 5,

    /// <summary>Remove an entry, recursively for a directory (FileFinish).</summary>
    Delete = 6,

    /// <summary>A hard link to another path of the tree (FileFinish).</summary>
    Link = 7,

    /// <summary>A directory's metadata, applied after its contents (FileFinish).</summary>
    DirMeta = 8,

    /// <summary>A large file's metadata, at the start of a FileBegin frame.</summary>
    Begin = 9,
}

/// <summary>Flags of a record's metadata.</summary>
[Flags]
internal enum MetaFlags : byte
{
    None = 0,

    /// <summary>An xattr block follows the fixed fields.</summary>
    HasXattrs = 1,

    /// <summary>The source file has holes: the target skips all-zero runs instead of writing them.</summary>
    Sparse = 2,

    /// <summary>The xattr set changed: attributes not in the block are removed from the target.</summary>
    ReplaceXattrs = 4,
}
