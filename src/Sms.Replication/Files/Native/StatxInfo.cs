using System.Runtime.CompilerServices;
using System.Buffers.Binary;

namespace Sms.Files.Native;

/// <summary>
/// What <c>statx</c> reports about an entry. The kernel's <c>struct statx</c> has the same layout on every
/// architecture; the offsets below are from <c>include/uapi/linux/stat.h</c>.
/// </summary>
internal readonly record struct StatxInfo(
    uint Mode,
    uint Uid,
    uint Gid,
    uint Links,
    ulong Inode,
    long Size,
    long Blocks,
    FileTime Access,
    FileTime Modify,
    FileTime Change,
    uint RdevMajor,
    uint RdevMinor,
    uint DevMajor,
    uint DevMinor)
{
    public const int BufferSize = 256;

    public const uint TypeMask = 0xF000;
    public const uint PermissionMask = 0xFFF;

    public FileKind Kind => KindOf(Mode);

    public uint Permissions => Mode & PermissionMask;

    public ulong Device => ((ulong)DevMajor << 32) | DevMinor;

    /// <summary>Whether the file has fewer blocks allocated than its size needs (it has holes).</summary>
    public bool IsSparse => Size > 0 && Blocks * 512 < Size;

    public static FileKind KindOf(uint mode) => (mode & TypeMask) switch
    {
        0x4000 => FileKind.Directory,
        0x8000 => FileKind.Regular,
        0xA000 => FileKind.Symlink,
        0x1000 => FileKind.Fifo,
        0x2000 => FileKind.CharacterDevice,
        0x6000 => FileKind.BlockDevice,
        0xC000 => FileKind.Socket,
        _ => FileKind.Unknown,
    };

    public static uint TypeBits(FileKind kind) => kind switch
    {
        FileKind.Directory => 0x4000,
        FileKind.Regular => 0x8000,
        FileKind.Symlink => 0xA000,
        FileKind.Fifo => 0x1000,
        FileKind.CharacterDevice => 0x2000,
        FileKind.BlockDevice => 0x6000,
        FileKind.Socket => 0xC000,
        _ => 0,
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static StatxInfo Parse(ReadOnlySpan<byte> b) => new(
        Mode: BinaryPrimitives.ReadUInt16LittleEndian(b[28..]),
        Uid: BinaryPrimitives.ReadUInt32LittleEndian(b[20..]),
        Gid: BinaryPrimitives.ReadUInt32LittleEndian(b[24..]),
        Links: BinaryPrimitives.ReadUInt32LittleEndian(b[16..]),
        Inode: BinaryPrimitives.ReadUInt64LittleEndian(b[32..]),
        Size: (long)BinaryPrimitives.ReadUInt64LittleEndian(b[40..]),
        Blocks: (long)BinaryPrimitives.ReadUInt64LittleEndian(b[48..]),
        Access: ReadTime(b[64..]),
        Modify: ReadTime(b[112..]),
        Change: ReadTime(b[96..]),
        RdevMajor: BinaryPrimitives.ReadUInt32LittleEndian(b[128..]),
        RdevMinor: BinaryPrimitives.ReadUInt32LittleEndian(b[132..]),
        DevMajor: BinaryPrimitives.ReadUInt32LittleEndian(b[136..]),
        DevMinor: BinaryPrimitives.ReadUInt32LittleEndian(b[140..]));

    private static FileTime ReadTime(ReadOnlySpan<byte> b)
        => new(BinaryPrimitives.ReadInt64LittleEndian(b), BinaryPrimitives.ReadUInt32LittleEndian(b[8..]));
}
