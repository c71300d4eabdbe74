using System.Runtime.InteropServices;
using FsCheck;
using FsCheck.Xunit;
using Sms.Blocks;

namespace Sms.Replication.Tests.Blocks;

/// <summary>
/// Aligned writes go past the page cache and the rest through it; whichever path a write takes, and in whatever
/// order they mix, the volume must read back exactly what was written last.
/// </summary>
public sealed class FileBlockSinkDirectWriteTests : IDisposable
{
    private const int Alignment = FileBlockSink.DirectIoAlignment;
    private const int Length = 64 * Alignment;
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Property(MaxTest = 60)]
    public void Write_MixOfAlignedAndUnalignedWritesAndZeros_ReadsBackTheModel(NonEmptyArray<(int Offset, int Length, int Shape)> operations)
    {
        // Given
        var path = _directory.File($"volume-{Guid.NewGuid():N}.img");
        var model = new byte[Length];
        using var buffer = new AlignedBuffer(Length + (2 * Alignment));
        var seed = 1;

        // When
        var sink = FileBlockSink.Create(path, Length);
        try
        {
            foreach (var (rawOffset, rawLength, shape) in operations.Get)
            {
                var (offset, count, shift) = Shape(rawOffset, rawLength, shape);
                if ((shape & 8) != 0)
                {
                    sink.Zero(new BlockRange(offset, count));
                    model.AsSpan((int)offset, count).Clear();
                    continue;
                }

                var data = buffer.Span.Slice(shift, count);
                SparseFile.Pattern(count, seed++).CopyTo(data);
                sink.Write(offset, data);
                data.CopyTo(model.AsSpan((int)offset));
            }

            // Then
            var read = new byte[Length];
            Assert.Equal(Length, sink.ReadAsync(0, read).AsTask().GetAwaiter().GetResult());
            Assert.True(model.AsSpan().SequenceEqual(read), "the open volume differs from what was written");
            sink.Flush();
        }
        finally
        {
            sink.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        Assert.True(model.AsSpan().SequenceEqual(File.ReadAllBytes(path)), "the volume differs from what was written once closed");
    }

    [Fact]
    public async Task Write_AlignedBlockOverUnflushedBufferedWrite_ReadsBackTheAlignedBlockAfterReopen()
    {
        // Given
        var path = _directory.File("volume.img");
        using var buffer = new AlignedBuffer(4 * Alignment);
        var expected = SparseFile.Pattern(buffer.Length, 3);
        expected.CopyTo(buffer.Span);
        await using (var sink = FileBlockSink.Create(path, Length))
        {
            sink.Write(Alignment + 100, SparseFile.Pattern(2 * Alignment, 4));

            // When
            sink.Write(0, buffer.Span);
            await sink.FlushAsync();
        }

        // Then
        var content = await File.ReadAllBytesAsync(path);
        Assert.Equal(expected, content.AsSpan(0, expected.Length).ToArray());
        Assert.True(BlockHash.IsZero(content.AsSpan(expected.Length)));
    }

    [SkippableFact]
    public async Task Create_OnLinuxFileSystemThatTakesDirectIo_WritesDirect()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "O_DIRECT is a Linux path");
        Skip.IfNot(TakesDirectIo(_directory.Path), $"the file system under {_directory.Path} refuses O_DIRECT");

        // When
        await using var sink = FileBlockSink.Create(_directory.File("volume.img"), Length);

        // Then
        Assert.True(sink.WritesDirect);
    }

    /// <summary>An independent probe: dd with oflag=direct succeeds only where the file system takes O_DIRECT.</summary>
    private static bool TakesDirectIo(string directory)
    {
        var probe = Path.Combine(directory, "probe");
        using var dd = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("dd", ["if=/dev/zero", $"of={probe}", "bs=4096", "count=1", "oflag=direct"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        dd.StandardError.ReadToEnd();
        dd.WaitForExit();
        File.Delete(probe);
        return dd.ExitCode == 0;
    }

    /// <summary>Turns arbitrary integers into a write inside the volume: aligned or not in offset, length and buffer.</summary>
    private static (long Offset, int Count, int Shift) Shape(int rawOffset, int rawLength, int shape)
    {
        var units = (int)((uint)rawOffset % 64);
        var offset = (long)units * Alignment;
        var count = (int)(((uint)rawLength % 8) + 1) * Alignment;
        if ((shape & 1) != 0)
        {
            offset += (uint)rawOffset % Alignment;
        }

        if ((shape & 2) != 0)
        {
            count -= (int)((uint)rawLength % Alignment);
        }

        var shift = (shape & 4) != 0 ? 1 + (int)((uint)shape % 511) : 0;
        count = (int)Math.Min(count, Length - offset);
        return (offset, Math.Max(count, 1), shift);
    }

    /// <summary>A pinned buffer whose span starts on an alignment boundary.</summary>
    private sealed class AlignedBuffer : IDisposable
    {
        private readonly byte[] _array;
        private readonly GCHandle _pin;
        private readonly int _start;

        public AlignedBuffer(int length)
        {
            _array = new byte[length + Alignment];
            _pin = GCHandle.Alloc(_array, GCHandleType.Pinned);
            var address = _pin.AddrOfPinnedObject();
            _start = (int)((Alignment - (address & (Alignment - 1))) & (Alignment - 1));
            Length = length;
        }

        public int Length { get; }

        public Span<byte> Span => _array.AsSpan(_start, Length);

        public void Dispose() => _pin.Free();
    }
}
