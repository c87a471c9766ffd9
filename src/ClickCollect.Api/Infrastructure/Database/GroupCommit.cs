using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace ClickCollect.Api.Infrastructure.Database;

/// <summary>
/// The single SQLite writer, committing in groups (#17 item 2). Writes take turns on one connection (a
/// turn is one unit of work, inside its own SAVEPOINT); while other writes are waiting for their turn, a
/// turn that commits only releases its savepoint and leaves the transaction open for the next one. The
/// last turn of the group (nobody waiting, or <see cref="MaxGroup"/> turns in it) COMMITs for all: one
/// fsync under synchronous=FULL for the whole group. Every caller's <see cref="UnitOfWork.CommitAsync"/>
/// returns only once that COMMIT is durable, and if it fails, every caller of the group gets a
/// <see cref="GroupCommitException"/>: nothing is acknowledged that is not on disk. A turn that ends
/// without committing (a refused booking, an exception) is rolled back to its savepoint, alone.
/// </summary>
/// <remarks>
/// Why: the fsync is the ceiling of a durable write (PLATFORM.md, "The limit for a booking"); one fsync
/// per write caps writes at the disk's fsync rate however little each does, while a group shares it.
/// The turn covers only the statements: whatever a caller computes before asking for it runs in parallel.
/// A lone write commits at once, on its own thread, as before (no hand-over to another thread). Inside a
/// group, a turn sees the not yet committed changes of the turns before it, as it would have seen them
/// committed one by one; other connections see them after the COMMIT. Once asked for, a turn is always
/// taken (a cancelled caller takes it and leaves at once), so a turn that leaves the transaction open
/// for a waiting one can count on it to commit or pass it on. The connection stays open between groups.
/// </remarks>
internal sealed class GroupCommit(Func<CancellationToken, Task<SqliteConnection>> open, SqlDialect dialect) : IAsyncDisposable
{
    public const int MaxGroup = 64;
    // The turn's savepoint statements, run through the connection's kept commands (parsed once, not at every turn).
    const string SaveSql = "savepoint turn", ReleaseSql = "release turn", RollbackSql = "rollback to turn";

    readonly SemaphoreSlim turns = new(1, 1);
    PreparedConnection? connection;
    SqliteTransaction? transaction;
    List<TaskCompletionSource>? group; // the callers whose committed turns wait for the open transaction's COMMIT
    Action<DbConnection>? connectionSeen;
    int waiting;
    long commits;
    long committedTurns;

    /// <summary>COMMITs that succeeded (one fsync each): with concurrent writers, fewer than <see cref="CommittedTurns"/>.</summary>
    public long Commits => Interlocked.Read(ref commits);

    /// <summary>Units of work committed (their callers told their change is durable).</summary>
    public long CommittedTurns => Interlocked.Read(ref committedTurns);

    /// <summary>Units of work waiting for their turn.</summary>
    public int Waiting => Volatile.Read(ref waiting);

    /// <summary>Called on the writer's connection before its next group whenever it changes (tests trace statements, see <see cref="Db.ConnectionOpened"/>).</summary>
    internal Action<DbConnection>? ConnectionOpened { get; set; }

    /// <summary>Waits for a turn; the unit of work it answers joins the open group, or starts one.</summary>
    public async Task<UnitOfWork> EnterAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Interlocked.Increment(ref waiting);
        await turns.WaitAsync(CancellationToken.None); // see the remarks: a turn asked for is taken
        Interlocked.Decrement(ref waiting);
        try
        {
            ct.ThrowIfCancellationRequested();
            if (transaction is null) await BeginAsync();
            connection!.Execute(SaveSql, transaction);
            group ??= [];
            return new UnitOfWork(connection, transaction!, dialect, new Turn(this));
        }
        catch (Exception e)
        {
            if (e is not OperationCanceledException) Fail(e);
            Leave();
            throw;
        }
    }

    async Task BeginAsync()
    {
        connection ??= new PreparedConnection(await open(CancellationToken.None));
        if (ConnectionOpened is { } seen && seen != connectionSeen)
        {
            seen(connection.Inner);
            connectionSeen = seen;
        }
        transaction = connection.Inner.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: the write lock for the whole group
    }

    /// <summary>The turn keeps its changes: they join the group, and the task completes when the group is durable.</summary>
    Task CommitTurn()
    {
        var durable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            connection!.Execute(ReleaseSql, transaction);
            group!.Add(durable);
        }
        catch (Exception e)
        {
            // SQLite rolled the whole transaction back on its own (an I/O error, a full disk): the group is lost.
            durable.TrySetException(new GroupCommitException(e));
            Fail(e);
        }
        Leave();
        return durable.Task;
    }

    /// <summary>The turn is rolled back to its savepoint; the turns before it in the group keep theirs.</summary>
    void AbandonTurn()
    {
        try
        {
            connection!.Execute(RollbackSql, transaction);
            connection.Execute(ReleaseSql, transaction);
        }
        catch (Exception e)
        {
            Fail(e);
        }
        Leave();
    }

    /// <summary>Ends a turn: COMMITs the group unless another turn is waiting to join it (and it is not full), then passes the connection on.</summary>
    void Leave()
    {
        List<TaskCompletionSource>? committed = null;
        Exception? failure = null;
        if (transaction is not null && (Volatile.Read(ref waiting) == 0 || (group?.Count ?? 0) >= MaxGroup))
        {
            committed = group;
            try
            {
                if (committed is { Count: > 0 })
                {
                    transaction.Commit();
                    Interlocked.Increment(ref commits);
                    Interlocked.Add(ref committedTurns, committed.Count);
                }
                else transaction.Rollback(); // nothing kept: end the transaction rather than hold SQLite's write lock
                transaction.Dispose();
                transaction = null;
                group = null;
            }
            catch (Exception e)
            {
                failure = new GroupCommitException(e);
                Reset();
            }
        }
        turns.Release();
        foreach (var caller in committed ?? [])
            if (failure is null) caller.TrySetResult();
            else caller.TrySetException(failure);
    }

    /// <summary>The open transaction is lost: its committed turns are told, and the next turn starts on a fresh connection.</summary>
    void Fail(Exception e)
    {
        var lost = group;
        Reset();
        foreach (var caller in lost ?? []) caller.TrySetException(new GroupCommitException(e));
    }

    void Reset()
    {
        try
        {
            transaction?.Dispose(); // rolls back what is left
            connection?.Dispose();
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException)
        {
            // closing a broken connection: nothing more to do
        }
        transaction = null;
        group = null;
        connection = null;
        connectionSeen = null;
    }

    public async ValueTask DisposeAsync()
    {
        await turns.WaitAsync();
        Reset();
        turns.Release();
    }

    /// <summary>One caller's turn: it ends once, by a commit or a roll back.</summary>
    internal sealed class Turn(GroupCommit writer)
    {
        int ended;

        /// <summary>Keeps the caller's changes and waits until the group holding them is durable.</summary>
        public Task CommitAsync() =>
            Interlocked.Exchange(ref ended, 1) == 0 ? writer.CommitTurn() : throw new InvalidOperationException("The turn is over.");

        public void Abandon()
        {
            if (Interlocked.Exchange(ref ended, 1) == 0) writer.AbandonTurn();
        }
    }
}

/// <summary>The COMMIT of a group failed (or SQLite aborted its transaction): this caller's change is not saved.</summary>
internal sealed class GroupCommitException(Exception inner)
    : Exception("The write was not saved: the group commit it belonged to failed.", inner);
