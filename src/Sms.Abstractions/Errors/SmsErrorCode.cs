namespace Sms;

/// <summary>
/// An error code carried by every <see cref="SmsException"/>. Codes taken from the Huawei SMS and Alibaba SMC
/// documentation keep their <c>SMS.xxxx</c> form; codes the SDK adds start with <c>SDK.</c>.
/// </summary>
/// <param name="Value">The code as printed, for example <c>SMS.0515</c>.</param>
public readonly record struct SmsErrorCode(string Value)
{
    /// <summary>SMS.0304: the TLS authentication of a connection failed (here: the certificate fingerprint did not match the pinned one).</summary>
    public static SmsErrorCode TlsAuthenticationFailed { get; } = new("SMS.0304");

    /// <summary>SMS.0515: the source disk changed (size or layout) since the last pass.</summary>
    public static SmsErrorCode SourceDiskChanged { get; } = new("SMS.0515");

    /// <summary>SMS.0805: a full replication pass failed.</summary>
    public static SmsErrorCode MigrationFailed { get; } = new("SMS.0805");

    /// <summary>SMS.0806: an incremental (sync) pass failed.</summary>
    public static SmsErrorCode SyncFailed { get; } = new("SMS.0806");

    /// <summary>SMS.0807: the replication connection broke and could not be re-established.</summary>
    public static SmsErrorCode ConnectionLost { get; } = new("SMS.0807");

    /// <summary>SMS.1204: no space left to create or grow a file.</summary>
    public static SmsErrorCode NoSpace { get; } = new("SMS.1204");

    /// <summary>SMS.1311: the target has no disk (volume) that fits the source disk.</summary>
    public static SmsErrorCode TargetDiskTooSmall { get; } = new("SMS.1311");

    /// <summary>SDK.0001: the peer violated the replication protocol (bad magic, version, frame or sequence).</summary>
    public static SmsErrorCode ProtocolViolation { get; } = new("SDK.0001");

    /// <summary>SDK.0002: the bearer token presented by the source was not accepted.</summary>
    public static SmsErrorCode InvalidToken { get; } = new("SDK.0002");

    /// <summary>SDK.0003: a name or path that would leave the receiver's directory was refused.</summary>
    public static SmsErrorCode InvalidName { get; } = new("SDK.0003");

    /// <summary>SDK.0004: a write beyond the end of a target volume was refused.</summary>
    public static SmsErrorCode WriteBeyondEnd { get; } = new("SDK.0004");

    /// <summary>SDK.0005: a frame was larger than the negotiated maximum.</summary>
    public static SmsErrorCode FrameTooLarge { get; } = new("SDK.0005");

    /// <summary>SDK.0006: a block's content did not match its hash.</summary>
    public static SmsErrorCode HashMismatch { get; } = new("SDK.0006");

    /// <summary>SDK.0007: reading the source failed.</summary>
    public static SmsErrorCode SourceReadFailed { get; } = new("SDK.0007");

    /// <summary>SDK.0008: writing the target failed.</summary>
    public static SmsErrorCode TargetWriteFailed { get; } = new("SDK.0008");

    /// <summary>SDK.0009: the volume is in use by another replication session.</summary>
    public static SmsErrorCode VolumeBusy { get; } = new("SDK.0009");

    /// <summary>SDK.0010: verification found blocks on the target that differ from the source.</summary>
    public static SmsErrorCode VerificationFailed { get; } = new("SDK.0010");

    /// <summary>SDK.0011: the local state (manifest, pairing file) is unreadable or belongs to something else.</summary>
    public static SmsErrorCode InvalidState { get; } = new("SDK.0011");

    /// <summary>SMS.0206: only x86 servers can be migrated.</summary>
    public static SmsErrorCode UnsupportedArchitecture { get; } = new("SMS.0206");

    /// <summary>SMS.1351: a mount point has no free space (at least 1 MB is needed).</summary>
    public static SmsErrorCode MountPointFull { get; } = new("SMS.1351");

    /// <summary>SMS.1352: an LVM volume group has unknown (missing) physical volumes.</summary>
    public static SmsErrorCode UnknownPhysicalVolumes { get; } = new("SMS.1352");

    /// <summary>SMS.1353: a bind mount or a device mounted more than once (a warning).</summary>
    public static SmsErrorCode BindOrRepeatedMount { get; } = new("SMS.1353");

    /// <summary>SMS.5102: <c>/tmp</c> is mounted noexec.</summary>
    public static SmsErrorCode TmpNoExec { get; } = new("SMS.5102");

    /// <summary>SMS.5103: <c>/tmp</c> is missing.</summary>
    public static SmsErrorCode TmpMissing { get; } = new("SMS.5103");

    /// <summary>SMS.6509: the source has a file system the migration does not support.</summary>
    public static SmsErrorCode IncompatibleFileSystem { get; } = new("SMS.6509");

    /// <summary>SMS.3101: adapting the target's operating system failed: a configuration file on the target could not be read or changed.</summary>
    public static SmsErrorCode TargetConfigurationFailed { get; } = new("SMS.3101");

    /// <summary>SDK.0040: an external tool the SDK runs (for example <c>debugfs</c> from e2fsprogs) is not installed.</summary>
    public static SmsErrorCode ToolNotFound { get; } = new("SDK.0040");

    /// <summary>SDK.0012: source and target firmware (BIOS/UEFI) differ.</summary>
    public static SmsErrorCode FirmwareMismatch { get; } = new("SDK.0012");

    /// <summary>SDK.0013: more data disks than a target can take (the seeds: 23).</summary>
    public static SmsErrorCode TooManyDisks { get; } = new("SDK.0013");

    /// <summary>SDK.0014: a cloud API request or a long-running cloud operation failed (the provider's code is in the exception).</summary>
    public static SmsErrorCode CloudRequestFailed { get; } = new("SDK.0014");

    /// <summary>SMS.0601: creating the target server failed (balance, quota or zone).</summary>
    public static SmsErrorCode CreateServerFailed { get; } = new("SMS.0601");

    /// <summary>SMS.1105: creating a disk failed.</summary>
    public static SmsErrorCode CreateDiskFailed { get; } = new("SMS.1105");

    /// <summary>SDK.0015: a cloud quota would be exceeded.</summary>
    public static SmsErrorCode QuotaExceeded { get; } = new("SDK.0015");

    /// <summary>SDK.0016: the resource is locked or in a state that does not allow the operation.</summary>
    public static SmsErrorCode ResourceConflict { get; } = new("SDK.0016");

    /// <summary>SDK.0017: the resource does not exist.</summary>
    public static SmsErrorCode ResourceNotFound { get; } = new("SDK.0017");

    /// <summary>SDK.0018: a migration task's stage and state do not allow the command (launch outside continuous sync, say).</summary>
    public static SmsErrorCode InvalidTransition { get; } = new("SDK.0018");

    /// <summary>SDK.0019: a migration task is being run by another host or process.</summary>
    public static SmsErrorCode TaskBusy { get; } = new("SDK.0019");
    /// <summary>
    /// SDK.0030: too many wrong bearer tokens came from the source's address; the token was not even checked. Retry
    /// after the delay the message gives.
    /// </summary>
    public static SmsErrorCode TooManyTokenAttempts { get; } = new("SDK.0030");

    /// <summary>Returns the code as printed.</summary>
    public override string ToString() => Value ?? string.Empty;
}
