using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Sms.Cloud.Local.Store;

/// <summary>
/// Idempotency: a client token maps to the operation of the first request that carried it, so a retried create
/// returns the same resource instead of a duplicate. The same token with a different request is refused.
/// </summary>
internal static class ClientTokens
{
    /// <summary>A fingerprint of a request's parameters.</summary>
    /// <param name="parts">The parameters, in a fixed order.</param>
    /// <returns>Hex SHA-256.</returns>
    public static string Fingerprint(IEnumerable<string?> parts)
    {
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            text.Append(part is null ? "\u0000" : part.Replace("\u001f", "\u001f\u001f", StringComparison.Ordinal)).Append('\u001f');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>The operation recorded for a token, or <see langword="null"/> when the token is new.</summary>
    /// <exception cref="CloudRequestFailedException">The token was used for a different request (<see cref="SmsErrorCode.ResourceConflict"/>).</exception>
    public static async Task<string?> FindAsync(SqliteConnection connection, SqliteTransaction transaction, string kind, string? token, string fingerprint, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        var rows = await Sql.QueryAsync(
            connection,
            transaction,
            "SELECT request_hash, operation_id FROM client_tokens WHERE kind = $kind AND token = $token;",
            r => (Hash: r.GetString(0), OperationId: r.GetString(1)),
            cancellationToken,
            ("$kind", kind),
            ("$token", token)).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return null;
        }

        if (!string.Equals(rows[0].Hash, fingerprint, StringComparison.Ordinal))
        {
            throw LocalCloudErrors.Conflict($"The client token '{token}' was already used for a different {kind} request.", LocalCloudErrors.IdempotencyMismatchCode);
        }

        return rows[0].OperationId;
    }

    /// <summary>Records the operation of a token's first request.</summary>
    public static Task RecordAsync(SqliteConnection connection, SqliteTransaction transaction, string kind, string? token, string fingerprint, string operationId, CancellationToken cancellationToken)
        => string.IsNullOrEmpty(token)
            ? Task.CompletedTask
            : Sql.ExecuteAsync(
                connection,
                transaction,
                "INSERT INTO client_tokens (kind, token, request_hash, operation_id) VALUES ($kind, $token, $hash, $operation);",
                cancellationToken,
                ("$kind", kind),
                ("$token", token),
                ("$hash", fingerprint),
                ("$operation", operationId));
}
