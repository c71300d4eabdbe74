using System.Runtime.CompilerServices;
using Sms.Files.Native;

namespace Sms.Files.Manifest;

/// <summary>Flags kept with a manifest entry.</summary>
[Flags]
internal enum EntryFlags : byte
{
    None = 0,

    /// <summary>Modified so recently when read that a later change could keep the same time: hash it again next pass.</summary>
    Racy = 1,

    /// <summary>The entry is a hard link to <see cref="FileEntry.LinkTo"/>.</summary>
    HardLink = 2,

    /// <summary>The file had holes; the target keeps them.</summary>
    Sparse = 4,
}

/// <summary>
/// One entry of a tree: what the source's manifest remembers about it (what the target has), and during a pass what
/// the walk found. Paths are raw (see <see cref="RawPath"/>), relative, without a leading slash; the root is "".
/// </summary>
internal sealed class FileEntry
{
    public FileEntry(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public FileKind Kind { get; set; }

    public EntryFlags Flags { get; set; }

    public uint Permissions { get; set; }

    public uint Uid { get; set; }

    public uint Gid { get; set; }

    public long Size { get; set; }

    public FileTime Modify { get; set; }

    public FileTime Change { get; set; }

    public ulong Inode { get; set; }

    public ulong Device { get; set; }

    /// <summary>Device nodes: major in the high 32 bits, minor in the low.</summary>
    public ulong Rdev { get; set; }

    public ulong XattrDigest { get; set; }

    /// <summary>Regular files: the content hash (<see cref="ContentHash"/>); symbolic links: the hash of the target.</summary>
    public UInt128 Hash { get; set; }

    /// <summary>Regular files larger than one chunk: each chunk's hash (zero for an all-zero chunk).</summary>
    public UInt128[]? Chunks { get; set; }

    /// <summary>Hard links: the path of the group's primary entry.</summary>
    public string? LinkTo { get; set; }

    // --- Pass-time state, not persisted. ---

    /// <summary>The access time to set on the target.</summary>
    public FileTime Access { get; set; }

    /// <summary>The extended attributes, when read this pass.</summary>
    public byte[]? Xattrs { get; set; }

    /// <summary>A directory whose metadata the target must get at the end of the pass.</summary>
    public bool NeedsDirectoryMetadata { get; set; }

    /// <summary>Whether the content was read (and hashed) this pass.</summary>
    public bool ReadThisPass { get; set; }

    /// <summary>Whether the content was sent this pass (the target's file is a new inode).</summary>
    public bool ContentSent { get; set; }

    /// <summary>For a manifest entry: the entry the walk found at its path this pass.</summary>
    public FileEntry? Successor { get; set; }

    /// <summary>Listed by the walk, but gone (or no longer this kind) when it came to be read.</summary>
    public bool Vanished { get; set; }

    public static string KindName(FileKind kind) => kind switch
    {
        FileKind.Directory => "directory",
        FileKind.Regular => "regular file",
        FileKind.Symlink => "symbolic link",
        FileKind.Fifo => "FIFO",
        FileKind.CharacterDevice => "character device",
        FileKind.BlockDevice => "block device",
        FileKind.Socket => "socket",
        _ => "entry",
    };

    /// <summary>Copies what the manifest keeps (the persisted fields).</summary>
    public FileEntry CloneForManifest(string? path = null) => new(path ?? Path)
    {
        Kind = Kind,
        Flags = Flags,
        Permissions = Permissions,
        Uid = Uid,
        Gid = Gid,
        Size = Size,
        Modify = Modify,
        Change = Change,
        Inode = Inode,
        Device = Device,
        Rdev = Rdev,
        XattrDigest = XattrDigest,
        Hash = Hash,
        Chunks = Chunks,
        LinkTo = LinkTo,
    };

    /// <summary>Fills the stat fields from a <c>statx</c> result.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SetStat(in StatxInfo st)
    {
        Kind = st.Kind;
        Permissions = st.Permissions;
        Uid = st.Uid;
        Gid = st.Gid;
        Size = st.Kind is FileKind.Regular or FileKind.Symlink ? st.Size : 0;
        Modify = st.Modify;
        Access = st.Access;
        Change = st.Change;
        Inode = st.Inode;
        Device = st.Device;
        Rdev = st.Kind is FileKind.CharacterDevice or FileKind.BlockDevice ? ((ulong)st.RdevMajor << 32) | st.RdevMinor : 0;
    }

    /// <summary>Whether the owner, mode and xattrs are those of <paramref name="other"/>.</summary>
    public bool SameOwnershipAndMode(FileEntry other)
        => Permissions == other.Permissions && Uid == other.Uid && Gid == other.Gid && XattrDigest == other.XattrDigest;
}
