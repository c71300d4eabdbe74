using Microsoft.Data.Sqlite;

namespace Sms.Cloud.Local.Store;

/// <summary>
/// The quotas, stored with the resources so that every provider instance on the directory enforces the same ones;
/// checked inside the <c>BEGIN IMMEDIATE</c> transaction that inserts, so concurrent callers can never exceed them.
/// </summary>
internal static class Quotas
{
    /// <summary>The number of servers.</summary>
    public const string Servers = "servers";

    /// <summary>The number of volumes.</summary>
    public const string Volumes = "volumes";

    /// <summary>The total GiB of volumes.</summary>
    public const string VolumeGiB = "volume_gib";

    /// <summary>The number of snapshots.</summary>
    public const string Snapshots = "snapshots";

    /// <summary>Sets a quota.</summary>
    public static Task SetAsync(SqliteConnection connection, SqliteTransaction transaction, string name, int value, CancellationToken cancellationToken)
        => Sql.ExecuteAsync(
            connection,
            transaction,
            "INSERT INTO quotas (name, max_value) VALUES ($name, $value) ON CONFLICT (name) DO UPDATE SET max_value = excluded.max_value;",
            cancellationToken,
            ("$name", name),
            ("$value", value));

    /// <summary>Throws <see cref="SmsErrorCode.QuotaExceeded"/> unless <paramref name="servers"/> more servers fit.</summary>
    public static async Task EnsureServersAsync(SqliteConnection connection, SqliteTransaction transaction, int servers, CancellationToken cancellationToken)
    {
        var used = await Sql.ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM servers;", cancellationToken).ConfigureAwait(false);
        await EnsureAsync(connection, transaction, Servers, used, servers, "servers", "MaxServers", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Throws <see cref="SmsErrorCode.QuotaExceeded"/> unless <paramref name="volumes"/> more volumes of <paramref name="gib"/> GiB in all fit.</summary>
    public static async Task EnsureVolumesAsync(SqliteConnection connection, SqliteTransaction transaction, int volumes, long gib, CancellationToken cancellationToken)
    {
        if (volumes > 0)
        {
            var count = await Sql.ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM volumes;", cancellationToken).ConfigureAwait(false);
            await EnsureAsync(connection, transaction, Volumes, count, volumes, "volumes", "MaxVolumes", cancellationToken).ConfigureAwait(false);
        }

        var total = await Sql.ScalarAsync(connection, transaction, "SELECT COALESCE(SUM(size_gib), 0) FROM volumes;", cancellationToken).ConfigureAwait(false);
        await EnsureAsync(connection, transaction, VolumeGiB, total, gib, "GiB of volumes", "MaxVolumeGiB", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Throws <see cref="SmsErrorCode.QuotaExceeded"/> unless one more snapshot fits.</summary>
    public static async Task EnsureSnapshotsAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var used = await Sql.ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM snapshots;", cancellationToken).ConfigureAwait(false);
        await EnsureAsync(connection, transaction, Snapshots, used, 1, "snapshots", "MaxSnapshots", cancellationToken).ConfigureAwait(false);
    }

    private static async Task EnsureAsync(SqliteConnection connection, SqliteTransaction transaction, string name, long used, long wanted, string what, string option, CancellationToken cancellationToken)
    {
        var limits = await Sql.QueryAsync(connection, transaction, "SELECT max_value FROM quotas WHERE name = $name;", r => r.GetInt64(0), cancellationToken, ("$name", name)).ConfigureAwait(false);
        if (limits.Count == 1 && used + wanted > limits[0])
        {
            throw LocalCloudErrors.QuotaExceeded(
                $"Quota exceeded: {used} of {limits[0]} {what} are used and the request needs {wanted} more. Free some, or raise the quota ({nameof(LocalCloudOptions)}.{option}).");
        }
    }
}
