using System.Runtime.CompilerServices;
using Sms.Files.Native;

namespace Sms.Files.Manifest;

/// <summary>
/// The binary form of one manifest entry:
/// <code>
/// varint shared-prefix-length, varint suffix-length, suffix bytes   (path; prefix shared with the previous entry)
/// u8 kind, u8 entry-flags, u8 field-mask
/// varint permissions, varint uid, varint gid, varint size
/// zigzag mtime-seconds, varint mtime-nanoseconds, zigzag ctime-seconds, varint ctime-nanoseconds
/// varint inode, varint device
/// [mask 1]  u64 xattr digest
/// [mask 2]  u128 hash
/// [mask 4]  varint chunk-count, u128 × count
/// [mask 8]  varint rdev
/// [mask 16] varint length, link-target path bytes
/// </code>
/// </summary>
internal static class ManifestCodec
{
    private const byte HasXattrs = 1;
    private const byte HasHash = 2;
    private const byte HasChunks = 4;
    private const byte HasRdev = 8;
    private const byte HasLinkTo = 16;
    private const int MaxChunks = 1 << 26;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Write(ByteWriter w, FileEntry e, string? previousPath)
    {
        var path = e.Path;
        var shared = previousPath is null ? 0 : path.AsSpan().CommonPrefixLength(previousPath);
        w.WriteVarint((ulong)shared);
        w.WriteVarint((ulong)(path.Length - shared));
        w.WriteRaw(path.AsSpan(shared));
        w.WriteByte((byte)e.Kind);
        w.WriteByte((byte)e.Flags);
        byte mask = 0;
        mask |= e.XattrDigest != 0 ? HasXattrs : (byte)0;
        mask |= e.Hash != UInt128.Zero ? HasHash : (byte)0;
        mask |= e.Chunks is not null ? HasChunks : (byte)0;
        mask |= e.Rdev != 0 ? HasRdev : (byte)0;
        mask |= e.LinkTo is not null ? HasLinkTo : (byte)0;
        w.WriteByte(mask);
        w.WriteVarint(e.Permissions);
        w.WriteVarint(e.Uid);
        w.WriteVarint(e.Gid);
        w.WriteVarint((ulong)e.Size);
        w.WriteZigZag(e.Modify.Seconds);
        w.WriteVarint(e.Modify.Nanoseconds);
        w.WriteZigZag(e.Change.Seconds);
        w.WriteVarint(e.Change.Nanoseconds);
        w.WriteVarint(e.Inode);
        w.WriteVarint(e.Device);
        if ((mask & HasXattrs) != 0)
        {
            w.WriteUInt64(e.XattrDigest);
        }

        if ((mask & HasHash) != 0)
        {
            w.WriteUInt128(e.Hash);
        }

        if (e.Chunks is { } chunks)
        {
            w.WriteVarint((ulong)chunks.Length);
            foreach (var chunk in chunks)
            {
                w.WriteUInt128(chunk);
            }
        }

        if ((mask & HasRdev) != 0)
        {
            w.WriteVarint(e.Rdev);
        }

        if (e.LinkTo is { } linkTo)
        {
            w.WriteVarint((ulong)linkTo.Length);
            w.WriteRaw(linkTo);
        }
    }

    /// <exception cref="FormatException">The bytes are not an entry.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static FileEntry Read(ref ByteReader r, string? previousPath)
    {
        var shared = r.ReadLength(previousPath?.Length ?? 0);
        var suffix = r.ReadLength(RawPath.MaxLength);
        var tail = RawPath.FromBytes(r.ReadBytes(suffix));
        var path = shared == 0 ? tail : string.Concat(previousPath.AsSpan(0, shared), tail);
        var kind = (FileKind)r.ReadByte();
        if (!Enum.IsDefined(kind))
        {
            throw new FormatException($"Unknown entry kind {(byte)kind}.");
        }

        var e = new FileEntry(path)
        {
            Kind = kind,
            Flags = (EntryFlags)r.ReadByte(),
        };
        var mask = r.ReadByte();
        e.Permissions = (uint)r.ReadVarint();
        e.Uid = (uint)r.ReadVarint();
        e.Gid = (uint)r.ReadVarint();
        e.Size = (long)r.ReadVarint();
        e.Modify = new FileTime(r.ReadZigZag(), (uint)r.ReadVarint());
        e.Change = new FileTime(r.ReadZigZag(), (uint)r.ReadVarint());
        e.Inode = r.ReadVarint();
        e.Device = r.ReadVarint();
        if ((mask & HasXattrs) != 0)
        {
            e.XattrDigest = r.ReadUInt64();
        }

        if ((mask & HasHash) != 0)
        {
            e.Hash = r.ReadUInt128();
        }

        if ((mask & HasChunks) != 0)
        {
            var count = r.ReadLength(Math.Min(MaxChunks, r.Remaining / 16));
            var chunks = new UInt128[count];
            for (var i = 0; i < count; i++)
            {
                chunks[i] = r.ReadUInt128();
            }

            e.Chunks = chunks;
        }

        if ((mask & HasRdev) != 0)
        {
            e.Rdev = r.ReadVarint();
        }

        if ((mask & HasLinkTo) != 0)
        {
            e.LinkTo = RawPath.FromBytes(r.ReadBytes(r.ReadLength(RawPath.MaxLength)));
        }

        return e;
    }
}
