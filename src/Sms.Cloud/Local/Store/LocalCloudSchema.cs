using Microsoft.Data.Sqlite;

namespace Sms.Cloud.Local.Store;

/// <summary>
/// The store's schema, versioned with <c>PRAGMA user_version</c>: a new directory gets the current version, an older
/// one is migrated step by step, a newer one (written by a later SDK) is refused rather than misread.
/// </summary>
internal static class LocalCloudSchema
{
    /// <summary>The version this code reads and writes.</summary>
    public const int CurrentVersion = 1;

    private const string Version1 = """
        CREATE TABLE quotas (
            name TEXT PRIMARY KEY,
            max_value INTEGER NOT NULL) STRICT;
        CREATE TABLE vpcs (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            cidr TEXT NOT NULL,
            created_at TEXT NOT NULL) STRICT;
        CREATE TABLE subnets (
            id TEXT PRIMARY KEY,
            vpc_id TEXT NOT NULL REFERENCES vpcs(id),
            name TEXT NOT NULL,
            cidr TEXT NOT NULL,
            gateway_ip TEXT NOT NULL,
            created_at TEXT NOT NULL) STRICT;
        CREATE INDEX subnets_vpc ON subnets(vpc_id);
        CREATE TABLE security_groups (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            vpc_id TEXT REFERENCES vpcs(id),
            created_at TEXT NOT NULL) STRICT;
        CREATE TABLE security_group_rules (
            id INTEGER PRIMARY KEY,
            group_id TEXT NOT NULL REFERENCES security_groups(id) ON DELETE CASCADE,
            direction TEXT NOT NULL,
            protocol TEXT,
            port_min INTEGER,
            port_max INTEGER,
            remote_cidr TEXT NOT NULL) STRICT;
        CREATE INDEX security_group_rules_group ON security_group_rules(group_id);
        CREATE TABLE images (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            status TEXT NOT NULL,
            firmware INTEGER NOT NULL,
            min_disk_gib INTEGER NOT NULL,
            format TEXT NOT NULL,
            source_kind TEXT NOT NULL,
            source_id TEXT,
            created_at TEXT NOT NULL) STRICT;
        CREATE TABLE servers (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            status TEXT NOT NULL,
            flavor_id TEXT NOT NULL,
            availability_zone TEXT NOT NULL,
            firmware INTEGER NOT NULL,
            image_id TEXT NOT NULL,
            vpc_id TEXT NOT NULL REFERENCES vpcs(id),
            subnet_id TEXT NOT NULL REFERENCES subnets(id),
            address TEXT NOT NULL,
            locked INTEGER NOT NULL DEFAULT 0,
            metadata TEXT NOT NULL,
            created_at TEXT NOT NULL) STRICT;
        CREATE UNIQUE INDEX servers_address ON servers(subnet_id, address);
        CREATE TABLE server_security_groups (
            server_id TEXT NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
            group_id TEXT NOT NULL REFERENCES security_groups(id),
            position INTEGER NOT NULL,
            PRIMARY KEY (server_id, group_id)) STRICT;
        CREATE INDEX server_security_groups_group ON server_security_groups(group_id);
        CREATE TABLE volumes (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            size_gib INTEGER NOT NULL,
            status TEXT NOT NULL,
            availability_zone TEXT NOT NULL,
            volume_type TEXT,
            snapshot_id TEXT,
            created_at TEXT NOT NULL) STRICT;
        CREATE TABLE attachments (
            volume_id TEXT PRIMARY KEY REFERENCES volumes(id),
            server_id TEXT NOT NULL REFERENCES servers(id),
            device TEXT NOT NULL,
            boot_index INTEGER,
            UNIQUE (server_id, device)) STRICT;
        CREATE TABLE snapshots (
            id TEXT PRIMARY KEY,
            volume_id TEXT NOT NULL REFERENCES volumes(id),
            name TEXT NOT NULL,
            status TEXT NOT NULL,
            size_gib INTEGER NOT NULL,
            copy_method TEXT,
            created_at TEXT NOT NULL) STRICT;
        CREATE INDEX snapshots_volume ON snapshots(volume_id);
        CREATE TABLE operations (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            status TEXT NOT NULL,
            value_kind TEXT,
            resource_id TEXT,
            source_id TEXT,
            entities TEXT NOT NULL,
            scratch TEXT NOT NULL,
            owner TEXT NOT NULL,
            fail_code TEXT,
            fail_reason TEXT,
            result TEXT,
            created_at TEXT NOT NULL,
            finished_at TEXT) STRICT;
        CREATE INDEX operations_running ON operations(status) WHERE status = 'RUNNING';
        CREATE TABLE client_tokens (
            kind TEXT NOT NULL,
            token TEXT NOT NULL,
            request_hash TEXT NOT NULL,
            operation_id TEXT NOT NULL REFERENCES operations(id),
            PRIMARY KEY (kind, token)) STRICT;
        PRAGMA user_version = 1;
        """;

    /// <summary>Switches the database to WAL and creates or migrates the schema.</summary>
    /// <param name="store">The store.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The schema version found before (0 for a new store).</returns>
    /// <exception cref="SmsException">The store was written by a newer version (<see cref="SmsErrorCode.InvalidState"/>).</exception>
    public static async Task<int> EnsureAsync(LocalCloudStore store, CancellationToken cancellationToken)
    {
        try
        {
            // Outside any transaction: SQLite cannot switch to WAL inside one.
            var connection = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                using var wal = connection.CreateCommand();
                wal.CommandText = "PRAGMA journal_mode = WAL;";
                await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SqliteException ex)
        {
            throw LocalCloudErrors.Store(ex);
        }

        return await store.WriteAsync(
            async (connection, transaction) =>
            {
                var found = (int)await Sql.ScalarAsync(connection, transaction, "PRAGMA user_version;", cancellationToken).ConfigureAwait(false);
                if (found > CurrentVersion)
                {
                    throw new SmsException(SmsErrorCode.InvalidState, $"The local cloud store has schema version {found}; this SDK reads up to version {CurrentVersion}. Use a newer SDK.");
                }

                if (found < 1)
                {
                    await Sql.ExecuteAsync(connection, transaction, Version1, cancellationToken).ConfigureAwait(false);
                }

                // Later versions: if (found < 2) { ... PRAGMA user_version = 2; }
                return found;
            },
            cancellationToken).ConfigureAwait(false);
    }
}
