using System.Data.Common;
using System.Text;
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

    /// <summary>The connection, for a store that runs its own commands in this unit of work (not while a lock waits for its statement).</summary>
    public DbConnection Connection => pendingLocks is null ? connection
        : throw new InvalidOperationException("A lock waits for the next statement of this unit of work: run it through the unit of work.");
    public DbTransaction Transaction => transaction;
    public SqlDialect Dialect => dialect;

    public CommandDefinition Command(string sql, object? parameters, CancellationToken ct) =>
        done ? throw new InvalidOperationException("This unit of work is over: it was committed or rolled back.")
             : new(sql, parameters, transaction, cancellationToken: ct);

    public async Task<int> ExecuteAsync(string sql, object? parameters, CancellationToken ct)
    {
        await TakePendingLocksAsync(ct); // alone: rows affected are not read through a grid
        return await connection.ExecuteAsync(Command(sql, parameters, ct));
    }

    public async Task<T> QuerySingleAsync<T>(string sql, object? parameters, CancellationToken ct)
    {
        if (pendingLocks is null) return await connection.QuerySingleAsync<T>(Command(sql, parameters, ct));
        await using var grid = await QueryMultipleAsync(sql, parameters, ct);
        return await grid.ReadSingleAsync<T>();
    }

    public async Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? parameters, CancellationToken ct)
    {
        if (pendingLocks is null) return await connection.QuerySingleOrDefaultAsync<T>(Command(sql, parameters, ct));
        await using var grid = await QueryMultipleAsync(sql, parameters, ct);
        return await grid.ReadSingleOrDefaultAsync<T>();
    }

    public async Task<IEnumerable<T>> QueryAsync<T>(string sql, object? parameters, CancellationToken ct)
    {
        if (pendingLocks is null) return await connection.QueryAsync<T>(Command(sql, parameters, ct));
        await using var grid = await QueryMultipleAsync(sql, parameters, ct);
        return await grid.ReadAsync<T>();
    }

    /// <summary>
    /// Runs several statements (<paramref name="sql"/>, separated by semicolons) in one round trip: read their results
    /// from the grid in order, then dispose it. The locks waiting for the next statement
    /// (<see cref="LockWithNextStatement"/>) are taken first, in the same round trip, and their results already read.
    /// On PostgreSQL each statement still takes its own snapshot, after the locks and statements before it (READ COMMITTED).
    /// </summary>
    public async Task<SqlMapper.GridReader> QueryMultipleAsync(string sql, object? parameters, CancellationToken ct)
    {
        if (pendingLocks is not { } locks) return await connection.QueryMultipleAsync(Command(sql, parameters, ct));
        pendingLocks = null;
        var all = new DynamicParameters(parameters);
        var text = new StringBuilder();
        for (var i = 0; i < locks.Count; i++)
        {
            text.Append($"select {locks[i].Function}(@lock_{i});\n");
            all.Add($"lock_{i}", locks[i].Key);
        }
        var grid = await connection.QueryMultipleAsync(Command(text.Append(sql).ToString(), all, ct));
        try
        {
            for (var i = 0; i < locks.Count; i++) await grid.ReadAsync<object>();
        }
        catch
        {
            await grid.DisposeAsync();
            throw;
        }
        return grid;
    }

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

    List<(string Function, long Key)>? pendingLocks;

    /// <summary>
    /// <see cref="LockAsync"/>, taken by the next statement this unit of work runs, in the same round trip (PostgreSQL:
    /// one round trip fewer per lock on the booking path, #17). The statement still runs after the lock is granted
    /// and sees what its previous holder committed. Until then <see cref="Connection"/> is not handed out.
    /// </summary>
    public void LockWithNextStatement(long key) => Defer("pg_advisory_xact_lock", key);

    /// <summary><see cref="LockSharedAsync"/>, taken by the next statement this unit of work runs (<see cref="LockWithNextStatement"/>).</summary>
    public void LockSharedWithNextStatement(long key) => Defer("pg_advisory_xact_lock_shared", key);

    async Task TakePendingLocksAsync(CancellationToken ct)
    {
        if (pendingLocks is not null) await (await QueryMultipleAsync("", null, ct)).DisposeAsync();
    }

    void Defer(string function, long key)
    {
        if (dialect.IsSqlite) return; // the whole unit of work already holds the only write lock
        (pendingLocks ??= []).Add((function, key));
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
        await TakePendingLocksAsync(ct);
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
