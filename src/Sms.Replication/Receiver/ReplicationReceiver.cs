using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sms.Diagnostics;
using Sms.Replication;
using Sms.Transport;

namespace Sms.Receiver;

/// <summary>
/// The target side: listens for TLS 1.3 connections with a certificate generated for this run, checks each
/// source's bearer token before any data frame, and writes blocks into volume files. Start it, hand its
/// <see cref="Pairing"/> (or pairing file) to the source, and await <see cref="Completion"/>.
/// </summary>
public sealed class ReplicationReceiver : IAsyncDisposable
{
    private readonly ReceiverOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _sessions = [];
    private readonly FailedTokenThrottle _tokenThrottle;
    private readonly object _gate = new();
    private TcpListener? _listener;
    private X509Certificate2? _certificate;
    private Task? _acceptLoop;
    private ReceiverPairing? _pairing;
    private int _disposed;

    /// <summary>Creates a receiver; nothing happens until <see cref="StartAsync"/>.</summary>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <exception cref="ArgumentException">The options are not valid.</exception>
    public ReplicationReceiver(ReceiverOptions options, ILogger<ReplicationReceiver>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        Volumes = new VolumeDirectory(options.VolumesDirectory, _timeProvider);
        _tokenThrottle = new FailedTokenThrottle(options.MaxFailedTokenAttempts, options.FailedTokenWindow, _timeProvider);
        Volumes.FlushFailed += (volume, error) => Log.FlushFailed(_logger, volume, error.Message);
    }

    /// <summary>The volumes this receiver writes.</summary>
    /// <value>The volume directory.</value>
    public VolumeDirectory Volumes { get; }

    /// <summary>What a source needs to connect: endpoint, certificate fingerprint and token.</summary>
    /// <value>Available after <see cref="StartAsync"/>.</value>
    /// <exception cref="InvalidOperationException">The receiver is not started.</exception>
    public ReceiverPairing Pairing => _pairing ?? throw new InvalidOperationException("The receiver is not started.");

    /// <summary>The bound endpoint.</summary>
    /// <value>Available after <see cref="StartAsync"/>.</value>
    public IPEndPoint LocalEndpoint => (IPEndPoint)(_listener?.LocalEndpoint ?? throw new InvalidOperationException("The receiver is not started."));

    /// <summary>Completes when the receiver stops: disposed, or after one session with <see cref="ReceiverOptions.Once"/>.</summary>
    /// <value>The task.</value>
    public Task Completion => _acceptLoop ?? Task.CompletedTask;

    /// <summary>Generates the certificate and token, binds the endpoint, writes the pairing file and starts accepting.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task.</returns>
    /// <exception cref="SmsException">The endpoint cannot be bound.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_listener is not null)
        {
            throw new InvalidOperationException("The receiver is already started.");
        }

        _certificate = SessionCertificate.Create(_timeProvider.GetUtcNow());
        var listener = new TcpListener(_options.Listen);
        try
        {
            listener.Start(backlog: 64);
        }
        catch (SocketException ex)
        {
            throw new SmsException(SmsErrorCode.ConnectionLost, $"Cannot listen on {_options.Listen}: {ex.Message}", ex);
        }

        _listener = listener;
        var bound = (IPEndPoint)listener.LocalEndpoint;
        var host = _options.AdvertisedHost
            ?? (bound.Address.Equals(IPAddress.Any) || bound.Address.Equals(IPAddress.IPv6Any) ? Dns.GetHostName() : bound.Address.ToString());
        var endpoint = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{bound.Port}" : $"{host}:{bound.Port}";
        _pairing = new ReceiverPairing(endpoint, SessionCertificate.Fingerprint(_certificate), _options.Token ?? PairingFile.NewToken());
        if (_options.PairingFile is not null)
        {
            await PairingFile.WriteAsync(_options.PairingFile, _pairing, cancellationToken).ConfigureAwait(false);
        }

        Log.ReceiverListening(_logger, endpoint, _pairing.Fingerprint);
        _acceptLoop = Task.Run(AcceptLoopAsync, CancellationToken.None);
    }

    /// <summary>Stops accepting, ends every session and releases the port. Calling it again does nothing.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        if (_acceptLoop is not null)
        {
            try
            {
                await _acceptLoop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        Task[] sessions;
        lock (_gate)
        {
            sessions = [.. _sessions];
        }

        await Task.WhenAll(sessions).ConfigureAwait(false);
        await Volumes.WhenFlushedAsync().ConfigureAwait(false);
        _certificate?.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptSocketAsync(token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException && token.IsCancellationRequested)
            {
                return;
            }

            socket.NoDelay = true;
            var session = new ReceiveSession(socket, _certificate!, Pairing.Token, Volumes, _tokenThrottle, _options, _logger, _timeProvider);
            var run = Task.Run(() => session.RunAsync(token), CancellationToken.None);
            lock (_gate)
            {
                _sessions.RemoveAll(static t => t.IsCompleted);
                _sessions.Add(run);
            }

            if (_options.Once)
            {
                if (await run.ConfigureAwait(false))
                {
                    _listener!.Stop();
                    return;
                }
            }
        }
    }
}
