using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using Sms.Blocks;

namespace Sms.Manifests;

/// <summary>
/// What the source believes the target holds: one 16-byte value per block (XXH128, <see cref="BlockHash.Zero"/> or
/// <see cref="BlockHash.Unknown"/>), for one source size, block size and target volume id. It lives in a flat file
/// updated in place: before a block is sent its entry becomes <see cref="BlockHash.Unknown"/>, and only the
/// receiver's acknowledgement writes the new hash. So a pass cut at any point, by any kill, leaves at most the
/// blocks in flight unknown, and the next pass sends exactly those again (plus what changed).
/// <code>
/// Header (64 bytes, big-endian): "SMSM" | version u32 | block size u32 | reserved u32 | source length u64 |
///   volume id (16 bytes) | boot id (16 bytes) | clean u8 | reserved (7)
/// Entries: block count × 16 bytes
/// </code>
/// A manifest left unclean by a machine that rebooted since is discarded: page-cache writes may have been lost.
/// About 16 MB per TB of disk at 1 MiB blocks.
/// </summary>
public sealed class BlockManifest : IDisposable
{
    private const uint Magic = 0x534D534D;
    private const uint FormatVersion = 1;
    private const int HeaderSize = 64;
    private const int EntrySize = 16;
    private const int CleanOffset = 56;

    private readonly SafeFileHandle _handle;
    private readonly UInt128[] _entries;

    private BlockManifest(string path, SafeFileHandle handle, long sourceLength, int blockSize, Guid volumeId, UInt128[] entries)
    {
        Path = path;
        _handle = handle;
        SourceLength = sourceLength;
        BlockSize = blockSize;
        VolumeId = volumeId;
        _entries = entries;
    }

    /// <summary>The manifest file.</summary>
    /// <value>The path.</value>
    public string Path { get; }

    /// <summary>The source size the manifest describes.</summary>
    /// <value>Bytes.</value>
    public long SourceLength { get; }

    /// <summary>The block size.</summary>
    /// <value>Bytes.</value>
    public int BlockSize { get; }

    /// <summary>The receiver's id of the target volume the entries describe.</summary>
    /// <value>The id.</value>
    public Guid VolumeId { get; }

    /// <summary>The number of blocks.</summary>
    /// <value><c>ceil(SourceLength / BlockSize)</c>.</value>
    public long BlockCount => _entries.LongLength;

    /// <summary>The entries (read-only view).</summary>
    /// <value>One value per block.</value>
    public ReadOnlySpan<UInt128> Entries => _entries;

    /// <summary>The number of blocks for a size.</summary>
    /// <param name="sourceLength">The size.</param>
    /// <param name="blockSize">The block size.</param>
    /// <returns>The block count.</returns>
    public static long CountBlocks(long sourceLength, int blockSize) => (sourceLength + blockSize - 1) / blockSize;

    /// <summary>The manifest path for a volume in a state directory.</summary>
    /// <param name="stateDirectory">The state directory.</param>
    /// <param name="volume">The volume name.</param>
    /// <returns>The path.</returns>
    public static string PathFor(string stateDirectory, string volume) => System.IO.Path.Combine(stateDirectory, volume + ".manifest");

    /// <summary>Creates a manifest for an empty (all-zero) target volume, replacing any file at the path.</summary>
    /// <param name="path">The file.</param>
    /// <param name="sourceLength">The source size.</param>
    /// <param name="blockSize">The block size.</param>
    /// <param name="volumeId">The receiver's volume id.</param>
    /// <returns>The manifest, marked unclean until <see cref="MarkClean"/>.</returns>
    /// <exception cref="SmsException">The file cannot be written.</exception>
    public static BlockManifest CreateEmpty(string path, long sourceLength, int blockSize, Guid volumeId)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var count = CountBlocks(sourceLength, blockSize);
        var entries = new UInt128[count];
        var temp = path + ".tmp";
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
            using (var handle = File.OpenHandle(temp, FileMode.Create, FileAccess.ReadWrite))
            {
                RandomAccess.SetLength(handle, HeaderSize + (count * EntrySize)); // zeros: every entry is BlockHash.Zero
                RandomAccess.Write(handle, BuildHeader(sourceLength, blockSize, volumeId, clean: false), 0);
                RandomAccess.FlushToDisk(handle);
            }

