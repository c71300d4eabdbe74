using System.Runtime.CompilerServices;
using System.Buffers.Binary;
using Sms.Files.Native;

namespace Sms.Files.Wire;

/// <summary>One decoded record; its spans point into the frame payload.</summary>
internal ref struct Record
{
    public RecordOp Op;
    public ReadOnlySpan<byte> Path;
    public FileKind Kind;
    public MetaFlags Flags;
    public uint Permissions;
    public uint Uid;
    public uint Gid;
    public FileTime Access;
    public FileTime Modify;
    public ReadOnlySpan<byte> Xattrs;
    public long Size;
    public UInt128 Hash;
    public ReadOnlySpan<byte> Data;
    public ulong Rdev;
    public byte Mode;
}

/// <summary>Reads the records of a frame payload; anything malformed is a protocol violation.</summary>
internal ref struct RecordReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _at;

    public RecordReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _at = 0;
    }

    public readonly bool End => _at >= _data.Length;

    /// <summary>Reads the next record.</summary>
    /// <exception cref="ReplicationProtocolException">The record is malformed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Record Read()
    {
        var r = default(Record);
        r.Op = (RecordOp)Byte();
        r.Path = Bytes(UInt16());
        switch (r.Op)
        {
            case RecordOp.File:
                Meta(ref r);
                r.Size = Int64();
                r.Hash = UInt128();
                if (r.Size < 0 || r.Size > _data.Length - _at)
                {
                    throw Bad("a file record's content is cut short");
                }

                r.Data = Bytes((int)r.Size);
                break;
            case RecordOp.Meta:
            case RecordOp.DirMeta:
                Meta(ref r);
                break;
            case RecordOp.Symlink:
                Meta(ref r);
                r.Data = Bytes(UInt16());
                break;
            case RecordOp.Special:
                Meta(ref r);
                r.Rdev = UInt64();
                break;
            case RecordOp.Link:
                r.Data = Bytes(UInt16());
                break;
            case RecordOp.Begin:
                Meta(ref r);
                r.Size = Int64();
                r.Mode = Byte();
                if (r.Size < 0 || r.Mode > FileWire.BeginPatch)
                {
                    throw Bad("a Begin record has a negative size or an unknown mode");
                }

                break;
            case RecordOp.MkDir:
            case RecordOp.Delete:
                break;
            default:
                throw Bad($"unknown record op {(byte)r.Op}");
        }

        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Meta(ref Record r)
    {
        var span = Bytes(FileWire.MetaSize);
        r.Kind = (FileKind)span[0];
        r.Flags = (MetaFlags)span[1];
        if (r.Kind is FileKind.Unknown || !Enum.IsDefined(r.Kind) || (byte)r.Flags > 7)
        {
            throw Bad($"unknown entry kind {span[0]} or flags {span[1]}");
        }

        r.Permissions = BinaryPrimitives.ReadUInt32BigEndian(span[2..]);
        r.Uid = BinaryPrimitives.ReadUInt32BigEndian(span[6..]);
        r.Gid = BinaryPrimitives.ReadUInt32BigEndian(span[10..]);
        r.Access = new FileTime(BinaryPrimitives.ReadInt64BigEndian(span[14..]), BinaryPrimitives.ReadUInt32BigEndian(span[22..]));
        r.Modify = new FileTime(BinaryPrimitives.ReadInt64BigEndian(span[26..]), BinaryPrimitives.ReadUInt32BigEndian(span[34..]));
        if (r.Permissions > StatxInfo.PermissionMask || r.Access.Nanoseconds > 999_999_999 || r.Modify.Nanoseconds > 999_999_999)
        {
            throw Bad("mode bits or nanoseconds out of range");
        }

        if ((r.Flags & MetaFlags.HasXattrs) != 0)
        {
            var length = UInt32();
            if (length > (uint)(_data.Length - _at) || length > XattrBlock.MaxBlockSize)
            {
                throw Bad("an xattr block is cut short");
            }

            r.Xattrs = Bytes((int)length);
            if (!XattrBlock.IsWellFormed(r.Xattrs))
            {
                throw Bad("an xattr block is malformed");
            }
        }
    }

    private byte Byte()
    {
        Need(1);
        return _data[_at++];
    }

    private ushort UInt16()
    {
        Need(2);
        var v = BinaryPrimitives.ReadUInt16BigEndian(_data[_at..]);
        _at += 2;
        return v;
    }

    private uint UInt32()
    {
        Need(4);
        var v = BinaryPrimitives.ReadUInt32BigEndian(_data[_at..]);
        _at += 4;
        return v;
    }

    private long Int64()
    {
        Need(8);
        var v = BinaryPrimitives.ReadInt64BigEndian(_data[_at..]);
        _at += 8;
        return v;
    }

    private ulong UInt64()
    {
        Need(8);
        var v = BinaryPrimitives.ReadUInt64BigEndian(_data[_at..]);
        _at += 8;
        return v;
    }

    private UInt128 UInt128()
    {
        Need(16);
        var v = BinaryPrimitives.ReadUInt128BigEndian(_data[_at..]);
        _at += 16;
        return v;
    }

    private ReadOnlySpan<byte> Bytes(int count)
    {
        Need(count);
        var span = _data.Slice(_at, count);
        _at += count;
        return span;
    }

    private readonly void Need(int count)
    {
        if (count < 0 || _at + count > _data.Length)
        {
            throw Bad("a record is cut short");
        }
    }

    private static ReplicationProtocolException Bad(string what)
        => new(SmsErrorCode.ProtocolViolation, $"Malformed file record: {what}.");
}
