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
        if (pendingLocks is null) return await connection.QueryMultipleAsync(Command(sql, parameters, ct));
        var (text, all, locks) = WithPendingLocks(sql, parameters);
        var grid = await connection.QueryMultipleAsync(Command(text, all, ct));
        try
        {
            for (var i = 0; i < locks; i++) await grid.ReadAsync<object>();
        }
        catch
        {
            await grid.DisposeAsync();
            throw;
        }
        return grid;
    }

    /// <summary><paramref name="sql"/> after the statements taking the locks that wait for it (their parameters added); none left waiting.</summary>
    (string Sql, object? Parameters, int Locks) WithPendingLocks(string sql, object? parameters)
    {
        if (pendingLocks is not { } locks) return (sql, parameters, 0);
        pendingLocks = null;
        var all = new DynamicParameters(parameters);
        // One statement for all the locks (#17: each statement costs the server an executor start and end, the app a result
        // to read), taken in the order asked: each one after those before it, whose subquery (not flattened, OFFSET 0)
        // must give its row first: select g(@lock_1) from (select f(@lock_0) offset 0) as l1.
        var text = $"select {locks[0].Function}(@lock_0)";
        all.Add("lock_0", locks[0].Key);
        for (var i = 1; i < locks.Count; i++)
        {
            text = $"select {locks[i].Function}(@lock_{i}) from ({text} offset 0) as l{i}";
            all.Add($"lock_{i}", locks[i].Key);
        }
        return (sql.Length == 0 ? text : $"{text};\n{sql}", all, 1);
    }

    /// <summary>
    /// Runs <paramref name="sql"/> (one statement; the first column of its first row comes back, or null) and commits, in one
    /// round trip on PostgreSQL: the COMMIT is sent with the statement (and the locks waiting for it), so whatever the
    /// statement locks (a slot's lock, its slot_places row) is held for the statement and the WAL flush only, not for a round
    /// trip more to the app and back (#17: the bookings of a slot hold its lock in turn; with the COMMIT sent apart, each hold
    /// lasted as long as the app took to be scheduled again on a busy machine). The statement must be the unit of work's last:
    /// whatever follows it is not in the transaction. If it fails, PostgreSQL skips the COMMIT and the unit of work is rolled
    /// back as usual. SQLite: the statement, then <see cref="CommitAsync"/>.
    /// </summary>
    public async Task<T?> QuerySingleOrDefaultAndCommitAsync<T>(string sql, object? parameters, CancellationToken ct) where T : struct
    {
        if (turn is not null)
        {
            var value = await QuerySingleOrDefaultAsync<T?>(sql, parameters, ct);
            await CommitAsync(ct);
            return value;
        }
        var (text, all, locks) = WithPendingLocks(sql + ";\ncommit", parameters);
        T? result = null;
        commitSent = true;
        await using (var reader = await connection.ExecuteReaderAsync(Command(text, all, ct)))
        {
            for (var i = 0; i < locks; i++) await reader.NextResultAsync(ct);
            if (await reader.ReadAsync(ct) && !await reader.IsDBNullAsync(0, ct)) result = reader.GetFieldValue<T>(0);
            while (await reader.NextResultAsync(ct)) { } // up to the COMMIT's answer: its error, if any, is thrown here
        }
        Committed();
        return result;
    }

    bool commitSent, committed;

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
    public void AfterCommit(Action action)
    {
        if (committed) action();
        else (afterCommit ??= []).Add(action);
    }

    /// <summary>Commits; returns once the change is durable (on SQLite, once the writer's group is committed).</summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        if (committed) return; // already, with the unit of work's last statement (QuerySingleOrDefaultAndCommitAsync)
        await TakePendingLocksAsync(ct);
        if (turn is not null)
        {
            done = true; // the writer's connection goes to the next turn now
            await turn.CommitAsync();
        }
        else
        {
            await transaction.CommitAsync(ct);
        }
        Committed();
    }

    void Committed()
    {
        (done, committed) = (true, true);
        foreach (var action in afterCommit ?? []) action();
        afterCommit = null;
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
            // A COMMIT sent with a statement that failed was skipped, or failed itself: the transaction's own disposal
            // rolls back what is still open (a rollback asked of a transaction PostgreSQL already ended would throw).
            if (!done && !commitSent) await transaction.RollbackAsync();
        }
        finally
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
