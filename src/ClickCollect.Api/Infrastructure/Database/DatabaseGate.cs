namespace ClickCollect.Api.Infrastructure.Database;

/// <summary>
/// PostgreSQL: at most <paramref name="size"/> runs of one kind of database work at once (searches: <see cref="AtOnce"/>, two per core); the
/// others wait here, in turn, holding no connection. Each run is a backend process's work on the server: with as many at
/// once as clients ask, the backends, the app and everything else on the cores preempt each other and the slowest requests
/// wait tens of milliseconds for a core (#17, make bench on 2 cores, catalogue search at 16 connections: p99 23–46 ms in
/// five runs, 12.6–15.0 ms in four with four connections at once, and more searches answered per second; eight: 23 ms).
/// Only around work that holds one connection and asks for no other while it holds it, so the gate cannot deadlock; the
/// catalogue search's also draws its connections from a pool of that size (<see cref="Db.OpenSearchAsync"/>).
/// SQLite: no gate (its work runs on the request's thread, and its writes have their own single writer).
/// </summary>
internal sealed class DatabaseGate(SqlDialect dialect, int size)
{
    public static readonly int AtOnce = 2 * Environment.ProcessorCount;

    /// <summary>
    /// Booking transactions at once (<see cref="Db.WriteBookingAsync"/>): more than searches, because a booking spends most of
    /// its time waiting, for the app between its two round trips and for the WAL flush of its COMMIT, which the bookings in
    /// flight share. make bench, PostgreSQL, 2 cores, one run each (#17): at 64 connections 1,312 bookings/s with 4 at once,
    /// 1,554 with 8, 1,808 with 16 (server CPU 0.78 / 0.71 / 0.68 ms a booking), 1,363 with 32 (0.87 ms, lock waits 0.16 ms).
    /// Against no gate, on the app's pool, in back-to-back runs at 64 and 256 connections: 1,306 and 1,468 bookings/s, server
    /// CPU 0.73 ms a booking, p99 at 256 239 ms; without, 993 and 1,029, 1.16 ms (0.19 of it planning on backends whose caches
    /// were cold, 0.81 ms waiting for advisory locks), p99 421 ms. At 16 connections the two are even (1,219 / 1,234).
    /// </summary>
    public static readonly int BookingsAtOnce = 8 * Environment.ProcessorCount;

    readonly SemaphoreSlim? turns = dialect.IsSqlite ? null : new(size, size);
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
