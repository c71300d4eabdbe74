using Microsoft.Data.Sqlite;

namespace Sms.Cloud.Local;

/// <summary>
/// The local cloud's errors, shaped like a real cloud's: an HTTP-like status, a provider code, a request id and the
/// SDK code callers switch on.
/// </summary>
internal static class LocalCloudErrors
{
    /// <summary>The provider code of a quota error.</summary>
    public const string QuotaExceededCode = "quota.exceeded";

    /// <summary>The provider code of a missing resource.</summary>
    public const string NotFoundCode = "resource.not_found";

    /// <summary>The provider code of a resource in the wrong state.</summary>
    public const string ConflictCode = "resource.conflict";

    /// <summary>The provider code of a locked server.</summary>
    public const string LockedCode = "server.locked";

    /// <summary>The provider code of a client token reused for a different request.</summary>
    public const string IdempotencyMismatchCode = "idempotency.mismatch";

    /// <summary>The provider code of a malformed request.</summary>
    public const string InvalidCode = "request.invalid";

    /// <summary>The provider code of an operation whose work failed.</summary>
    public const string OperationFailedCode = "operation.failed";

    /// <summary>The provider code of an operation whose provider instance went away before it finished.</summary>
    public const string OperationInterruptedCode = "operation.interrupted";

    /// <summary>A new request id.</summary>
    public static string NewRequestId() => "req-" + Guid.NewGuid().ToString("N");

    /// <summary>403: a quota would be exceeded.</summary>
    public static CloudRequestFailedException QuotaExceeded(string message)
        => new(403, QuotaExceededCode, message, NewRequestId(), SmsErrorCode.QuotaExceeded);

    /// <summary>404: a resource does not exist.</summary>
    public static CloudRequestFailedException NotFound(string kind, string id)
        => new(404, NotFoundCode, $"The {kind} '{id}' does not exist.", NewRequestId(), SmsErrorCode.ResourceNotFound);

    /// <summary>409: the resource's state does not allow the request.</summary>
    public static CloudRequestFailedException Conflict(string message, string code = ConflictCode)
        => new(409, code, message, NewRequestId(), SmsErrorCode.ResourceConflict);

    /// <summary>409: the server is locked.</summary>
    public static CloudRequestFailedException Locked(string serverId, string action)
        => Conflict($"Server '{serverId}' is locked against user operations (a migration holds it): unlock it before you {action} it.", LockedCode);

    /// <summary>400: the request is malformed.</summary>
    public static CloudRequestFailedException Invalid(string message)
        => new(400, InvalidCode, message, NewRequestId(), SmsErrorCode.CloudRequestFailed);

    /// <summary>500: the directory could not be written (disk full, permissions…).</summary>
    public static CloudRequestFailedException Storage(Exception cause)
        => new(500, "storage.error", $"The local cloud could not write its files: {cause.Message}", NewRequestId(), SmsErrorCode.CloudRequestFailed, cause);

    /// <summary>503 (transient) when the store stayed locked by other writers past the busy timeout, 500 otherwise.</summary>
    public static CloudRequestFailedException Store(SqliteException cause)
        => cause.SqliteErrorCode is 5 or 6 // SQLITE_BUSY, SQLITE_LOCKED
            ? new(503, "store.busy", $"The local cloud's store stayed locked by other callers: {cause.Message}", NewRequestId(), SmsErrorCode.CloudRequestFailed, cause) { IsTransient = true }
            : new(500, "store.error", $"The local cloud's store failed: {cause.Message}", NewRequestId(), SmsErrorCode.CloudRequestFailed, cause);
}
