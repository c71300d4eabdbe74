using System.IO.Hashing;
using Sms.Blocks;

namespace Sms.Files.Manifest;

/// <summary>
/// The content hash of a regular file, the same on both sides: a file of at most one chunk hashes as a block
/// (<see cref="BlockHash.Compute"/>, all zeros → 0); a larger one is the XXH128 of its chunk hashes (big-endian), each
/// chunk hashed as a block, so holes hash without being read.
/// </summary>
internal static class ContentHash
{
    public static UInt128 OfSmall(ReadOnlySpan<byte> content) => BlockHash.Compute(content);

    /// <summary>Accumulates chunk hashes in order.</summary>
    public sealed class Builder
    {
        private readonly XxHash128 _hash = new();
        private readonly byte[] _word = new byte[16];

        public long Chunks { get; private set; }

        public void Append(UInt128 chunkHash)
        {
            BlockHash.Write(chunkHash, _word);
            _hash.Append(_word);
            Chunks++;
        }

        public UInt128 Finish()
        {
            var value = _hash.GetCurrentHashAsUInt128();
            return value == UInt128.Zero ? UInt128.One : value;
        }
    }

    public static UInt128 OfChunks(ReadOnlySpan<UInt128> chunks)
    {
        var builder = new Builder();
        foreach (var chunk in chunks)
        {
            builder.Append(chunk);
        }

        return builder.Finish();
    }

    /// <summary>How many chunks a file of <paramref name="size"/> bytes has when it is chunked (more than one chunk).</summary>
    public static bool IsChunked(long size) => size > FileReplicationSettings.ChunkSize;

    public static long ChunkCount(long size) => (size + FileReplicationSettings.ChunkSize - 1) / FileReplicationSettings.ChunkSize;
}
