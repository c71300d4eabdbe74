namespace Sms;

/// <summary>
/// The base of every error the SDK raises on purpose. It carries an <see cref="SmsErrorCode"/>; the message is one
/// line that says what happened and, where the SDK knows it, what to do.
/// </summary>
public class SmsException : Exception
{
    /// <summary>Creates an exception with a code and a message.</summary>
    /// <param name="errorCode">The error code.</param>
    /// <param name="message">One line saying what happened.</param>
    /// <param name="innerException">The cause, if any.</param>
    public SmsException(SmsErrorCode errorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
    }

    /// <summary>Creates an exception with <see cref="SmsErrorCode.MigrationFailed"/>.</summary>
    public SmsException()
        : this(SmsErrorCode.MigrationFailed, "The migration failed.")
    {
    }

    /// <summary>Creates an exception with <see cref="SmsErrorCode.MigrationFailed"/> and a message.</summary>
    /// <param name="message">One line saying what happened.</param>
    public SmsException(string message)
        : this(SmsErrorCode.MigrationFailed, message)
    {
    }

    /// <summary>Creates an exception with <see cref="SmsErrorCode.MigrationFailed"/>, a message and a cause.</summary>
    /// <param name="message">One line saying what happened.</param>
    /// <param name="innerException">The cause.</param>
    public SmsException(string message, Exception innerException)
        : this(SmsErrorCode.MigrationFailed, message, innerException)
    {
    }

    /// <summary>The error code, for example <c>SMS.0515</c>.</summary>
    /// <value>The code; never default for exceptions the SDK raises.</value>
    public SmsErrorCode ErrorCode { get; }

    /// <summary>Whether retrying the same operation later may succeed without changing anything (a broken connection, say).</summary>
    /// <value><see langword="true"/> for transient causes.</value>
    public bool IsTransient { get; init; }

    /// <summary>The message prefixed by the code, as the console prints it.</summary>
    public override string ToString() => $"{ErrorCode}: {Message}";
}
