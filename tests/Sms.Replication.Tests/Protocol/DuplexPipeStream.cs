using System.IO.Pipelines;

namespace Sms.Replication.Tests.Protocol;

/// <summary>
/// One end of an in-memory connection: reads what the other end writes and the other way round. Disposing an end
/// completes its outgoing pipe, so the peer reads end-of-stream, like a closed socket.
/// </summary>
internal sealed class DuplexPipeStream : Stream
{
    private readonly Stream _input;
    private readonly Stream _output;

    private DuplexPipeStream(PipeReader input, PipeWriter output)
    {
        _input = input.AsStream();
        _output = output.AsStream();
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Creates two connected ends.</summary>
    public static (DuplexPipeStream Left, DuplexPipeStream Right) CreatePair()
    {
        var leftToRight = new Pipe();
        var rightToLeft = new Pipe();
        return (new DuplexPipeStream(rightToLeft.Reader, leftToRight.Writer), new DuplexPipeStream(leftToRight.Reader, rightToLeft.Writer));
    }

    public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        => _input.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => _input.ReadAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => _output.Write(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        => _output.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => _output.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Flush() => _output.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _output.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _output.Dispose();
            _input.Dispose();
        }

        base.Dispose(disposing);
    }
}
