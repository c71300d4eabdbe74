using Microsoft.Data.Sqlite;
using Sms.Cloud.Local.Store;
using Sms.Discovery;

namespace Sms.Cloud.Local.Images;

/// <summary>An image row.</summary>
internal sealed record ImageRecord(string Id, string Name, string Status, FirmwareType Firmware, int MinDiskGiB, string Format)
{
    private const string Select = "SELECT id, name, status, firmware, min_disk_gib, format FROM images";

    /// <summary>The status of a usable image.</summary>
    public const string Active = "active";

    /// <summary>The model.</summary>
    public CloudImage ToModel() => new()
    {
        Id = Id,
        Name = Name,
        Status = new CloudResourceStatus(Status),
        Firmware = Firmware,
        MinDiskGiB = MinDiskGiB,
    };

    /// <summary>Reads an image or throws <see cref="SmsErrorCode.ResourceNotFound"/>.</summary>
    public static async Task<ImageRecord> RequireAsync(SqliteConnection connection, SqliteTransaction transaction, string id, CancellationToken cancellationToken)
    {
        var rows = await Sql.QueryAsync(connection, transaction, Select + " WHERE id = $id;", Map, cancellationToken, ("$id", id)).ConfigureAwait(false);
        return rows.Count == 0 ? throw LocalCloudErrors.NotFound("image", id) : rows[0];
    }

    /// <summary>Every image.</summary>
    public static Task<List<ImageRecord>> ListAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
        => Sql.QueryAsync(connection, transaction, Select + " ORDER BY rowid;", Map, cancellationToken);

    private static ImageRecord Map(SqliteDataReader r)
        => new(r.GetString(0), r.GetString(1), r.GetString(2), (FirmwareType)r.GetInt32(3), r.GetInt32(4), r.GetString(5));
}
