using Microsoft.Data.Sqlite;
using Sms.Cloud.Local.Store;
using Sms.Cloud.Local.Volumes;
using Sms.Discovery;

namespace Sms.Cloud.Local.Compute;

/// <summary>A server row.</summary>
internal sealed record ServerRecord(
    string Id,
    string Name,
    string Status,
    string FlavorId,
    string AvailabilityZone,
    FirmwareType Firmware,
    string SubnetId,
    string Address,
    bool Locked,
    string Metadata)
{
    /// <summary>Running.</summary>
    public const string Active = "ACTIVE";

    /// <summary>Stopped.</summary>
    public const string Shutoff = "SHUTOFF";

    /// <summary>Being created.</summary>
    public const string Build = "BUILD";

    private const string Select = "SELECT id, name, status, flavor_id, availability_zone, firmware, subnet_id, address, locked, metadata FROM servers";

    /// <summary>The model, with its attached volumes.</summary>
    public CloudServer ToModel(IReadOnlyList<VolumeRecord> volumes) => new()
    {
        Id = Id,
        Name = Name,
        Status = new CloudResourceStatus(Status),
        FlavorId = FlavorId,
        AvailabilityZone = AvailabilityZone,
        Firmware = Firmware,
        Volumes = [.. volumes.Select(v => new VolumeAttachment(v.Id, v.Device!, v.BootIndex))],
        Addresses = [Address],
        Metadata = LocalJson.ReadMap(Metadata),
        Locked = Locked,
    };

    /// <summary>Reads a server or throws <see cref="SmsErrorCode.ResourceNotFound"/>.</summary>
    public static async Task<ServerRecord> RequireAsync(SqliteConnection connection, SqliteTransaction transaction, string id, CancellationToken cancellationToken)
    {
        var rows = await Sql.QueryAsync(connection, transaction, Select + " WHERE id = $id;", Map, cancellationToken, ("$id", id)).ConfigureAwait(false);
        return rows.Count == 0 ? throw LocalCloudErrors.NotFound("server", id) : rows[0];
    }

    /// <summary>Every server.</summary>
    public static Task<List<ServerRecord>> ListAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
        => Sql.QueryAsync(connection, transaction, Select + " ORDER BY rowid;", Map, cancellationToken);

    /// <summary>Reads a server's model or throws <see cref="SmsErrorCode.ResourceNotFound"/>.</summary>
    public static async Task<CloudServer> ReadModelAsync(SqliteConnection connection, SqliteTransaction transaction, string id, CancellationToken cancellationToken)
    {
        var server = await RequireAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false);
        var volumes = await VolumeRecord.ListAttachedAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false);
        return server.ToModel(volumes);
    }

    private static ServerRecord Map(SqliteDataReader r)
        => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), (FirmwareType)r.GetInt32(5), r.GetString(6), r.GetString(7), r.GetInt64(8) != 0, r.GetString(9));
}
