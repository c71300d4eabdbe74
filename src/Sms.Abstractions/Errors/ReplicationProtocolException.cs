namespace Sms;

/// <summary>
/// The peer sent something the replication protocol does not allow, or refused the session: a wrong token, a
/// malformed or oversized frame, a name outside the receiver's directory, a write beyond a volume's end. The
/// connection is closed and nothing more is written.
/// </summary>
public sealed class ReplicationProtocolException : SmsException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">What was violated.</param>
    /// <param name="message">One line saying what happened.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ReplicationProtocolException(SmsErrorCode errorCode, string message, Exception? innerException = null)
        : base(errorCode, message, innerException)
    {
    }

    /// <summary>Creates the exception with <see cref="SmsErrorCode.ProtocolViolation"/>.</summary>
    public ReplicationProtocolException()
        : base(SmsErrorCode.ProtocolViolation, "Replication protocol violation.")
    {
    }

    /// <summary>Creates the exception with <see cref="SmsErrorCode.ProtocolViolation"/>.</summary>
    /// <param name="message">One line saying what happened.</param>
    public ReplicationProtocolException(string message)
        : base(SmsErrorCode.ProtocolViolation, message)
    {
    }

    /// <summary>Creates the exception with <see cref="SmsErrorCode.ProtocolViolation"/>.</summary>
    /// <param name="message">One line saying what happened.</param>
    /// <param name="innerException">The cause.</param>
    public ReplicationProtocolException(string message, Exception innerException)
        : base(SmsErrorCode.ProtocolViolation, message, innerException)
    {
    }

    /// <summary>Whether the remote side raised it (and sent it to us in an error frame).</summary>
    /// <value><see langword="true"/> when the text came from the peer.</value>
    public bool FromPeer { get; init; }
}
