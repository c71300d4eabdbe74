using System.Buffers.Binary;
using System.Globalization;
using Sms.Blocks;
using Sms.Discovery;
using Sms.Discovery.FileSystems.Xfs;
using Sms.Replication.Tests.Blocks;

namespace Sms.Replication.Tests.Discovery.Xfs;

/// <summary>One fragmented image (two-level bno b+tree in AG 0) and where its metadata sits, from xfs_db.</summary>
public sealed class XfsFragmentedImage
{
    internal XfsFragmentedImage(string name, string path)
    {
        Name = name;
        Path = path;
        var sb = XfsTools.Fields(path, "sb 0");
        BlockSize = (int)XfsTools.Field(sb, "blocksize");
        SectorSize = (int)XfsTools.Field(sb, "sectsize");
        AgBlocks = XfsTools.Field(sb, "agblocks");
        AgCount = (int)XfsTools.Field(sb, "agcount");
        DataBlocks = XfsTools.Field(sb, "dblocks");
        HasCrc = (XfsTools.Field(sb, "versionnum") & 0xF) == 5;
        var agf = XfsTools.Fields(path, "agf 0");
        BnoRoot = (uint)XfsTools.Field(agf, "bnoroot");
        var root = XfsTools.Fields(path, "agf 0", "addr bnoroot");
        var leaves = new List<uint>();
        var pointers = root.First(field => field.Key.StartsWith("ptrs[", StringComparison.Ordinal)).Value;
        foreach (var token in pointers.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            leaves.Add(uint.Parse(token[(token.IndexOf(':', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture));
        }

        Leaves = leaves;
        Assert.Equal(2, XfsTools.Field(agf, "bnolevel"));
        Assert.True(leaves.Count >= 2, "the fragmented image's bno root should have several leaves");
    }

    public string Name { get; }

    public string Path { get; }

    public int BlockSize { get; }

    public int SectorSize { get; }

    public long AgBlocks { get; }

    public int AgCount { get; }

    public long DataBlocks { get; }

    public bool HasCrc { get; }

    /// <summary>AG 0's bno root (a node).</summary>
    public uint BnoRoot { get; }

    /// <summary>AG 0's bno leaves, left to right.</summary>
    public IReadOnlyList<uint> Leaves { get; }

    public int HeaderLength => HasCrc ? 56 : 16;

    public int NodeCapacity => (BlockSize - HeaderLength) / 12;

    public long AgfOffset(int ag) => (ag * AgBlocks * BlockSize) + SectorSize;

    public long BlockOffset(int ag, uint agBlock) => ((ag * AgBlocks) + agBlock) * BlockSize;

    public override string ToString() => Name;

    /// <summary>Reads a block (or sector) of the image.</summary>
    public byte[] Read(long offset, int length)
    {
        using var handle = File.OpenHandle(Path);
        var bytes = new byte[length];
        RandomAccess.Read(handle, bytes, offset);
        return bytes;
    }

    /// <summary>Sets a v5 structure's CRC after a change, so that the checks behind the CRC get exercised.</summary>
    public byte[] FixCrc(byte[] bytes, int crcOffset)
    {
        if (HasCrc)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(crcOffset), XfsChecksum.Compute(bytes, crcOffset));
        }

        return bytes;
    }

    /// <summary>The map of the image with <paramref name="patch"/> applied (never throws for malformed data).</summary>
    internal async Task<XfsAllocationMap> MapAsync(Action<PatchedSource>? patch)
    {
        await using var file = FileBlockSource.Open(Path);
        var disk = new PatchedSource(file);
        patch?.Invoke(disk);
        var description = new FileSystemDescription { Kind = FileSystemKind.Xfs };
        return await XfsFileSystemReader.ReadAllocationMapAsync(disk, 0, disk.Length, description, default);
    }
}

/// <summary>The fragmented v5 (1 KiB blocks) and v4 (512 B blocks) images, built once per test class.</summary>
public sealed class XfsFragmentedImages : IDisposable
{
    private readonly TempDirectory _temp = new();

    public XfsFragmentedImages()
    {
        V5 = Make("v5-1KiB-blocks");
        V4 = Make("v4-512B-blocks");
    }

    public XfsFragmentedImage V5 { get; }

    /// <summary>Null when this mkfs.xfs no longer makes v4 file systems.</summary>
    public XfsFragmentedImage? V4 { get; }

    public XfsFragmentedImage? Get(bool v5) => v5 ? V5 : V4;

    public void Dispose() => _temp.Dispose();

    private XfsFragmentedImage Make(string name)
    {
        var work = System.IO.Path.Combine(_temp.Path, name);
        Directory.CreateDirectory(work);
        var image = System.IO.Path.Combine(work, "fs.img");
        if (!XfsCases.TryMake(name, work, image, XfsImages.SmallFiles(300)))
        {
            return null!;
        }

        XfsImages.PunchEveryOtherSmallFile(image);
        return new XfsFragmentedImage(name, image);
    }
}
