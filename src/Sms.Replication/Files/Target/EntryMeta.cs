using Sms.Files.Native;
using Sms.Files.Wire;

namespace Sms.Files.Target;

/// <summary>A record's metadata, copied out of the frame (for a large file, it outlives the frame).</summary>
internal sealed record EntryMeta(FileKind Kind, MetaFlags Flags, uint Permissions, uint Uid, uint Gid, FileTime Access, FileTime Modify, byte[]? Xattrs)
{
    public static EntryMeta From(in Record r)
        => new(r.Kind, r.Flags, r.Permissions, r.Uid, r.Gid, r.Access, r.Modify, (r.Flags & MetaFlags.HasXattrs) == 0 ? null : r.Xattrs.ToArray());

    public MetaView View => new(Kind, Flags, Permissions, Uid, Gid, Access, Modify, Xattrs);
}

/// <summary>Metadata to apply, without copying it out of the frame.</summary>
internal readonly ref struct MetaView
{
    public MetaView(FileKind kind, MetaFlags flags, uint permissions, uint uid, uint gid, FileTime access, FileTime modify, ReadOnlySpan<byte> xattrs)
    {
        Kind = kind;
        Flags = flags;
        Permissions = permissions;
        Uid = uid;
        Gid = gid;
        Access = access;
        Modify = modify;
        Xattrs = xattrs;
    }

    public FileKind Kind { get; }

    public MetaFlags Flags { get; }

    public uint Permissions { get; }

    public uint Uid { get; }

    public uint Gid { get; }

    public FileTime Access { get; }

    public FileTime Modify { get; }

    public ReadOnlySpan<byte> Xattrs { get; }

    public bool TouchesXattrs => (Flags & (MetaFlags.HasXattrs | MetaFlags.ReplaceXattrs)) != 0;

    public bool ReplaceXattrs => (Flags & MetaFlags.ReplaceXattrs) != 0;

    public static MetaView Of(in Record r) => new(r.Kind, r.Flags, r.Permissions, r.Uid, r.Gid, r.Access, r.Modify, r.Xattrs);
}
