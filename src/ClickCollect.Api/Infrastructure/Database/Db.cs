using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ClickCollect.Api.Infrastructure.Database;

/// <summary>
/// The one way to the database. Reads open a pooled connection each; writes go through
/// <see cref="WriteAsync"/>, a unit of work (one connection, one transaction).
/// </summary>
/// <remarks>
/// On SQLite, writes are serialised inside the app (one writer, reads in parallel under WAL) and the
/// transaction starts IMMEDIATE, so a burst of writes queues on a semaphore instead of sleeping in
/// SQLite's busy-retry loop (PLATFORM.md measured p99 up to 0.7 s without this). PostgreSQL runs
/// writers in parallel under READ COMMITTED; stores that need mutual exclusion take a transaction
/// advisory lock through <see cref="UnitOfWork.LockAsync"/>.
/// </remarks>
internal sealed class Db : IAsyncDisposable
{
    readonly DbDataSource source;
    readonly SemaphoreSlim writer = new(1, 1);

    public Db(DbDataSource source, SqlDialect dialect)
    {
        this.source = source;
        Dialect = dialect;
    }

    public SqlDialect Dialect { get; }

    /// <summary>Called with every connection <see cref="OpenAsync"/> opens: tests trace the statements run on it (#17).</summary>
    internal Action<DbConnection>? ConnectionOpened { get; set; }

    public static Db Create(DatabaseOptions options, string? connectionString)
    {
        if (options.IsSqlite)
        {
            var csb = new SqliteConnectionStringBuilder(connectionString ?? DatabaseOptions.DefaultSqliteConnectionString)
            {
                ForeignKeys = true,
                DefaultTimeout = 30, // also SQLite's busy timeout: waits for another process's write lock
                Pooling = true,
            };
            var dir = Path.GetDirectoryName(Path.GetFullPath(csb.DataSource));
            if (dir is not null) Directory.CreateDirectory(dir);
            return new Db(SqliteFactory.Instance.CreateDataSource(csb.ConnectionString), SqlDialect.Sqlite);
        }
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException("Database:Provider is postgres but ConnectionStrings:ClickCollect is empty.");
        return new Db(NpgsqlDataSource.Create(connectionString), SqlDialect.Postgres);
    }

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = await source.OpenConnectionAsync(ct);
        if (Dialect.IsSqlite)
        {
            // Per-connection settings: a confirmed write survives a power cut (FULL syncs the WAL on commit).
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "pragma synchronous = full;";
            await pragma.ExecuteNonQueryAsync(ct);
        }
        ConnectionOpened?.Invoke(connection);
        return connection;
    }

    public async Task<UnitOfWork> WriteAsync(CancellationToken ct)
    {
        var serialised = Dialect.IsSqlite;
        if (serialised) await writer.WaitAsync(ct);
        try
        {
            var connection = await OpenAsync(ct);
            var transaction = connection is SqliteConnection sqlite
                ? sqlite.BeginTransaction(deferred: false)
                : await connection.BeginTransactionAsync(ct);
            return new UnitOfWork(connection, transaction, Dialect, serialised ? writer : null);
        }
        catch
        {
            if (serialised) writer.Release();
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> in a unit of work and commits it.</summary>
    public async Task<T> WriteAsync<T>(Func<UnitOfWork, Task<T>> work, CancellationToken ct)
    {
        await using var uow = await WriteAsync(ct);
        var result = await work(uow);
        await uow.CommitAsync(ct);
        return result;
    }

    public ValueTask DisposeAsync() => source.DisposeAsync();
}
