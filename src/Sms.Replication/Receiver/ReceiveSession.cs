using System.Buffers;
using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging;
using Sms.Blocks;
using Sms.Compression;
using Sms.Diagnostics;
using Sms.Protocol;
using Sms.Replication;

namespace Sms.Receiver;

/// <summary>
/// One source connection on the receiver. Nothing is written before the token is checked; every block's hash is
/// checked before it is written and acknowledged; anything the protocol does not allow ends the session with an
/// Error frame that says why.
/// </summary>
internal sealed class ReceiveSession
{
    private const int AckEveryFrames = 32;
    private readonly Socket _socket;
    private readonly X509Certificate2 _certificate;
    private readonly string _token;
    private readonly VolumeDirectory _volumes;
    private readonly ReceiverOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly string _remote;

    public ReceiveSession(Socket socket, X509Certificate2 certificate, string token, VolumeDirectory volumes, ReceiverOptions options, ILogger logger, TimeProvider timeProvider)
    {
        _socket = socket;
        _certificate = certificate;
        _token = token;
        _volumes = volumes;
        _options = options;
        _logger = logger;
        _timeProvider = timeProvider;
        _remote = socket.RemoteEndPoint?.ToString() ?? "?";
    }

    /// <summary>Runs the session; returns whether the source was authenticated.</summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        var ssl = new SslStream(new NetworkStream(_socket, ownsSocket: true), leaveInnerStreamOpen: false);
        FrameConnection? connection = null;
        var authenticated = false;
        try
        {
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            handshake.CancelAfter(_options.HandshakeTimeout);
            await ssl.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificate = _certificate,
                    EnabledSslProtocols = SslProtocols.Tls13,
                    ClientCertificateRequired = false,
                },
                handshake.Token).ConfigureAwait(false);

            connection = new FrameConnection(ssl, ReplicationSettings.MaxBlockSize + ProtocolConstants.HeaderSize);
            await connection.SendPreambleAsync(handshake.Token).ConfigureAwait(false);
            await connection.ReadPreambleAsync(handshake.Token).ConfigureAwait(false);
            var (header, payload) = await connection.ReadFrameAsync(ProtocolConstants.MaxControlPayload, handshake.Token).ConfigureAwait(false);
            if (header.Type != FrameType.Hello)
            {
                throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"Expected Hello, got {header.Type}.");
            }

            var hello = ControlMessages.Deserialize(payload, ProtocolJsonContext.Default.HelloMessage);
            if (!TokenMatches(hello.Token))
            {
                await Task.Delay(_options.WrongTokenDelay, _timeProvider, cancellationToken).ConfigureAwait(false);
                throw new ReplicationProtocolException(SmsErrorCode.InvalidToken, "The bearer token is not valid for this receiver; nothing was written.");
            }

            authenticated = true;
            await ServeAsync(connection, hello, cancellationToken).ConfigureAwait(false);
        }
        catch (SmsException ex)
        {
            Log.SessionRefused(_logger, _remote, ex.ErrorCode.Value, ex.Message);
            if (connection is not null)
            {
                await TrySendErrorAsync(connection, ex).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or AuthenticationException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            Log.SessionBroken(_logger, _remote, ex.Message);
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                await ssl.DisposeAsync().ConfigureAwait(false);
            }
        }

        return authenticated;
    }

    private bool TokenMatches(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(_token));
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    private async Task ServeAsync(FrameConnection connection, HelloMessage hello, CancellationToken cancellationToken)
    {
        var blockSize = hello.BlockSize;
        if (blockSize < ReplicationSettings.MinBlockSize || blockSize > ReplicationSettings.MaxBlockSize || (blockSize & (blockSize - 1)) != 0 || hello.SourceLength < 0)
        {
            throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"Block size {blockSize} or source length {hello.SourceLength} is not acceptable.");
        }

        var lease = await _volumes.AcquireAsync(hello.Volume, cancellationToken).ConfigureAwait(false);
        FileBlockSink sink;
        VolumeState state;
        string? resetReason;
        try
        {
            (sink, state, resetReason) = _volumes.Open(hello.Volume, hello.SourceLength, hello.Reset, hello.ExpectedVolumeId);
        }
        catch
        {
            lease.Dispose();
            throw;
        }

        var writer = new BlockWriter(sink, blockSize);
        try
        {
            Log.SessionAccepted(_logger, _remote, hello.Volume, resetReason is null ? "incremental" : "reset: " + resetReason);
            var helloAck = new HelloAckMessage
            {
                VolumeId = state.VolumeId,
                VolumeLength = sink.Length,
                Reset = resetReason is not null,
                ResetReason = resetReason,
                MaxPayload = blockSize,
            };
            await connection.SendAsync(FrameType.HelloAck, 0, 0, ControlMessages.Serialize(helloAck, ProtocolJsonContext.Default.HelloAckMessage), cancellationToken).ConfigureAwait(false);
            await ReceiveFramesAsync(connection, hello.Volume, state, writer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            writer.Dispose();
            _ = _volumes.ReleaseAfterFlush(hello.Volume, lease, sink, Checkpoint(state, writer, clean: true));
        }
    }

    private async Task ReceiveFramesAsync(FrameConnection connection, string volume, VolumeState state, BlockWriter writer, CancellationToken cancellationToken)
    {
        var maxPayload = Math.Max(writer.BlockSize, ProtocolConstants.MaxControlPayload);
        long acknowledged = 0;
        var lastCheckpoint = _timeProvider.GetTimestamp();
        while (true)
        {
            if (!connection.TryReadBufferedFrame(maxPayload, out var header, out var payload))
            {
                // About to wait for the network: acknowledge what is written so the source can move on.
                if (writer.Frames > acknowledged)
                {
                    acknowledged = writer.Frames;
                    await connection.SendAsync(FrameType.Ack, acknowledged, 0, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
                }

                (header, payload) = await connection.ReadFrameAsync(maxPayload, cancellationToken).ConfigureAwait(false);
            }

            switch (header.Type)
            {
                case FrameType.Block:
                    writer.WriteBlock(header, payload);
                    break;
                case FrameType.Zero:
                    writer.WriteZero(header);
                    break;
                case FrameType.End:
                    if (header.Offset != writer.Frames)
                    {
                        throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"The source ended the pass after {header.Offset} frames, {writer.Frames} arrived.");
                    }

                    acknowledged = writer.Frames;
                    connection.Write(FrameType.Ack, FrameFlags.None, acknowledged, 0, UInt128.Zero, default);
                    var endAck = new EndAckMessage { BytesWritten = writer.Bytes, FramesWritten = writer.Frames };
                    await connection.SendAsync(FrameType.EndAck, 0, 0, ControlMessages.Serialize(endAck, ProtocolJsonContext.Default.EndAckMessage), cancellationToken).ConfigureAwait(false);
                    break;
                case FrameType.VerifyRequest:
                    var mismatches = await writer.VerifyAsync(header, payload, cancellationToken).ConfigureAwait(false);
                    await connection.SendAsync(FrameType.VerifyResult, header.Offset, mismatches.Length / 8, mismatches, cancellationToken).ConfigureAwait(false);
                    break;
                case FrameType.Bye:
                    Log.SessionEnded(_logger, _remote, volume, writer.Frames, writer.Bytes);
                    return;
                default:
                    throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"Unexpected {header.Type} frame from the source.");
            }

            if (writer.Frames - acknowledged >= AckEveryFrames)
            {
                acknowledged = writer.Frames;
                await connection.SendAsync(FrameType.Ack, acknowledged, 0, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
            }

            if (_timeProvider.GetElapsedTime(lastCheckpoint) >= _options.CheckpointInterval)
            {
                lastCheckpoint = _timeProvider.GetTimestamp();
                _volumes.WriteState(volume, Checkpoint(state, writer, clean: false));
            }
        }
    }

    private static VolumeState Checkpoint(VolumeState state, BlockWriter writer, bool clean)
        => state with { Clean = clean, AcknowledgedFrames = writer.Frames, AcknowledgedThrough = writer.Through, BytesWritten = writer.Bytes };

    private static async Task TrySendErrorAsync(FrameConnection connection, SmsException error)
    {
        try
        {
            var message = new ErrorMessage { Code = error.ErrorCode.Value, Message = error.Message };
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await connection.SendAsync(FrameType.Error, 0, 0, ControlMessages.Serialize(message, ProtocolJsonContext.Default.ErrorMessage), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The source is gone; the log has the reason.
        }
    }

    /// <summary>Checks and writes block frames into a sink; owns the session's scratch buffers, not the sink.</summary>
    private sealed class BlockWriter : IDisposable
    {
        private readonly FileBlockSink _sink;
        private readonly BlockCodec _codec = new(CompressionKind.None);
        private readonly byte[] _raw;
        private readonly byte[] _packed;

        public BlockWriter(FileBlockSink sink, int blockSize)
        {
            _sink = sink;
            BlockSize = blockSize;
            _raw = ArrayPool<byte>.Shared.Rent(blockSize);
            _packed = ArrayPool<byte>.Shared.Rent(blockSize);
        }

        public int BlockSize { get; }

        public long Frames { get; private set; }

        public long Bytes { get; private set; }

        public long Through { get; private set; }

        public void WriteBlock(in FrameHeader header, ReadOnlySequence<byte> payload)
        {
            CheckRange(header);
            if (header.PayloadLength > header.RawLength)
            {
                throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"A block payload of {header.PayloadLength} bytes is larger than its raw length {header.RawLength}.");
            }

            ReadOnlySpan<byte> packed;
            if (payload.IsSingleSegment)
            {
                packed = payload.FirstSpan;
            }
            else
            {
                payload.CopyTo(_packed);
                packed = _packed.AsSpan(0, header.PayloadLength);
            }

            var raw = _raw.AsSpan(0, header.RawLength);
            _codec.Decompress(header.Flags, packed, raw);
            if (BlockHash.Compute(raw) != header.Hash)
            {
                throw new ReplicationProtocolException(SmsErrorCode.HashMismatch, $"The block at offset {header.Offset} does not match its hash; it was not written.");
            }

            _sink.Write(header.Offset, raw);
            Done(header);
        }

        public void WriteZero(in FrameHeader header)
        {
            CheckRange(header);
            if (header.PayloadLength != 0)
            {
                throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, "A Zero frame carries a payload.");
            }

            _sink.Zero(new BlockRange(header.Offset, header.RawLength));
            Done(header);
        }

        public async Task<byte[]> VerifyAsync(FrameHeader header, ReadOnlySequence<byte> payload, CancellationToken cancellationToken)
        {
            var count = header.RawLength;
            if (header.PayloadLength != count * 16L || count <= 0)
            {
                throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, "A VerifyRequest frame has a wrong length.");
            }

            var hashes = payload.ToArray(); // copied: the payload is not valid across the reads below
            var mismatches = new List<long>();
            for (var i = 0; i < count; i++)
            {
                var expected = BlockHash.Read(hashes.AsSpan(i * 16, 16));
                if (expected == BlockHash.Zero)
                {
                    continue; // not a valid block: nothing to verify
                }

                var index = header.Offset + i;
                var offset = index * BlockSize;
                var length = (int)Math.Min(BlockSize, Math.Max(0, _sink.Length - offset));
                var read = length == 0 ? 0 : await _sink.ReadAsync(offset, _raw.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                if (expected == BlockHash.Unknown || read != length || BlockHash.Compute(_raw.AsSpan(0, length)) != expected)
                {
                    mismatches.Add(index);
                }
            }

            var result = new byte[mismatches.Count * 8];
            for (var i = 0; i < mismatches.Count; i++)
            {
                BinaryPrimitives.WriteInt64BigEndian(result.AsSpan(i * 8), mismatches[i]);
            }

            return result;
        }

        public void Dispose()
        {
            _codec.Dispose();
            ArrayPool<byte>.Shared.Return(_raw);
            ArrayPool<byte>.Shared.Return(_packed);
        }

        private void CheckRange(in FrameHeader header)
        {
            if (header.RawLength <= 0 || header.RawLength > BlockSize || header.Offset % BlockSize != 0)
            {
                throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"A block frame at offset {header.Offset} of {header.RawLength} bytes is not block-aligned for {BlockSize}-byte blocks.");
            }

            if (header.Offset > _sink.Length - header.RawLength)
            {
                throw new ReplicationProtocolException(SmsErrorCode.WriteBeyondEnd, $"Refused a write of {header.RawLength} bytes at offset {header.Offset}: the volume is {_sink.Length} bytes.");
            }
        }

        private void Done(in FrameHeader header)
        {
            Frames++;
            Bytes += header.RawLength;
            Through = Math.Max(Through, header.Offset + header.RawLength);
            SmsReplicationMetrics.BytesWritten.Add(header.RawLength);
        }
    }
}
