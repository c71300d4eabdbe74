using FsCheck.Xunit;
using Sms.Cloud.Local.Files;
using Sms.Cloud.Local.Networks;

namespace Sms.Cloud.Tests.Local;

public sealed class FileClonerTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task CopyAsync_SparseCopyToALongerFile_DataKeptHolesKeptZerosSkipped()
    {
        // Given: data at 0 and 3 MiB + 100, explicit zeros at 1 MiB, a 16 MiB file
        var source = Path.Combine(_directory.Path, "source.img");
        var head = new byte[4096];
        new Random(1).NextBytes(head);
        var tail = new byte[5000];
        new Random(2).NextBytes(tail);
        await using (var stream = File.Create(source))
        {
            stream.SetLength(16 << 20);
            stream.Write(head);
            stream.Position = 1 << 20;
            stream.Write(new byte[1 << 20]);
            stream.Position = (3 << 20) + 100;
            stream.Write(tail);
        }

        var destination = Path.Combine(_directory.Path, "copy.img");

        // When
        var method = await new FileCloner(useReflink: false).CopyAsync(source, destination, 32 << 20, CancellationToken.None);

        // Then
        Assert.Equal(CopyMethod.SparseCopy, method);
        Assert.Equal(32 << 20, new FileInfo(destination).Length);
        var copy = await File.ReadAllBytesAsync(destination);
        var original = await File.ReadAllBytesAsync(source);
        Assert.True(copy.AsSpan(0, original.Length).SequenceEqual(original));
        Assert.False(copy.AsSpan(original.Length).ContainsAnyExcept((byte)0));
        using var handle = File.OpenHandle(destination);
        var ranges = LocalFileNative.GetDataRanges(handle, 32 << 20);
        Assert.True(ranges.Sum(r => r.Length) <= 64 * 1024, $"{ranges.Sum(r => r.Length)} bytes allocated");
    }

    [Fact]
    public async Task CopyAsync_SourceLongerThanTheCopy_IOException()
    {
        var source = Path.Combine(_directory.Path, "source.img");
        await File.WriteAllBytesAsync(source, new byte[8192]);

        await Assert.ThrowsAsync<IOException>(() => new FileCloner(useReflink: true).CopyAsync(source, source + ".copy", 4096, CancellationToken.None));
    }

    [Property]
    public bool Ipv4Cidr_Overlaps_IsRangeIntersection(uint a, byte prefixA, uint b, byte prefixB)
    {
        var first = new Ipv4Cidr(0, prefixA % 33);
        first = first with { Network = a & first.Mask };
        var second = new Ipv4Cidr(0, prefixB % 33);
        second = second with { Network = b & second.Mask };
        var intersect = Math.Max(first.Network, second.Network) <= Math.Min(first.Broadcast, second.Broadcast);
        return first.Overlaps(second) == intersect && first.Contains(second) == (first.Network <= second.Network && second.Broadcast <= first.Broadcast);
    }

    [Theory]
    [InlineData("10.0.0.0/16", true)]
    [InlineData("10.0.0.0/0", false)]
    [InlineData("0.0.0.0/0", true)]
    [InlineData("10.0.0.1/32", true)]
    [InlineData("10.0.0.1/31", false)]
    [InlineData("10.0.0.0/-1", false)]
    [InlineData("10.0.0.0/ 8", false)]
    [InlineData("10.0.0.0", false)]
    [InlineData("::/0", false)]
    public void Ipv4Cidr_TryParse_AcceptsOnlyCanonicalNetworks(string text, bool valid)
        => Assert.Equal(valid, Ipv4Cidr.TryParse(text, out _));
}
