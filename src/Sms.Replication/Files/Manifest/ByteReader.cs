using System.Runtime.CompilerServices;
using System.Buffers.Binary;

namespace Sms.Files.Manifest;

/// <summary>Reads what <see cref="ByteWriter"/> wrote; any overrun or malformed varint throws <see cref="FormatException"/>.</summary>
internal ref struct ByteReader
{
    private readonly ReadOnlySpan<byte> _data;

    public ByteReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        Position = 0;
    }

    public int Position { get; private set; }

    public readonly bool End => Position >= _data.Length;

    public readonly int Remaining => _data.Length - Position;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public byte ReadByte()
    {
        Need(1);
        return _data[Position++];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new FormatException("Malformed varint.");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int ReadLength(int max)
    {
        var value = ReadVarint();
        if (value > (ulong)max)
        {
            throw new FormatException($"Length {value} exceeds {max}.");
        }

        return (int)value;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public long ReadZigZag()
    {
        var v = ReadVarint();
        return (long)(v >> 1) ^ -(long)(v & 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong ReadUInt64()
    {
        Need(8);
        var value = BinaryPrimitives.ReadUInt64BigEndian(_data[Position..]);
        Position += 8;
        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public UInt128 ReadUInt128()
    {
        Need(16);
        var value = BinaryPrimitives.ReadUInt128BigEndian(_data[Position..]);
        Position += 16;
        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        Need(count);
        var span = _data.Slice(Position, count);
        Position += count;
        return span;
    }

    private readonly void Need(int count)
    {
        if (count < 0 || Position + count > _data.Length)
        {
            throw new FormatException("Truncated data.");
        }
    }
}
