using System.Net;

namespace Sms.Receiver;

/// <summary>Settings of a <see cref="ReplicationReceiver"/>.</summary>
public sealed class ReceiverOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Sms:Receiver";

    /// <summary>Where to listen; port 0 picks a free port.</summary>
    /// <value>Default 127.0.0.1:0.</value>
    public IPEndPoint Listen { get; set; } = new(IPAddress.Loopback, 0);

    /// <summary>The host name or address written into the pairing file; the listen address when it is specific.</summary>
    /// <value>Default <see langword="null"/>.</value>
    public string? AdvertisedHost { get; set; }

    /// <summary>The directory of volume files (<c>NAME.img</c>); bookkeeping goes under its <c>.sms/</c>.</summary>
    /// <value>Required.</value>
    public string VolumesDirectory { get; set; } = string.Empty;

    /// <summary>The directory of file trees: a file-level session for tree NAME writes into <c>FilesRoot/NAME</c>; bookkeeping goes under its <c>.sms/</c>. File-level sessions are refused when <see langword="null"/>.</summary>
    /// <value>Default <see langword="null"/>.</value>
    public string? FilesRoot { get; set; }

    /// <summary>Where to write the pairing file once listening; none when <see langword="null"/>.</summary>
    /// <value>Default <see langword="null"/>.</value>
    public string? PairingFile { get; set; }

    /// <summary>The bearer token sources must present; a fresh random one when <see langword="null"/>.</summary>
    /// <value>Default <see langword="null"/>.</value>
    public string? Token { get; set; }

    /// <summary>Stop after the first authenticated session ends.</summary>
    /// <value>Default <see langword="false"/>.</value>
    public bool Once { get; set; }

    /// <summary>How long a source has to finish the TLS handshake and send its Hello.</summary>
    /// <value>Default 15 seconds.</value>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a session records its checkpoint of acknowledged blocks.</summary>
    /// <value>Default 1 second.</value>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The delay before refusing a wrong token, which slows down guessing.</summary>
    /// <value>Default 250 ms.</value>
    public TimeSpan WrongTokenDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How many wrong tokens one remote address (an IPv6 /64) may present per <see cref="FailedTokenWindow"/>; past
    /// that its connections are refused with <see cref="SmsErrorCode.TooManyTokenAttempts"/> without a check until
    /// the budget refills (continuously, this many per window). 0 turns the limit off.
    /// </summary>
    /// <value>Default 20: enough for a source starting a session per disk at once, far too few to guess a 256-bit token.</value>
    public int MaxFailedTokenAttempts { get; set; } = 20;

    /// <summary>The window of <see cref="MaxFailedTokenAttempts"/>.</summary>
    /// <value>Default 1 minute.</value>
    public TimeSpan FailedTokenWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a session waits for an earlier session on the same volume to end before it is refused as busy.</summary>
    /// <value>Default 15 seconds.</value>
    public TimeSpan VolumeBusyWait { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">The volumes directory is missing.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(VolumesDirectory))
        {
            throw new ArgumentException("A volumes directory is required.", nameof(VolumesDirectory));
        }

        ArgumentNullException.ThrowIfNull(Listen);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HandshakeTimeout, TimeSpan.Zero, nameof(HandshakeTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CheckpointInterval, TimeSpan.Zero, nameof(CheckpointInterval));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxFailedTokenAttempts, nameof(MaxFailedTokenAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(FailedTokenWindow, TimeSpan.Zero, nameof(FailedTokenWindow));
    }
}
