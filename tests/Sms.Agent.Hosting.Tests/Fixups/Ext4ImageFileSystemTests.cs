using System.Text;
using Sms.Fixups;

namespace Sms.Agent.Hosting.Tests.Fixups;

public sealed class Ext4ImageFileSystemTests : IDisposable
{
    private const long Offset = 1L << 20;
    private readonly string _dir = Directory.CreateTempSubdirectory("sms-ext4fs-").FullName;
    private readonly string _image;

    public Ext4ImageFileSystemTests()
    {
        // Given (for every test): a GPT disk image whose first partition holds an ext4 made from a tree.
        var tree = Path.Combine(_dir, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "etc", "dir with space"));
        Directory.CreateDirectory(Path.Combine(tree, "usr", "lib"));
        File.WriteAllText(Path.Combine(tree, "etc", "hostname"), "web01\n");
        File.WriteAllText(Path.Combine(tree, "etc", "dir with space", "a \"quoted\" #name"), "quoted\n");
        File.WriteAllText(Path.Combine(tree, "usr", "lib", "os-release"), "ID=debian\n");
        File.CreateSymbolicLink(Path.Combine(tree, "etc", "os-release"), "../usr/lib/os-release");
        File.CreateSymbolicLink(Path.Combine(tree, "etc", "absolute"), "/usr/lib/os-release");
        File.CreateSymbolicLink(Path.Combine(tree, "etc", "long"), "/usr/lib/" + new string('x', 100));
        File.CreateSymbolicLink(Path.Combine(tree, "lib"), "usr/lib");
        File.CreateSymbolicLink(Path.Combine(tree, "etc", "escape"), "../../../../etc/passwd");
        _image = FixupTools.CreateImage(Path.Combine(_dir, "disk.img"), 40 << 20);
        FixupTools.Partition(_image, "label: gpt\n,32M,L\n");
        FixupTools.MakeExt4(_image, Offset, 32 << 20, tree, "0b4b2f6e-8c1d-4d57-9c39-3f6f3d0d2a11");
        FixupTools.DebugfsWrite(_image, Offset, "sif /etc/hostname uid 1000", "sif /etc/hostname gid 1001", "sif /etc/hostname mode 0100640", "ea_set /etc/hostname security.selinux system_u:object_r:etc_t:s0");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ReadFileAsync_FileAndLinks_ReadsThroughLinksInsideTheImage()
    {
        // Given
        var fs = new Ext4ImageFileSystem(_image, Offset);

        // When
        var hostname = await fs.ReadTextAsync("/etc/hostname");
        var relative = await fs.ReadTextAsync("/etc/os-release");
        var absolute = await fs.ReadTextAsync("/etc/absolute");
        var throughDirectoryLink = await fs.ReadTextAsync("/lib/os-release");
        var quoted = await fs.ReadTextAsync("/etc/dir with space/a \"quoted\" #name");

        // Then
        Assert.Equal("web01\n", hostname);
        Assert.Equal("ID=debian\n", relative);
        Assert.Equal("ID=debian\n", absolute);
        Assert.Equal("ID=debian\n", throughDirectoryLink);
        Assert.Equal("quoted\n", quoted);
    }

    [Fact]
    public async Task GetEntryAsync_Entries_DescribesWithoutFollowingTheLastLink()
    {
        // Given
        var fs = new Ext4ImageFileSystem(_image, Offset);

        // When
        var file = await fs.GetEntryAsync("/etc/hostname");
        var link = await fs.GetEntryAsync("/etc/os-release");
        var root = await fs.GetEntryAsync("/");
        var missing = await fs.GetEntryAsync("/etc/missing");
        var missingParent = await fs.GetEntryAsync("/nowhere/at/all");

        // Then
        Assert.Equal(new TargetEntry { Name = "hostname", Kind = TargetEntryKind.File, Mode = 0x1A0, Uid = 1000, Gid = 1001, Size = 6 }, file);
        Assert.Equal(TargetEntryKind.Symlink, link!.Kind);
        Assert.Equal(TargetEntryKind.Directory, root!.Kind);
        Assert.Null(missing);
        Assert.Null(missingParent);
        Assert.True(await fs.IsDirectoryAsync("/etc"));
        Assert.False(await fs.ExistsAsync("/etc/missing"));
    }

    [Fact]
    public async Task ReadSymlinkAsync_FastAndSlowLinks_ReturnsTheirText()
    {
        // Given
        var fs = new Ext4ImageFileSystem(_image, Offset);

        // When
        var fast = await fs.ReadSymlinkAsync("/etc/os-release");
        var slow = await fs.ReadSymlinkAsync("/etc/long");

        // Then
        Assert.Equal("../usr/lib/os-release", fast);
        Assert.Equal("/usr/lib/" + new string('x', 100), slow);
    }

