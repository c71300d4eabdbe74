using System.Runtime.CompilerServices;
using System.Buffers;
using System.Buffers.Binary;

namespace Sms.Files.Manifest;

/// <summary>A growable buffer with the few encodings the manifest needs (LEB128 varints, zigzag, fixed big-endian).</summary>
internal sealed class ByteWriter : IDisposable
{
    private byte[] _buffer;

    public ByteWriter(int capacity = 64 * 1024)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(capacity);
    }

    public int Length { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, Length);

    public void Clear() => Length = 0;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[Length++] = value;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void WriteVarint(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _buffer[Length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[Length++] = (byte)value;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void WriteZigZag(long value) => WriteVarint((ulong)((value << 1) ^ (value >> 63)));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void WriteUInt64(ulong value)
    {
        Ensure(8);
        BinaryPrimitives.WriteUInt64BigEndian(_buffer.AsSpan(Length), value);
        Length += 8;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void WriteUInt128(UInt128 value)
    {
        Ensure(16);
        BinaryPrimitives.WriteUInt128BigEndian(_buffer.AsSpan(Length), value);
        Length += 16;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(Length));
        Length += bytes.Length;
    }

    /// <summary>Writes a raw (Latin-1) string's bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void WriteRaw(ReadOnlySpan<char> text)
    {
        Ensure(text.Length);
        Native.RawPath.GetBytes(text, _buffer.AsSpan(Length));
        Length += text.Length;
    }

    public Span<byte> Reserve(int count)
    {
        Ensure(count);
        var span = _buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Ensure(int count)
    {
        if (Length + count <= _buffer.Length)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, Length + count));
        _buffer.AsSpan(0, Length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
