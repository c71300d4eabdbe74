using System.Text;
using Sms.Files.Native;
using Sms.Replication.Tests.Integration;

namespace Sms.Replication.Tests.Files.Native;

/// <summary>
/// The open flags whose values differ between architectures (x86 and arm/arm64) do what they say on the machine the
/// tests run on: a wrong value would open files the wrong way (a directory flag ignored, a symlink followed).
/// </summary>
public sealed unsafe class FileNativeOpenFlagTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ODirectory_OnARegularFile_FailsWithENOTDIR()
    {
        File.WriteAllText(_dir.Combine("file"), "x");

        var (fd, errno) = Open(_dir.Combine("file"), FileNative.ORdOnly | FileNative.ODirectory | FileNative.OCloExec);

        Assert.Equal((-1, Errno.ENOTDIR), (fd, errno));
    }

    [Fact]
    public void ONoFollow_OnASymlink_FailsWithELOOP()
    {
        File.WriteAllText(_dir.Combine("target"), "x");
        File.CreateSymbolicLink(_dir.Combine("link"), _dir.Combine("target"));

        var (fd, errno) = Open(_dir.Combine("link"), FileNative.ORdOnly | FileNative.ONoFollow | FileNative.OCloExec);

        Assert.Equal((-1, Errno.ELOOP), (fd, errno));
    }

    [Fact]
    public void OTmpFile_InADirectory_CreatesAFileWithoutAName()
    {
        var (fd, errno) = Open(_dir.Path, FileNative.OTmpFile | FileNative.ORdWr | FileNative.OCloExec, mode: 384);
        try
        {
            Assert.True(fd >= 0, $"errno {errno}");
            Assert.Empty(Directory.EnumerateFileSystemEntries(_dir.Path));
        }
        finally
        {
            FileNative.CloseQuietly(fd);
        }
    }

    [SkippableFact]
    public void ODirect_RefusesAnUnalignedWrite_AndTakesAnAlignedOne()
    {
        File.WriteAllBytes(_dir.Combine("file"), []);
        var (fd, errno) = Open(_dir.Combine("file"), FileNative.OWrOnly | FileNative.ODirect | FileNative.OCloExec);
        Skip.If(fd < 0 && errno == Errno.EINVAL, $"the file system under {_dir.Path} refuses O_DIRECT");
        Assert.True(fd >= 0, $"errno {errno}");
        var buffer = (byte*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc(2 * 4096, 4096);
        try
        {
            // Direct I/O needs an aligned buffer: one byte off is refused, which buffered I/O never does.
            var unaligned = FileNative.PWrite(fd, buffer + 1, 4096, 0);
            var unalignedErrno = FileNative.Errno;
            var aligned = FileNative.PWrite(fd, buffer, 4096, 0);

            Assert.Equal((-1, Errno.EINVAL), ((int)unaligned, unalignedErrno));
            Assert.Equal(4096, aligned);
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.AlignedFree(buffer);
            FileNative.CloseQuietly(fd);
        }
    }

    private static (int Fd, int Errno) Open(string path, int flags, int mode = 0)
    {
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            var fd = FileNative.OpenAt(FileNative.AtFdCwd, p, flags, mode);
            return (fd, fd < 0 ? FileNative.Errno : 0);
        }
    }
}