            File.Move(temp, path, overwrite: true);
            return new BlockManifest(path, File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite), sourceLength, blockSize, volumeId, entries);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SmsException(SmsErrorCode.InvalidState, $"Cannot write manifest '{path}': {ex.Message}", ex);
        }
    }

    /// <summary>Opens an existing manifest, or returns <see langword="null"/> when there is none usable.</summary>
    /// <param name="path">The file.</param>
    /// <param name="reason">Why there is none (missing, damaged, unclean after a reboot).</param>
    /// <returns>The manifest, or <see langword="null"/>.</returns>
    public static BlockManifest? TryOpen(string path, out string? reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        reason = null;
        if (!File.Exists(path))
        {
            reason = "no manifest from an earlier pass";
            return null;
        }

        SafeFileHandle? handle = null;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
            Span<byte> header = stackalloc byte[HeaderSize];
            if (RandomAccess.Read(handle, header, 0) != HeaderSize
                || BinaryPrimitives.ReadUInt32BigEndian(header) != Magic
                || BinaryPrimitives.ReadUInt32BigEndian(header[4..]) != FormatVersion)
            {
                reason = "the manifest is damaged";
                handle.Dispose();
                return null;
            }

            var blockSize = (int)BinaryPrimitives.ReadUInt32BigEndian(header[8..]);
            var sourceLength = (long)BinaryPrimitives.ReadUInt64BigEndian(header[16..]);
            var volumeId = new Guid(header.Slice(24, 16), bigEndian: true);
            var bootId = new Guid(header.Slice(40, 16), bigEndian: true);
            var clean = header[CleanOffset] != 0;
            if (blockSize <= 0 || sourceLength < 0 || RandomAccess.GetLength(handle) != HeaderSize + (CountBlocks(sourceLength, blockSize) * EntrySize))
            {
                reason = "the manifest is damaged";
                handle.Dispose();
                return null;
            }

            if (!clean && bootId != CurrentBootId)
            {
                reason = "the last pass did not finish and the machine rebooted since";
                handle.Dispose();
                return null;
            }

            var entries = new UInt128[CountBlocks(sourceLength, blockSize)];
            var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(entries.AsSpan());
            for (var done = 0; done < bytes.Length;)
            {
                var read = RandomAccess.Read(handle, bytes[done..], HeaderSize + done);
                if (read == 0)
                {
                    break;
                }

                done += read;
            }

            for (var i = 0; i < entries.Length; i++)
            {
                entries[i] = FromStored(entries[i]);
            }

            return new BlockManifest(path, handle, sourceLength, blockSize, volumeId, entries);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            handle?.Dispose();
            reason = $"the manifest cannot be read ({ex.Message})";
            return null;
        }
    }

    /// <summary>The value of block <paramref name="index"/>.</summary>
    /// <param name="index">The block index.</param>
    /// <returns>The value.</returns>
    public UInt128 Get(long index) => _entries[index];

    /// <summary>Sets and stores the value of a block (a page-cache write; durable at <see cref="MarkClean"/>).</summary>
    /// <param name="index">The block index.</param>
    /// <param name="value">The new value.</param>
    public void Set(long index, UInt128 value)
    {
        _entries[index] = value;
        Span<byte> bytes = stackalloc byte[EntrySize];
        BlockHash.Write(value, bytes);
        RandomAccess.Write(_handle, bytes, HeaderSize + (index * EntrySize));
    }

    /// <summary>Marks the manifest as being changed by a pass on this boot.</summary>
    public void MarkDirty() => WriteHeader(clean: false, flush: true);

    /// <summary>Makes every entry durable and marks the manifest clean.</summary>
    public void MarkClean()
    {
        RandomAccess.FlushToDisk(_handle);
        WriteHeader(clean: true, flush: true);
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();

    private void WriteHeader(bool clean, bool flush)
    {
        RandomAccess.Write(_handle, BuildHeader(SourceLength, BlockSize, VolumeId, clean), 0);
        if (flush)
        {
            RandomAccess.FlushToDisk(_handle);
        }
    }

    private static byte[] BuildHeader(long sourceLength, int blockSize, Guid volumeId, bool clean)
    {
        var header = new byte[HeaderSize];
        BinaryPrimitives.WriteUInt32BigEndian(header, Magic);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), FormatVersion);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), (uint)blockSize);
        BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(16), (ulong)sourceLength);
        volumeId.TryWriteBytes(header.AsSpan(24, 16), bigEndian: true, out _);
        CurrentBootId.TryWriteBytes(header.AsSpan(40, 16), bigEndian: true, out _);
        header[CleanOffset] = clean ? (byte)1 : (byte)0;
        return header;
    }

    // Entries are stored big-endian; the in-memory array is read raw and converted once.
    private static UInt128 FromStored(UInt128 raw)
        => BitConverter.IsLittleEndian ? System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(raw) : raw;

    private static readonly Guid CurrentBootId = Guid.TryParse(LinuxNative.GetBootId(), out var id) ? id : Guid.Empty;
}
