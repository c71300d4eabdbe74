namespace Sms.Replication.Tests.Discovery.Ext;

/// <summary>What an image holds besides what mkfs puts there.</summary>
internal enum ExtContent
{
    /// <summary>A fresh file system.</summary>
    None,

    /// <summary>A few small files of random bytes (<c>mkfs -d</c>).</summary>
    Small,

    /// <summary>Big random files and many small ones (<c>mkfs -d</c>), some deleted afterwards with debugfs.</summary>
    BigWithDeletions,
}

/// <summary>One way of making an ext file system for the tests.</summary>
/// <param name="Name">The theory's name for it.</param>
/// <param name="Tool">mkfs.ext2, mkfs.ext3 or mkfs.ext4.</param>
/// <param name="Size">The image size in bytes.</param>
/// <param name="Options">The mkfs options.</param>
/// <param name="Content">What is put in it.</param>
internal sealed record ExtCase(string Name, string Tool, long Size, string[] Options, ExtContent Content)
{
    private const long MiB = 1 << 20;

    public static readonly IReadOnlyList<ExtCase> All =
    [
        new("ext2", "mkfs.ext2", 128 * MiB, [], ExtContent.Small),
        new("ext2-no-sparse_super", "mkfs.ext2", 96 * MiB, ["-O", "^sparse_super,^resize_inode"], ExtContent.Small),
        new("ext3", "mkfs.ext3", 128 * MiB, [], ExtContent.Small),
        new("ext4", "mkfs.ext4", 600 * MiB, [], ExtContent.Small),
        new("ext4-no-flex_bg", "mkfs.ext4", 600 * MiB, ["-O", "^flex_bg"], ExtContent.Small),
        new("ext4-64bit", "mkfs.ext4", 600 * MiB, ["-O", "64bit"], ExtContent.Small),
        new("ext4-32bit-uninit_bg", "mkfs.ext4", 600 * MiB, ["-O", "^64bit,^metadata_csum,uninit_bg"], ExtContent.Small),
        new("ext4-1k", "mkfs.ext4", 200 * MiB, ["-b", "1024"], ExtContent.Small),
        new("ext4-meta_bg", "mkfs.ext4", 600 * MiB, ["-O", "meta_bg,^resize_inode"], ExtContent.Small),
        new("ext4-meta_bg-1k", "mkfs.ext4", 400 * MiB, ["-b", "1024", "-O", "meta_bg,^resize_inode"], ExtContent.Small),
        new("ext4-meta_bg-32bit-20g", "mkfs.ext4", 20L * 1024 * MiB, ["-O", "^64bit,meta_bg,^resize_inode", "-E", "lazy_itable_init=1"], ExtContent.Small),
        new("ext4-sparse_super2", "mkfs.ext4", 600 * MiB, ["-O", "sparse_super2"], ExtContent.Small),
        new("ext4-bigalloc", "mkfs.ext4", 600 * MiB, ["-O", "bigalloc", "-C", "16384"], ExtContent.Small),
        new("ext4-files-deleted", "mkfs.ext4", 512 * MiB, [], ExtContent.BigWithDeletions),
        new("ext4-fresh-1g", "mkfs.ext4", 1024 * MiB, [], ExtContent.None),
    ];

    /// <summary>The case names, for <c>[MemberData]</c>.</summary>
    public static TheoryData<string> Names
    {
        get
        {
            var names = new TheoryData<string>();
            foreach (var item in All)
            {
                names.Add(item.Name);
            }

            return names;
        }
    }

    public static ExtCase Get(string name) => All.Single(c => c.Name == name);

    public override string ToString() => Name;
}
