using Sms.Fixups;

namespace Sms.Agent.Hosting.Tests.Fixups;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DirectoryTargetFileSystemTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sms-dirfs-").FullName;
    private readonly string _root;
    private readonly string _outside;

    public DirectoryTargetFileSystemTests()
    {
        // Given (for every test): a target root beside a directory that is not part of it.
        _root = Path.Combine(_dir, "root");
        _outside = Path.Combine(_dir, "outside");
        Directory.CreateDirectory(Path.Combine(_root, "etc", "netplan"));
        Directory.CreateDirectory(Path.Combine(_root, "usr", "lib"));
        Directory.CreateDirectory(_outside);
        File.WriteAllText(Path.Combine(_outside, "secret"), "host secret\n");
        File.WriteAllText(Path.Combine(_root, "etc", "hostname"), "web01\n");
        File.WriteAllText(Path.Combine(_root, "usr", "lib", "os-release"), "ID=debian\n");
        File.CreateSymbolicLink(Path.Combine(_root, "etc", "os-release"), "../usr/lib/os-release");
        File.CreateSymbolicLink(Path.Combine(_root, "etc", "up-and-out"), "../../outside/secret");
        File.CreateSymbolicLink(Path.Combine(_root, "etc", "host-absolute"), Path.Combine(_outside, "secret"));
        File.CreateSymbolicLink(Path.Combine(_root, "etc", "out-dir"), "../../outside");
        File.CreateSymbolicLink(Path.Combine(_root, "etc", "loop"), "loop");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("/etc/../../outside/secret")]
    [InlineData("/../outside/secret")]
    [InlineData("etc/hostname")]
    [InlineData("")]
    public async Task ReadFileAsync_DotDotOrRelativePath_IsRefused(string path)
    {
        // Given
        var fs = new DirectoryTargetFileSystem(_root);

        // When
        var error = await Assert.ThrowsAsync<SmsException>(() => fs.ReadFileAsync(path));

        // Then
        Assert.Equal(SmsErrorCode.InvalidName, error.ErrorCode);
    }

    [Theory]
    [InlineData("/etc/up-and-out")]
    [InlineData("/etc/out-dir/secret")]
    public async Task ReadFileAsync_LinkClimbingOutOfTheRoot_IsRefused(string path)
    {
        // Given
        var fs = new DirectoryTargetFileSystem(_root);

        // When
        var error = await Assert.ThrowsAsync<SmsException>(() => fs.ReadFileAsync(path));

        // Then
        Assert.Equal(SmsErrorCode.InvalidName, error.ErrorCode);
        Assert.Contains("out of the target's root", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteFileAsync_LinkClimbingOutOfTheRoot_IsRefusedAndNothingOutsideChanges()
    {
        // Given
        var fs = new DirectoryTargetFileSystem(_root);

        // When
        var error = await Assert.ThrowsAsync<SmsException>(() => fs.WriteTextAsync("/etc/out-dir/secret", "overwritten\n"));

        // Then
        Assert.Equal(SmsErrorCode.InvalidName, error.ErrorCode);
        Assert.Equal("host secret\n", await File.ReadAllTextAsync(Path.Combine(_outside, "secret")));
    }

    [Fact]
    public async Task ReadFileAsync_AbsoluteLinkToAHostPath_IsReadInsideTheTargetNotOnTheHost()
    {
        // Given: a link whose text is a path of this machine; the target reads it from its own root.
        var fs = new DirectoryTargetFileSystem(_root);

        // When
        var error = await Assert.ThrowsAsync<SmsException>(() => fs.ReadFileAsync("/etc/host-absolute"));
        Directory.CreateDirectory(_root + _outside);
        await File.WriteAllTextAsync(Path.Combine(_root + _outside, "secret"), "the target's own file\n");
        var text = await fs.ReadTextAsync("/etc/host-absolute");

        // Then
        Assert.Equal(SmsErrorCode.ResourceNotFound, error.ErrorCode);
        Assert.Equal("the target's own file\n", text);
    }

    [Fact]
    public async Task WriteFileAsync_AbsoluteLinkToAHostPath_WritesInsideTheTarget()
    {
        // Given
        var fs = new DirectoryTargetFileSystem(_root);
        Directory.CreateDirectory(_root + _outside);

        // When
        await fs.WriteTextAsync("/etc/host-absolute", "inside\n");

        // Then
        Assert.Equal("host secret\n", await File.ReadAllTextAsync(Path.Combine(_outside, "secret")));
        Assert.Equal("inside\n", await File.ReadAllTextAsync(Path.Combine(_root + _outside, "secret")));
    }

    [Fact]
    public async Task ReadFileAsync_LinkLoop_IsRefused()
    {
        // Given
        var fs = new DirectoryTargetFileSystem(_root);

        // When
        var error = await Assert.ThrowsAsync<SmsException>(() => fs.ReadFileAsync("/etc/loop"));

        // Then
        Assert.Equal(SmsErrorCode.InvalidName, error.ErrorCode);
        Assert.Contains("symbolic links", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteFileAsync_ExistingFile_ReplacesItKeepingItsModeAndLeavesNoTemporaryFile()
    {
        // Given
        var fs = new DirectoryTargetFileSystem(_root);
        var path = Path.Combine(_root, "etc", "netplan", "50-cloud-init.yaml");
        await File.WriteAllTextAsync(path, "network: {}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // When
        await fs.WriteTextAsync("/etc/netplan/50-cloud-init.yaml", "network:\n  version: 2\n");

        // Then
        Assert.Equal("network:\n  version: 2\n", await File.ReadAllTextAsync(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(["50-cloud-init.yaml"], Directory.GetFiles(Path.Combine(_root, "etc", "netplan")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task WriteFileAsync_ThroughARelativeLink_ReplacesTheTargetAndKeepsTheLink()
    {
        // Given
        var fs = new DirectoryTargetFileSystem(_root);

        // When
        await fs.WriteTextAsync("/etc/os-release", "ID=ubuntu\n", new TargetFileAttributes { Mode = 0x180 });

        // Then
        Assert.Equal("ID=ubuntu\n", await File.ReadAllTextAsync(Path.Combine(_root, "usr", "lib", "os-release")));
        Assert.Equal("../usr/lib/os-release", new FileInfo(Path.Combine(_root, "etc", "os-release")).LinkTarget);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_root, "usr", "lib", "os-release")));
    }

    [Fact]
    public async Task GetEntryAndListDirectoryAsync_Tree_DescribeEntriesWithoutFollowingLinks()
    {
        // Given
        var fs = new DirectoryTargetFileSystem(_root);

        // When
        var entries = await fs.ListDirectoryAsync("/etc");
        var link = await fs.GetEntryAsync("/etc/out-dir");
        var missing = await fs.GetEntryAsync("/no/such/dir");

        // Then
        Assert.Equal(["host-absolute", "hostname", "loop", "netplan", "os-release", "out-dir", "up-and-out"], entries.Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal(TargetEntryKind.Symlink, link!.Kind);
        Assert.Equal(TargetEntryKind.File, entries.Single(e => e.Name == "hostname").Kind);
        Assert.Equal(6, entries.Single(e => e.Name == "hostname").Size);
        Assert.Null(missing);
    }

    [Fact]
    public async Task DeleteSymlinkAsync_LinkOutOfTheRoot_DeletesTheLinkOnly()
    {
        // Given
        var fs = new DirectoryTargetFileSystem(_root);

        // When
        await fs.DeleteSymlinkAsync("/etc/up-and-out");
        await fs.DeleteFileAsync("/etc/host-absolute");

        // Then
        Assert.False(File.Exists(Path.Combine(_root, "etc", "up-and-out")));
        Assert.False(File.Exists(Path.Combine(_root, "etc", "host-absolute")));
        Assert.Equal("host secret\n", await File.ReadAllTextAsync(Path.Combine(_outside, "secret")));
    }

    [Fact]
    public async Task DeleteFileAsync_Directory_IsRefused()
    {
        // Given
        var fs = new DirectoryTargetFileSystem(_root);

        // When
        var error = await Assert.ThrowsAsync<SmsException>(() => fs.DeleteFileAsync("/etc/netplan"));

        // Then
        Assert.Equal(SmsErrorCode.TargetConfigurationFailed, error.ErrorCode);
        Assert.True(Directory.Exists(Path.Combine(_root, "etc", "netplan")));
    }
}
