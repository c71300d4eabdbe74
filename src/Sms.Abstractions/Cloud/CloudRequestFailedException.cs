namespace Sms.Cloud;

/// <summary>
/// A cloud API refused or failed a request, or a long-running operation failed: with the HTTP status, the
/// provider's error code and the request id to quote to its support.
/// </summary>
public sealed class CloudRequestFailedException : SmsException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="status">The HTTP status (0 when none, for example a failed job).</param>
    /// <param name="providerErrorCode">The provider's code (Ecs.0114, quota.exceeded…).</param>
    /// <param name="message">What happened.</param>
    /// <param name="requestId">The provider's request id.</param>
    /// <param name="errorCode">The SDK code; defaults to <see cref="SmsErrorCode.CloudRequestFailed"/>.</param>
    /// <param name="innerException">The cause.</param>
    public CloudRequestFailedException(int status, string? providerErrorCode, string message, string? requestId = null, SmsErrorCode? errorCode = null, Exception? innerException = null)
        : base(errorCode ?? SmsErrorCode.CloudRequestFailed, message, innerException)
    {
        Status = status;
        ProviderErrorCode = providerErrorCode;
        RequestId = requestId;
    }

    /// <summary>Creates the exception.</summary>
    public CloudRequestFailedException()
        : this(0, null, "The cloud request failed.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened.</param>
    public CloudRequestFailedException(string message)
        : this(0, null, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public CloudRequestFailedException(string message, Exception innerException)
        : this(0, null, message, null, null, innerException)
    {
    }

    /// <summary>The HTTP status.</summary>
    /// <value>0 when there was no HTTP response (a failed job, a local error).</value>
    public int Status { get; }

    /// <summary>The provider's error code.</summary>
    /// <value>For example Ecs.0114, or <see langword="null"/>.</value>
    public string? ProviderErrorCode { get; }

    /// <summary>The provider's request id.</summary>
    /// <value>The id, or <see langword="null"/>.</value>
    public string? RequestId { get; }
}
