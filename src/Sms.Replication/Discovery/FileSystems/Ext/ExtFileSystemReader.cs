using System.Text;
using Sms.Blocks;

namespace Sms.Discovery.FileSystems.Ext;

/// <summary>
/// Reads ext2, ext3 and ext4: the superblock at byte 1024, the group descriptor table (plain or META_BG) and every
/// group's block bitmap, computing the bitmaps of BLOCK_UNINIT groups as the kernel does; bigalloc maps whole
/// clusters. Anything it does not fully understand (an unknown feature, an inconsistent superblock or one failing its
/// checksum, a descriptor pointing outside the file system or failing its checksum, recorded errors, a journal that
/// still holds transactions to replay) makes it keep the whole partition and say why in
/// <see cref="FileSystemDescription.Note"/>; malformed on-disk data never throws.
/// </summary>
public sealed class ExtFileSystemReader : IFileSystemReader
{
    private const ushort StateValid = 0x0001;
    private const ushort StateErrors = 0x0002;

    /// <inheritdoc />
    /// <remarks>
    /// <see cref="FileSystemDescription.UsedBytes"/> is the superblock's count of used blocks, an estimate until the
    /// bitmaps are read (the total of <see cref="GetAllocatedRangesAsync"/> is exact). The descriptor table is read and
    /// checked here too, so that <see cref="FileSystemDescription.Note"/> already says when the map will not be used.
    /// </remarks>
    /// <exception cref="SmsException">Reading the disk failed.</exception>
    public async ValueTask<FileSystemDescription?> ProbeAsync(IBlockSource disk, long offset, long length, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(disk);
        var superblock = await ReadSuperblockAsync(disk, offset, length, cancellationToken).ConfigureAwait(false);
        if (superblock is null)
        {
            return null;
        }

        var description = Describe(superblock);
        var (_, _, problem) = await OpenAsync(disk, offset, length, superblock, cancellationToken).ConfigureAwait(false);
        return problem is null ? description : description with { UsedBytes = null, Note = problem };
    }

    /// <inheritdoc />
    /// <remarks>
    /// Everything is read and checked again from the disk; <paramref name="description"/> is not trusted. The total
    /// of the ranges is the exact used size, which replaces the superblock's estimate in
    /// <see cref="FileSystemDescription.UsedBytes"/>. Besides every case the probe notes, the map is also
    /// <see langword="null"/> when a block bitmap fails its metadata_csum checksum, which the probe (it reads no
    /// bitmaps) cannot have noted.
    /// </remarks>
    /// <exception cref="SmsException">Reading the disk failed.</exception>
    public async ValueTask<IReadOnlyList<BlockRange>?> GetAllocatedRangesAsync(
        IBlockSource disk, long offset, long length, FileSystemDescription description, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(description);
        var (ranges, _) = await ReadMapAsync(disk, offset, length, cancellationToken).ConfigureAwait(false);
        return ranges;
    }

    /// <summary>The allocation map, or why it is not used (a <see langword="null"/> problem and no ranges: not ext).</summary>
    internal static async ValueTask<(List<BlockRange>? Ranges, string? Problem)> ReadMapAsync(
        IBlockSource disk, long offset, long length, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(disk);
        var superblock = await ReadSuperblockAsync(disk, offset, length, cancellationToken).ConfigureAwait(false);
        if (superblock is null)
        {
            return (null, null);
        }

        var (geometry, descriptors, problem) = await OpenAsync(disk, offset, length, superblock, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return (null, problem);
        }

        return await ExtAllocationScanner.ScanAsync(disk, offset, geometry!, descriptors!, cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask<ExtSuperblock?> ReadSuperblockAsync(IBlockSource disk, long offset, long length, CancellationToken cancellationToken)
    {
        if (offset < 0 || length < ExtSuperblock.Offset + ExtSuperblock.Size)
        {
            return null;
        }

        var raw = new byte[ExtSuperblock.Size];
        if (!await DiskBytes.TryReadExactAsync(disk, offset + ExtSuperblock.Offset, raw, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var superblock = ExtSuperblock.Parse(raw);
        return superblock.HasMagic ? superblock : null;
    }

    /// <summary>Checks the superblock, state and features, reads the descriptors and looks at the journal.</summary>
    private static async ValueTask<(ExtGeometry? Geometry, ExtGroupDescriptor[]? Descriptors, string? Problem)> OpenAsync(
        IBlockSource disk, long offset, long length, ExtSuperblock superblock, CancellationToken cancellationToken)
    {
        ExtGeometry? geometry = null;
        var problem = (superblock.ChecksumMatches ? null : "the superblock checksum does not match")
            ?? ExtFeatures.Unsupported(superblock) ?? ExtGeometry.TryCreate(superblock, Math.Min(length, disk.Length - offset), out geometry) ?? StateProblem(superblock);
        if (problem is not null || geometry is null)
        {
            return (null, null, problem ?? "the superblock is inconsistent");
        }

        var (descriptors, descriptorProblem) = await ExtDescriptorTable.ReadAsync(disk, offset, geometry, cancellationToken).ConfigureAwait(false);
        if (descriptorProblem is not null)
        {
            return (null, null, descriptorProblem);
        }

        var journalProblem = await ExtJournal.CheckRecoveryAsync(disk, offset, geometry, descriptors!, cancellationToken).ConfigureAwait(false);
        return journalProblem is null ? (geometry, descriptors, null) : (null, null, journalProblem);
    }

    /// <summary>Errors recorded by the kernel, or an unclean state that no journal will repair, make the bitmaps suspect.</summary>
    private static string? StateProblem(ExtSuperblock superblock)
    {
        if ((superblock.State & StateErrors) != 0)
        {
            return "the file system has recorded errors (run e2fsck); the whole partition is kept";
        }

        if ((superblock.State & StateValid) == 0 && !superblock.HasIncompat(ExtFeatures.IncompatRecover))
        {
            return "the file system was not cleanly unmounted (run e2fsck); the whole partition is kept";
        }

        return null;
    }

    private static FileSystemDescription Describe(ExtSuperblock superblock)
    {
        var blockSize = superblock.LogBlockSize <= 6 ? 1024 << (int)superblock.LogBlockSize : 0;
        var fits = blockSize > 0 && superblock.BlocksCount <= (ulong)(long.MaxValue / blockSize);
        var total = fits ? (long)superblock.BlocksCount * blockSize : 0;
        long? used = fits && superblock.FreeBlocksCount <= superblock.BlocksCount
            ? (long)(superblock.BlocksCount - superblock.FreeBlocksCount) * blockSize
            : null;
        return new FileSystemDescription
        {
            Kind = ExtFeatures.KindOf(superblock),
            Label = Label(superblock.VolumeName),
            Uuid = Uuid(superblock.Uuid),
            BlockSize = blockSize,
            TotalBytes = total,
            UsedBytes = used,
        };
    }

    private static string? Label(ReadOnlySpan<byte> name)
    {
        var end = name.IndexOf((byte)0);
        var text = end < 0 ? name : name[..end];
        return text.IsEmpty ? null : Encoding.UTF8.GetString(text);
    }

    /// <summary>Formats like blkid and dumpe2fs: lowercase, dashed 8-4-4-4-12, bytes in disk order.</summary>
    private static string? Uuid(ReadOnlySpan<byte> uuid)
    {
        if (!uuid.ContainsAnyExcept((byte)0))
        {
            return null;
        }

        var hex = Convert.ToHexStringLower(uuid);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }
}
