using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Sms.Cloud.Local.Store;

/// <summary>
/// The local cloud's SQLite store (<c>cloud.db</c>, WAL): one short-lived pooled connection per call, every mutation
/// in a <c>BEGIN IMMEDIATE</c> transaction so that check-then-insert (quotas, client tokens, free device names) is
/// serialized across threads, provider instances and processes.
/// </summary>
internal sealed class LocalCloudStore
{
    private readonly string _connectionString;
    private readonly int _busyTimeoutMilliseconds;

    /// <summary>Creates the store (nothing is opened yet).</summary>
    /// <param name="path">The database file.</param>
    /// <param name="busyTimeout">How long a writer waits for another one.</param>
    public LocalCloudStore(string path, TimeSpan busyTimeout)
    {
        _busyTimeoutMilliseconds = (int)Math.Clamp(busyTimeout.TotalMilliseconds, 0, int.MaxValue);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = (int)Math.Max(1, Math.Ceiling(busyTimeout.TotalSeconds)),
        }.ToString();
    }

    /// <summary>Opens a connection with the busy timeout, foreign keys and full synchronous commits.</summary>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>The open connection; the caller disposes it.</returns>
    /// <exception cref="SqliteException">The database cannot be opened.</exception>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            _ = SQLitePCL.raw.sqlite3_busy_timeout(connection.Handle, _busyTimeoutMilliseconds);
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> in a <c>BEGIN IMMEDIATE</c> transaction and commits it; an exception rolls it back.</summary>
    /// <typeparam name="T">The result.</typeparam>
    /// <param name="work">The reads and writes.</param>
    /// <param name="cancellationToken">Cancels before the commit.</param>
    /// <returns>What <paramref name="work"/> returned.</returns>
    /// <exception cref="CloudRequestFailedException">The store failed or stayed locked past the busy timeout (503, transient).</exception>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await WriteCoreAsync(work, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw LocalCloudErrors.Store(ex);
        }
    }

    /// <summary>Runs reads in one (deferred) transaction, so they see one consistent state.</summary>
    /// <typeparam name="T">The result.</typeparam>
    /// <param name="work">The reads.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>What <paramref name="work"/> returned.</returns>
    /// <exception cref="CloudRequestFailedException">The store failed.</exception>
    public async Task<T> ReadAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadCoreAsync(work, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw LocalCloudErrors.Store(ex);
        }
    }

    private async Task<T> WriteCoreAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = connection.BeginTransaction(deferred: false);
            await using (transaction.ConfigureAwait(false))
            {
                var result = await work(connection, transaction).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                return result;
            }
        }
    }

    private async Task<T> ReadCoreAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = connection.BeginTransaction(deferred: true);
            await using (transaction.ConfigureAwait(false))
            {
                return await work(connection, transaction).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Closes the pooled connections of this store.</summary>
    public void ClearPool()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>A UTC time as stored.</summary>
    /// <param name="time">The time.</param>
    /// <returns>ISO 8601 text.</returns>
    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>A stored time.</summary>
    /// <param name="text">ISO 8601 text.</param>
    /// <returns>The time.</returns>
    public static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
