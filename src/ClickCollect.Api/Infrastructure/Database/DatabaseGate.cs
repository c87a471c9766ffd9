namespace ClickCollect.Api.Infrastructure.Database;

/// <summary>
/// PostgreSQL: at most <see cref="AtOnce"/> runs of one kind of database work at once (two per core of this machine); the
/// others wait here, in turn, holding no connection. Each run is a backend process's work on the server: with as many at
/// once as clients ask, the backends, the app and everything else on the cores preempt each other and the slowest requests
/// wait tens of milliseconds for a core (#17, make bench on 2 cores, catalogue search at 16 connections: p99 23–46 ms in
/// five runs, 12.6–15.0 ms in four with four connections at once, and more searches answered per second; eight: 23 ms).
/// Only around work that holds one connection and asks for no other while it holds it, so the gate cannot deadlock; the
/// catalogue search's also draws its connections from a pool of that size (<see cref="Db.OpenSearchAsync"/>).
/// SQLite: no gate (its work runs on the request's thread, and its writes have their own single writer).
/// </summary>
internal sealed class DatabaseGate(SqlDialect dialect)
{
    public static readonly int AtOnce = 2 * Environment.ProcessorCount;

    readonly SemaphoreSlim? turns = dialect.IsSqlite ? null : new(AtOnce, AtOnce);
    int waiting;

    /// <summary>Runs waiting for their turn now.</summary>
    public int Waiting => Volatile.Read(ref waiting);

    public async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        if (turns is null) return await work();
        Interlocked.Increment(ref waiting);
        try
        {
            await turns.WaitAsync(ct);
        }
        finally
        {
            Interlocked.Decrement(ref waiting);
        }
        try
        {
            return await work();
        }
        finally
        {
            turns.Release();
        }
    }
}