    [Fact]
    public async Task ListDirectoryAsync_Directory_ListsNamesWithSpacesAndQuotes()
    {
        // Given
        var fs = new Ext4ImageFileSystem(_image, Offset);

        // When
        var etc = await fs.ListDirectoryAsync("/etc");
        var spaced = await fs.ListDirectoryAsync("/etc/dir with space");

        // Then
        Assert.Equal(["absolute", "dir with space", "escape", "hostname", "long", "os-release"], etc.Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal(TargetEntryKind.Directory, etc.Single(e => e.Name == "dir with space").Kind);
        Assert.Equal("a \"quoted\" #name", Assert.Single(spaced).Name);
    }

    [Fact]
    public async Task WriteFileAsync_ExistingFile_KeepsModeOwnerAndExtendedAttributes()
    {
        // Given
        var fs = new Ext4ImageFileSystem(_image, Offset);

        // When
        await fs.WriteTextAsync("/etc/hostname", "web02.example.com\n");

        // Then
        Assert.Equal("web02.example.com\n", FixupTools.CatText(_image, Offset, "/etc/hostname"));
        Assert.Equal((0x81A0, 1000u, 1001u), FixupTools.List(_image, Offset, "/etc")["hostname"]);
        var label = Encoding.UTF8.GetString(FixupTools.Debugfs(_image, Offset, "ea_get /etc/hostname security.selinux"));
        Assert.Contains("system_u:object_r:etc_t:s0", label, StringComparison.Ordinal);
        Assert.DoesNotContain(FixupTools.List(_image, Offset, "/etc").Keys, n => n.StartsWith(".sms-tmp", StringComparison.Ordinal));
        var (exit, output) = FixupTools.Check(_image, Offset);
        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task WriteFileAsync_NewFileWithSpecialNameAndAttributes_CreatesIt()
    {
        // Given
        var fs = new Ext4ImageFileSystem(_image, Offset);
        var content = new byte[70_000];
        new Random(7).NextBytes(content);

        // When
        await fs.WriteFileAsync("/etc/dir with space/new \"file\" #1", content, new TargetFileAttributes { Mode = 0x180, Uid = 70000, Gid = 5 });
        await fs.WriteTextAsync("/etc/plain", "plain\n");

        // Then
        Assert.Equal(content, FixupTools.Cat(_image, Offset, "/etc/dir with space/new \"\"file\"\" #1"));
        Assert.Equal((0x8180, 70000u, 5u), FixupTools.List(_image, Offset, "/etc/dir with space")["new \"file\" #1"]);
        Assert.Equal((0x81A4, 0u, 0u), FixupTools.List(_image, Offset, "/etc")["plain"]);
        Assert.Equal(content, await new Ext4ImageFileSystem(_image, Offset).ReadFileAsync("/etc/dir with space/new \"file\" #1"));
        var (exit, output) = FixupTools.Check(_image, Offset);
        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task WriteFileAsync_ThroughALink_ReplacesTheLinksTargetAndKeepsTheLink()
    {
        // Given
        var fs = new Ext4ImageFileSystem(_image, Offset);

        // When
        await fs.WriteTextAsync("/etc/os-release", "ID=ubuntu\n");

        // Then
        Assert.Equal("ID=ubuntu\n", FixupTools.CatText(_image, Offset, "/usr/lib/os-release"));
        Assert.Equal(TargetEntryKind.Symlink, (await fs.GetEntryAsync("/etc/os-release"))!.Kind);
    }

    [Fact]
    public async Task DeleteAsync_FileAndLinks_RemovesThemAndLeavesTheFileSystemClean()
    {
        // Given
        var fs = new Ext4ImageFileSystem(_image, Offset);

        // When
        await fs.DeleteFileAsync("/etc/hostname");
        await fs.DeleteSymlinkAsync("/etc/os-release");
        await fs.DeleteSymlinkAsync("/etc/long");

        // Then
        Assert.False(FixupTools.Exists(_image, Offset, "/etc/hostname"));
        Assert.False(FixupTools.Exists(_image, Offset, "/etc/os-release"));
        Assert.False(FixupTools.Exists(_image, Offset, "/etc/long"));
        Assert.True(FixupTools.Exists(_image, Offset, "/usr/lib/os-release"));
        var (exit, output) = FixupTools.Check(_image, Offset);
        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task DeleteSymlinkAsync_RegularFile_IsRefused()
    {
        // Given
        var fs = new Ext4ImageFileSystem(_image, Offset);

        // When
        var error = await Assert.ThrowsAsync<SmsException>(() => fs.DeleteSymlinkAsync("/etc/hostname"));

        // Then
        Assert.Equal(SmsErrorCode.TargetConfigurationFailed, error.ErrorCode);
        Assert.True(FixupTools.Exists(_image, Offset, "/etc/hostname"));
    }

    [Fact]
    public async Task CreateDirectoryAsync_NewDirectory_HasTheModeAndIsIdempotent()
    {
        // Given
        var fs = new Ext4ImageFileSystem(_image, Offset);

        // When
        await fs.CreateDirectoryAsync("/etc/new dir", new TargetFileAttributes { Mode = 0x1C0 });
        await fs.CreateDirectoryAsync("/etc/new dir");

        // Then
        Assert.Equal((0x41C0, 0u, 0u), FixupTools.List(_image, Offset, "/etc")["new dir"]);
        var (exit, output) = FixupTools.Check(_image, Offset);
        Assert.True(exit == 0, output);
    }

    [Theory]
    [InlineData("/etc/line\nbreak")]
    [InlineData("/etc/carriage\rreturn")]
    [InlineData("etc/relative")]
    [InlineData("/etc/../etc/hostname")]
    public async Task WriteFileAsync_PathDebugfsCannotExpressOrRelative_IsRefusedBeforeAnythingRuns(string path)
    {
        // Given
        var fs = new Ext4ImageFileSystem(_image, Offset);
        var before = await File.ReadAllBytesAsync(_image);

        // When
        var error = await Assert.ThrowsAsync<SmsException>(() => fs.WriteTextAsync(path, "x"));

        // Then
        Assert.Equal(SmsErrorCode.InvalidName, error.ErrorCode);
        Assert.Equal(before, await File.ReadAllBytesAsync(_image));
    }

    [Fact]
    public async Task ReadFileAsync_LinkClimbingAboveTheRoot_IsRefused()
    {
        // Given
        var fs = new Ext4ImageFileSystem(_image, Offset);

        // When
        var error = await Assert.ThrowsAsync<SmsException>(() => fs.ReadFileAsync("/etc/escape"));

        // Then
        Assert.Equal(SmsErrorCode.InvalidName, error.ErrorCode);
        Assert.Contains("/etc/escape", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadFileAsync_DebugfsMissing_SaysToInstallE2fsprogs()
    {
        // Given
        var fs = new Ext4ImageFileSystem(_image, Offset, new Ext4ImageFileSystemOptions { DebugfsPath = Path.Combine(_dir, "no-debugfs") });

        // When
        var error = await Assert.ThrowsAsync<SmsException>(() => fs.ReadFileAsync("/etc/hostname"));

        // Then
        Assert.Equal(SmsErrorCode.ToolNotFound, error.ErrorCode);
        Assert.Contains("no-debugfs", error.Message, StringComparison.Ordinal);
        Assert.Contains("e2fsprogs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task GetEntryAsync_DebugfsThatHangs_IsKilledAtTheTimeout()
    {
        // Given: a "debugfs" that never answers.
        var hanging = Path.Combine(_dir, "hanging-debugfs");
        await File.WriteAllTextAsync(hanging, "#!/bin/sh\nexec sleep 60\n");
        File.SetUnixFileMode(hanging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var fs = new Ext4ImageFileSystem(_image, Offset, new Ext4ImageFileSystemOptions { DebugfsPath = hanging, Timeout = TimeSpan.FromMilliseconds(500) });
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // When
        var error = await Assert.ThrowsAsync<SmsException>(() => fs.GetEntryAsync("/etc/hostname"));

        // Then
        Assert.Equal(SmsErrorCode.TargetConfigurationFailed, error.ErrorCode);
        Assert.Contains("did not finish within 0.5 s", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task GetEntryAsync_NotAnExtFileSystem_FailsWithDebugfsMessageAndImage()
    {
        // Given: the offset of the GPT header, not of a file system.
        var fs = new Ext4ImageFileSystem(_image, 512);

        // When
        var error = await Assert.ThrowsAsync<SmsException>(() => fs.GetEntryAsync("/etc/hostname"));

        // Then
        Assert.Equal(SmsErrorCode.TargetConfigurationFailed, error.ErrorCode);
        Assert.Contains("offset=512", error.Message, StringComparison.Ordinal);
        Assert.Contains("magic", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task WriteFileAsync_JournalNotWrittenBackAndReplayOff_IsRefused()
    {
        // Given: a committed transaction left in the journal, as a crash or a live copy leaves it.
        var block = Path.Combine(_dir, "block");
        await File.WriteAllBytesAsync(block, new byte[4096]);
        FixupTools.DebugfsWrite(_image, Offset, "jo", $"jw -b 3000 {block}", "jc");
        var fs = new Ext4ImageFileSystem(_image, Offset, new Ext4ImageFileSystemOptions { ReplayJournal = false });

        // When
        var error = await Assert.ThrowsAsync<SmsException>(() => fs.WriteTextAsync("/etc/hostname", "changed\n"));

        // Then
        Assert.Equal(SmsErrorCode.TargetConfigurationFailed, error.ErrorCode);
        Assert.Contains("journal", error.Message, StringComparison.Ordinal);
        Assert.Equal("web01\n", FixupTools.CatText(_image, Offset, "/etc/hostname"));
    }
}
