using System.Buffers;
using System.Buffers.Binary;
using System.Net;
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
    private readonly FailedTokenThrottle _tokenThrottle;
    private readonly IPAddress _remoteAddress;
    private readonly ReceiverOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly string _remote;

    public ReceiveSession(Socket socket, X509Certificate2 certificate, string token, VolumeDirectory volumes, FailedTokenThrottle tokenThrottle, ReceiverOptions options, ILogger logger, TimeProvider timeProvider)
    {
        _tokenThrottle = tokenThrottle;
        _remoteAddress = (socket.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
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
                    CipherSuitesPolicy = Transport.TlsPolicy.CipherSuites,
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
            if (!_tokenThrottle.TryBeginAttempt(_remoteAddress, out var retryAfter))
            {
                throw new ReplicationProtocolException(
                    SmsErrorCode.TooManyTokenAttempts,
                    $"Too many wrong tokens from {_remoteAddress}: the token was not checked; try again in {Math.Ceiling(retryAfter.TotalSeconds):F0} s.");
            }

            if (!TokenMatches(hello.Token))
            {
                await Task.Delay(_options.WrongTokenDelay, _timeProvider, cancellationToken).ConfigureAwait(false);
                throw new ReplicationProtocolException(SmsErrorCode.InvalidToken, "The bearer token is not valid for this receiver; nothing was written.");
            }

            _tokenThrottle.AttemptSucceeded(_remoteAddress);
            authenticated = true;
            if (string.Equals(hello.Kind, Sms.Files.Wire.FileWire.Kind, StringComparison.Ordinal))
            {
                var files = new Sms.Files.Target.FilesSession(connection, hello, _options, _logger, _timeProvider, _remote);
                await using (files.ConfigureAwait(false))
                {
                    await files.ServeAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            else if (hello.Kind is null or "blocks")
            {
                await ServeAsync(connection, hello, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"Unknown session kind '{hello.Kind}'.");
            }
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

        var lease = await _volumes.AcquireAsync(hello.Volume, _options.VolumeBusyWait, cancellationToken).ConfigureAwait(false);
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

        using var sendLock = new SemaphoreSlim(1, 1);
        long acknowledged = 0;
        async ValueTask SendAsync(FrameType type, long offset, int rawLength, ReadOnlyMemory<byte> payload, CancellationToken token)
        {
            await sendLock.WaitAsync(token).ConfigureAwait(false);
            try
            {
                await connection.SendAsync(type, offset, rawLength, payload, token).ConfigureAwait(false);
            }
            finally
            {
                sendLock.Release();
            }
        }

        // Acknowledge as blocks are written: at once when the write queue runs dry, else every few frames.
        async ValueTask AcknowledgeAsync(long written, bool idle, CancellationToken token)
        {
            if (idle || written - Interlocked.Read(ref acknowledged) >= AckEveryFrames)
            {
                Interlocked.Exchange(ref acknowledged, written);
                await SendAsync(FrameType.Ack, written, 0, ReadOnlyMemory<byte>.Empty, token).ConfigureAwait(false);
            }
        }

        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writer = new BlockWriter(sink, blockSize, AcknowledgeAsync, session);
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
            await SendAsync(FrameType.HelloAck, 0, 0, ControlMessages.Serialize(helloAck, ProtocolJsonContext.Default.HelloAckMessage), cancellationToken).ConfigureAwait(false);
            await ReceiveFramesAsync(connection, hello.Volume, state, writer, SendAsync, session.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (writer.Failure is { } failure && !cancellationToken.IsCancellationRequested)
        {
            // The write loop failed (a bad hash, a full disk) while the read loop waited: report the real cause.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
        finally
        {
            await writer.DisposeAsync().ConfigureAwait(false);
            _ = _volumes.ReleaseAfterFlush(hello.Volume, lease, sink, Checkpoint(state, writer, clean: true));
        }
    }

    private async Task ReceiveFramesAsync(
        FrameConnection connection,
        string volume,
        VolumeState state,
        BlockWriter writer,
        Func<FrameType, long, int, ReadOnlyMemory<byte>, CancellationToken, ValueTask> send,
        CancellationToken cancellationToken)
    {
        var maxPayload = Math.Max(writer.BlockSize, ProtocolConstants.MaxControlPayload);
        var lastCheckpoint = _timeProvider.GetTimestamp();
        while (true)
        {
            var (header, payload) = await connection.ReadFrameAsync(maxPayload, cancellationToken).ConfigureAwait(false);
            switch (header.Type)
            {
                case FrameType.Block:
                    await writer.EnqueueBlockAsync(header, payload, cancellationToken).ConfigureAwait(false);
                    break;
                case FrameType.Zero:
                    await writer.EnqueueZeroAsync(header, cancellationToken).ConfigureAwait(false);
                    break;
                case FrameType.End:
                    if (header.Offset != writer.Queued)
                    {
                        throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"The source ended the pass after {header.Offset} frames, {writer.Queued} arrived.");
                    }

                    await writer.DrainAsync(cancellationToken).ConfigureAwait(false);
                    await send(FrameType.Ack, writer.Frames, 0, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
                    var endAck = new EndAckMessage { BytesWritten = writer.Bytes, FramesWritten = writer.Frames };
                    await send(FrameType.EndAck, 0, 0, ControlMessages.Serialize(endAck, ProtocolJsonContext.Default.EndAckMessage), cancellationToken).ConfigureAwait(false);
                    break;
                case FrameType.VerifyRequest:
                    await writer.DrainAsync(cancellationToken).ConfigureAwait(false);
                    var mismatches = await writer.VerifyAsync(header, payload, cancellationToken).ConfigureAwait(false);
                    await send(FrameType.VerifyResult, header.Offset, mismatches.Length / 8, mismatches, cancellationToken).ConfigureAwait(false);
                    break;
                case FrameType.Bye:
                    await writer.DrainAsync(cancellationToken).ConfigureAwait(false);
                    Log.SessionEnded(_logger, _remote, volume, writer.Frames, writer.Bytes);
                    return;
                default:
                    throw new ReplicationProtocolException(SmsErrorCode.ProtocolViolation, $"Unexpected {header.Type} frame from the source.");
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
}
