using Sms.Cloud.Local;
using Sms.Discovery;

namespace Sms.Cloud.Tests.Local;

public sealed class LocalImageTests : LocalCloudTestBase
{
    [Fact]
    public async Task CreateImageFromVolume_WrittenVolume_RawSparseFileWithTheSameBytes()
    {
        // Given
        var volume = await CreateVolumeAsync(1);
        var data = Pattern(1 << 16, 9);
        WriteAt(volume.LocalPath!, 123 * MiB, data);

        // When
        var image = await CompleteAsync(await Cloud.Images.StartCreateImageFromVolumeAsync(volume.Id, "img"));

        // Then
        var file = Path.Combine(Temp.Path, "images", image.Id + ".img");
        Assert.Equal((1, FirmwareType.Bios), (image.MinDiskGiB, image.Firmware));
        Assert.Equal(GiB, new FileInfo(file).Length);
        Assert.Equal(data, ReadAt(file, 123 * MiB, data.Length));
        Assert.True(AllocatedBytes(file) < 2 * MiB);
    }

    [Fact]
    public async Task CreateImageFromServer_Running_ConflictUntilStopped()
    {
        var server = await CreateServerAsync(await CreateNetworkAsync(), []);

        var error = await AssertFailsAsync(SmsErrorCode.ResourceConflict, () => Cloud.Images.StartCreateImageFromServerAsync(server.Id, "img"));

        Assert.Contains("stop it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateServer_FromAnImportedImage_SystemDiskHoldsTheImageAndHasTheAskedSize()
    {
        // Given: a "disk image" with a boot sector and data further in
        var source = Path.Combine(Temp.Path, "disk.raw");
        var bootSector = Pattern(512, 10);
        var data = Pattern(1 << 20, 11);
        await using (var stream = File.Create(source))
        {
            stream.SetLength(64 * MiB);
            stream.Write(bootSector);
            stream.Position = 40 * MiB;
            stream.Write(data);
        }

        var image = await CompleteAsync(await Cloud.StartImportImageAsync(source, "disk", FirmwareType.Uefi));

        // When
        var server = await CreateServerAsync(await CreateNetworkAsync(), [], image.Id, systemDiskGiB: 2);

        // Then
        Assert.Equal((1, FirmwareType.Uefi), (image.MinDiskGiB, image.Firmware));
        var systemDisk = (await Cloud.Volumes.GetVolumeAsync(server.Volumes[0].VolumeId)).LocalPath!;
        Assert.Equal(2 * GiB, new FileInfo(systemDisk).Length);
        Assert.Equal(bootSector, ReadAt(systemDisk, 0, 512));
        Assert.Equal(data, ReadAt(systemDisk, 40 * MiB, data.Length));
        await AssertFailsAsync(SmsErrorCode.ResourceConflict, () => Cloud.Images.StartCreateImageFromServerAsync(server.Id, "again"));
    }

    [Fact]
    public async Task Qcow2Asked_QemuImgNotInstalled_ImagesStayRaw()
    {
        // Given
        await using var cloud = await OpenAsync(new LocalCloudOptions { ImageFormat = LocalImageFormat.Qcow2, QemuImgPath = "/nonexistent/qemu-img" });
        var volume = await CreateVolumeAsync(1, cloud);

        // When
        var image = await CompleteAsync(await cloud.Images.StartCreateImageFromVolumeAsync(volume.Id, "img"));

        // Then
        Assert.True(File.Exists(Path.Combine(Temp.Path, "images", image.Id + ".img")));
    }

    [Fact]
    public async Task DeleteImage_DeletesItsFile()
    {
        var volume = await CreateVolumeAsync(1);
        var image = await CompleteAsync(await Cloud.Images.StartCreateImageFromVolumeAsync(volume.Id, "img"));

        await Cloud.Images.DeleteImageAsync(image.Id);

        Assert.Empty(Directory.GetFiles(Path.Combine(Temp.Path, "images")));
        await AssertFailsAsync(SmsErrorCode.ResourceNotFound, () => Cloud.Images.DeleteImageAsync(image.Id));
    }
}
