using System.Runtime.CompilerServices;
using System.Buffers.Binary;
using Sms.Files.Manifest;
using Sms.Files.Native;

namespace Sms.Files.Wire;

/// <summary>
/// A frame payload being filled with records (see <see cref="FileWire"/>), on a pooled buffer. The manifest changes the
/// records stand for travel with it, to be journaled when the receiver acknowledges the frame.
/// </summary>
internal sealed class RecordBuffer
{
    public RecordBuffer(int capacity)
    {
        Data = GC.AllocateUninitializedArray<byte>(capacity);
    }

    public byte[] Data { get; private set; }

    public int Length { get; private set; }

    public int Records { get; private set; }

    /// <summary>What the target has once this frame is acknowledged.</summary>
    public List<ManifestChange> Changes { get; } = [];

    public int Free => Data.Length - Length;

    public Span<byte> Written => Data.AsSpan(0, Length);

    public void Reset()
    {
        Length = 0;
        Records = 0;
        Changes.Clear();
    }

    /// <summary>Swaps the storage with <paramref name="other"/> (same capacity), which holds <paramref name="length"/> bytes of new payload.</summary>
    public void Swap(ref byte[] other, int length)
    {
        (Data, other) = (other, Data);
        Length = length;
    }

    /// <summary>Drops what was written after <paramref name="position"/> (a record that turned out not to be needed).</summary>
    public void Rewind(int position, int records)
    {
        Length = position;
        Records = records;
    }

    /// <summary>Starts a record; returns where it starts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Begin(RecordOp op, string path)
    {
        var start = Length;
        Data[Length++] = (byte)op;
        WriteString(path);
        Records++;
        return start;
    }

    /// <summary>The space the metadata of an entry takes.</summary>
    public static int MetaLength(byte[]? xattrs) => FileWire.MetaSize + (xattrs is null ? 0 : 4 + xattrs.Length);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void WriteMeta(FileEntry e, MetaFlags flags, byte[]? xattrs)
    {
        var span = Data.AsSpan(Length);
        span[0] = (byte)e.Kind;
        span[1] = (byte)(flags | (xattrs is null ? MetaFlags.None : MetaFlags.HasXattrs));
        BinaryPrimitives.WriteUInt32BigEndian(span[2..], e.Permissions);
        BinaryPrimitives.WriteUInt32BigEndian(span[6..], e.Uid);
        BinaryPrimitives.WriteUInt32BigEndian(span[10..], e.Gid);
        BinaryPrimitives.WriteInt64BigEndian(span[14..], e.Access.Seconds);
        BinaryPrimitives.WriteUInt32BigEndian(span[22..], e.Access.Nanoseconds);
        BinaryPrimitives.WriteInt64BigEndian(span[26..], e.Modify.Seconds);
        BinaryPrimitives.WriteUInt32BigEndian(span[34..], e.Modify.Nanoseconds);
        Length += FileWire.MetaSize;
        if (xattrs is not null)
        {
            WriteUInt32((uint)xattrs.Length);
            WriteBytes(xattrs);
        }
    }

    public void WriteByte(byte value) => Data[Length++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(Data.AsSpan(Length), value);
        Length += 2;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(Data.AsSpan(Length), value);
        Length += 4;
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(Data.AsSpan(Length), value);
        Length += 8;
    }

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(Data.AsSpan(Length), value);
        Length += 8;
    }

    public void WriteUInt128(UInt128 value)
    {
        BinaryPrimitives.WriteUInt128BigEndian(Data.AsSpan(Length), value);
        Length += 16;
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Data.AsSpan(Length));
        Length += bytes.Length;
    }

    /// <summary>Writes a u16 length and a raw string's bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void WriteString(ReadOnlySpan<char> raw)
    {
        WriteUInt16((ushort)raw.Length);
        Length += RawPath.GetBytes(raw, Data.AsSpan(Length));
    }

    /// <summary>Reserves <paramref name="count"/> bytes (file content read in place).</summary>
    public Span<byte> Reserve(int count)
    {
        var span = Data.AsSpan(Length, count);
        Length += count;
        return span;
    }
}

/// <summary>A change of the manifest that takes effect when the frame carrying it is acknowledged.</summary>
/// <param name="Entry">The entry the target has now, or <see langword="null"/> for a removal.</param>
/// <param name="RemovedPath">The path removed, for a removal.</param>
/// <param name="Bytes">The file bytes this change wrote on the target.</param>
/// <param name="TouchesParent">
/// Whether applying it changed the target's parent directory (a name created, renamed into place or removed), so the
/// directory's times there are no longer what the manifest says until its metadata is applied again.
/// </param>
internal readonly record struct ManifestChange(FileEntry? Entry, string? RemovedPath, long Bytes, bool TouchesParent = false);
