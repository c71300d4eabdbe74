using System.Threading.Tasks.Sources;
using Sms.Blocks;
using Sms.Protocol;

namespace Sms.Engine;

/// <summary>
/// One block on its way through the pipeline: a reusable buffer pair and the block's fate. The sender awaits slots
/// in read order while workers complete them in any order; slots are recycled, so a pass allocates none per block.
/// </summary>
internal sealed class BlockSlot : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _core;

    public BlockSlot(int blockSize, int packedSize)
    {
        Data = GC.AllocateUninitializedArray<byte>(blockSize, pinned: true);
        Packed = GC.AllocateUninitializedArray<byte>(packedSize, pinned: true);
        _core.RunContinuationsAsynchronously = true;
    }

    public byte[] Data { get; }

    public byte[] Packed { get; }

    /// <summary>The parts of the block that hold data (absolute offsets); the rest reads as zeros.</summary>
    public List<BlockRange> Extents { get; } = new(4);

    public long Index { get; private set; }

    public long Offset { get; private set; }

    public int Length { get; private set; }

    public UInt128 Hash { get; set; }

    public bool Changed { get; set; }

    public FrameFlags Flags { get; set; }

    public int PackedLength { get; set; }

    /// <summary>Whether a worker tried to compress the block (whether or not it shrank).</summary>
    public bool CompressionTried { get; set; }

    public void Prepare(long index, long offset, int length)
    {
        Index = index;
        Offset = offset;
        Length = length;
        Extents.Clear();
        Hash = default;
        Changed = false;
        Flags = FrameFlags.None;
        PackedLength = 0;
        CompressionTried = false;
        _core.Reset();
    }

    public ReadOnlySpan<byte> Payload => Flags == FrameFlags.None ? Data.AsSpan(0, Length) : Packed.AsSpan(0, PackedLength);

    /// <summary>The payload as memory, for a write that outlives a span.</summary>
    public ReadOnlyMemory<byte> PayloadMemory => Flags == FrameFlags.None ? Data.AsMemory(0, Length) : Packed.AsMemory(0, PackedLength);

    public void Complete() => _core.SetResult(true);

    public void Fail(Exception error) => _core.SetException(error);

    public ValueTask WaitAsync() => new(this, _core.Version);

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);
}
