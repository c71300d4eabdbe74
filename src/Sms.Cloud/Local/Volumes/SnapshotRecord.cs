using Microsoft.Data.Sqlite;
using Sms.Cloud.Local.Store;

namespace Sms.Cloud.Local.Volumes;

/// <summary>A snapshot row.</summary>
internal sealed record SnapshotRecord(string Id, string VolumeId, string Name, string Status, int SizeGiB, string? CopyMethod, DateTimeOffset CreatedAt)
{
    /// <summary>The status of a usable snapshot.</summary>
    public const string Available = "available";

    private const string Select = "SELECT id, volume_id, name, status, size_gib, copy_method, created_at FROM snapshots";

    /// <summary>The model.</summary>
    public CloudSnapshot ToModel() => new()
    {
        Id = Id,
        VolumeId = VolumeId,
        Name = Name,
        Status = new CloudResourceStatus(Status),
        SizeGiB = SizeGiB,
        CreatedAt = CreatedAt,
    };

    /// <summary>Reads a snapshot or throws <see cref="SmsErrorCode.ResourceNotFound"/>.</summary>
    public static async Task<SnapshotRecord> RequireAsync(SqliteConnection connection, SqliteTransaction transaction, string id, CancellationToken cancellationToken)
    {
        var rows = await Sql.QueryAsync(connection, transaction, Select + " WHERE id = $id;", Map, cancellationToken, ("$id", id)).ConfigureAwait(false);
        return rows.Count == 0 ? throw LocalCloudErrors.NotFound("snapshot", id) : rows[0];
    }

    /// <summary>The snapshots of one volume, or all.</summary>
    public static Task<List<SnapshotRecord>> ListAsync(SqliteConnection connection, SqliteTransaction transaction, string? volumeId, CancellationToken cancellationToken)
        => volumeId is null
            ? Sql.QueryAsync(connection, transaction, Select + " ORDER BY rowid;", Map, cancellationToken)
            : Sql.QueryAsync(connection, transaction, Select + " WHERE volume_id = $volume ORDER BY rowid;", Map, cancellationToken, ("$volume", volumeId));

    private static SnapshotRecord Map(SqliteDataReader r)
        => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4), r.TextOrNull(5), LocalCloudStore.ParseTime(r.GetString(6)));
}
