namespace Sms.Replication.Tests.Blocks;

/// <summary>Creates sparse files: a length, with data written at a few offsets only.</summary>
internal static class SparseFile
{
    public static void Create(string path, long length, params (long Offset, byte[] Data)[] writes)
    {
        using var handle = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite);
        RandomAccess.SetLength(handle, length);
        foreach (var (offset, data) in writes)
        {
            RandomAccess.Write(handle, data, offset);
        }
    }

    public static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        bytes[0] = 0xA5;
        bytes[^1] = 0x5A;
        return bytes;
    }
}
