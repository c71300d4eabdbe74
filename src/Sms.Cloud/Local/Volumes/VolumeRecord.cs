using Microsoft.Data.Sqlite;
using Sms.Cloud.Local.Files;
using Sms.Cloud.Local.Store;

namespace Sms.Cloud.Local.Volumes;

/// <summary>A volume row with its attachment and the attached server's state.</summary>
internal sealed record VolumeRecord(
    string Id,
    string Name,
    int SizeGiB,
    string Status,
    string AvailabilityZone,
    string? ServerId,
    string? Device,
    int? BootIndex,
    string? ServerStatus)
{
    private const string Select = """
        SELECT v.id, v.name, v.size_gib, v.status, v.availability_zone, a.server_id, a.device, a.boot_index, s.status
        FROM volumes v LEFT JOIN attachments a ON a.volume_id = v.id LEFT JOIN servers s ON s.id = a.server_id
        """;

    /// <summary>The stored status of a ready volume (reported as in-use while attached).</summary>
    public const string Available = "available";

    /// <summary>The size in bytes.</summary>
    public long SizeBytes => (long)SizeGiB << 30;

    /// <summary>Whether it is ready (neither being created, restored nor in error).</summary>
    public bool IsReady => Status == Available;

    /// <summary>The model.</summary>
    public CloudVolume ToModel(LocalPaths paths) => new()
    {
        Id = Id,
        Name = Name,
        SizeGiB = SizeGiB,
        Status = IsReady && ServerId is not null ? CloudResourceStatus.InUse : new CloudResourceStatus(Status),
        AvailabilityZone = AvailabilityZone,
        AttachedTo = ServerId,
        LocalPath = paths.Volume(Id),
    };

    /// <summary>Reads a volume, or <see langword="null"/>.</summary>
    public static async Task<VolumeRecord?> ReadAsync(SqliteConnection connection, SqliteTransaction transaction, string id, CancellationToken cancellationToken)
    {
        var rows = await Sql.QueryAsync(connection, transaction, Select + " WHERE v.id = $id;", Map, cancellationToken, ("$id", id)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Reads a volume or throws <see cref="SmsErrorCode.ResourceNotFound"/>.</summary>
    public static async Task<VolumeRecord> RequireAsync(SqliteConnection connection, SqliteTransaction transaction, string id, CancellationToken cancellationToken)
        => await ReadAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false) ?? throw LocalCloudErrors.NotFound("volume", id);

    /// <summary>Every volume.</summary>
    public static Task<List<VolumeRecord>> ListAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
        => Sql.QueryAsync(connection, transaction, Select + " ORDER BY v.rowid;", Map, cancellationToken);

    /// <summary>The volumes attached to a server, system disk first, then by device.</summary>
    public static Task<List<VolumeRecord>> ListAttachedAsync(SqliteConnection connection, SqliteTransaction transaction, string serverId, CancellationToken cancellationToken)
        => Sql.QueryAsync(
            connection,
            transaction,
            Select + " WHERE a.server_id = $server ORDER BY CASE WHEN a.boot_index IS NULL THEN 1 ELSE 0 END, a.boot_index, a.device;",
            Map,
            cancellationToken,
            ("$server", serverId));

    private static VolumeRecord Map(SqliteDataReader r)
        => new(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3), r.GetString(4), r.TextOrNull(5), r.TextOrNull(6), r.IntOrNull(7), r.TextOrNull(8));
}
