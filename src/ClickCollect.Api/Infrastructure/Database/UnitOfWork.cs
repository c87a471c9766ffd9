using System.Data.Common;
using Dapper;

namespace ClickCollect.Api.Infrastructure.Database;

/// <summary>
/// One connection and one transaction: everything in it is committed together or not at all. On SQLite it
/// is a turn of the single writer, inside a savepoint of the writer's group transaction (<see cref="GroupCommit"/>):
/// committed together with the group, or rolled back alone.
/// </summary>
internal sealed class UnitOfWork(DbConnection connection, DbTransaction transaction, SqlDialect dialect, GroupCommit.Turn? turn)
    : IAsyncDisposable
{
    bool done;

    public DbConnection Connection => connection;
    public DbTransaction Transaction => transaction;
    public SqlDialect Dialect => dialect;

    public CommandDefinition Command(string sql, object? parameters, CancellationToken ct) =>
        done ? throw new InvalidOperationException("This unit of work is over: it was committed or rolled back.")
             : new(sql, parameters, transaction, cancellationToken: ct);

    public Task<int> ExecuteAsync(string sql, object? parameters, CancellationToken ct) =>
        connection.ExecuteAsync(Command(sql, parameters, ct));

    public Task<T> QuerySingleAsync<T>(string sql, object? parameters, CancellationToken ct) =>
        connection.QuerySingleAsync<T>(Command(sql, parameters, ct));

    public Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? parameters, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<T>(Command(sql, parameters, ct));

    public Task<IEnumerable<T>> QueryAsync<T>(string sql, object? parameters, CancellationToken ct) =>
        connection.QueryAsync<T>(Command(sql, parameters, ct));

    /// <summary>
    /// Mutual exclusion on <paramref name="key"/> until the transaction ends. PostgreSQL: a transaction
    /// advisory lock. SQLite: nothing to do, the whole unit of work already holds the only write lock.
    /// </summary>
    public async Task LockAsync(long key, CancellationToken ct)
    {
        if (dialect.IsSqlite) return;
        await ExecuteAsync("select pg_advisory_xact_lock(@key)", new { key }, ct);
    }

    /// <summary>
    /// Like <see cref="LockAsync"/>, but any number of transactions may hold <paramref name="key"/> shared
    /// at once; an exclusive holder waits for them, and they wait for it.
    /// </summary>
    public async Task LockSharedAsync(long key, CancellationToken ct)
    {
        if (dialect.IsSqlite) return;
        await ExecuteAsync("select pg_advisory_xact_lock_shared(@key)", new { key }, ct);
    }

    List<Action>? afterCommit;

    /// <summary>
    /// Runs <paramref name="action"/> once the change is durable, and not at all if it is rolled back: for what must
    /// follow the commit, not precede it (a cache emptied before the commit can be refilled with the old rows by a
    /// reader in between).
    /// </summary>
    public void AfterCommit(Action action) => (afterCommit ??= []).Add(action);

    /// <summary>Commits; returns once the change is durable (on SQLite, once the writer's group is committed).</summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        if (turn is not null)
        {
            done = true; // the writer's connection goes to the next turn now
            await turn.CommitAsync();
        }
        else
        {
            await transaction.CommitAsync(ct);
            done = true;
        }
        foreach (var action in afterCommit ?? []) action();
    }

    public async ValueTask DisposeAsync()
    {
        if (turn is not null)
        {
            done = true;
            turn.Abandon(); // rolls back to the turn's savepoint, unless committed already
            return;
        }
        try
        {
            if (!done) await transaction.RollbackAsync();
        }
        finally
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
