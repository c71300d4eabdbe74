namespace Sms.Cloud.Tests.Huawei.TestDoubles;

/// <summary>A forward-only read stream (like a network or pipe stream); optionally throws on any read.</summary>
internal sealed class NonSeekableStream(byte[] data, bool throwOnRead = false) : Stream
{
    private int _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (throwOnRead)
        {
            throw new InvalidOperationException("The body must not be read.");
        }

        int n = Math.Min(count, data.Length - _position);
        Array.Copy(data, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
