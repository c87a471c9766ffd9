using System.Threading.Channels;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;
using Npgsql;

namespace ClickCollect.Api.Features.Slots;

/// <summary>
/// PostgreSQL: tells the other app instances' calendars (<see cref="SlotPlacesListener"/>) which pickup points' places
/// changed, once the change is committed. The transactions that change slot_places used to send the <c>pg_notify</c>
/// themselves, but a transaction that has notified takes one lock for the whole database server at COMMIT and holds it
/// through its WAL flush, so that notifications queue in commit order: every booking then committed one after the other,
/// each still holding its slot's lock while it waited (#17: a bare transaction ran at 5,400/s under pgbench here, 2,700/s
/// with a notification; make bench showed the bookings waiting on the "object" lock). Here the notifications go after
/// the commit, several changes in one statement, from a transaction that does not wait for its WAL flush (a notification
/// lost with a server crash does not matter: the listeners lose their connection too and empty their caches).
/// </summary>
/// <remarks>
/// REVIEW: an instance that stops between a commit and its notification (a crash) leaves the other instances' counts for
/// that pickup point stale until its next change there (a booking usually), until an instance's listener connects,
/// which empties every instance's cache (<see cref="SlotPlacesListener"/>), and at most for SlotPlacesCache.MaxAge. The counts are what a calendar shows, never
/// what a booking checks: the booking's own statement decides who gets a place.
/// </remarks>
internal sealed class SlotPlacesNotifier(Db db, ILogger<SlotPlacesNotifier> logger) : BackgroundService
{
    // Each pickup point's id on the channel; the transaction's commit is not waited for (set_config(…, true): this statement only).
    const string NotifySql = $"""
        select pg_notify('{SlotPlacesListener.Channel}', id::text) from unnest(@Ids) as changed (id), set_config('synchronous_commit', 'off', true)
        """;
    static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    readonly Channel<long> changed = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>The pickup point's slot_places rows changed, committed: the other instances will hear it.</summary>
    public void Changed(long pickupPointId)
    {
        if (!db.Dialect.IsSqlite) changed.Writer.TryWrite(pickupPointId);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (db.Dialect.IsSqlite) return;
        var pending = new HashSet<long>();
        try
        {
            while (pending.Count > 0 || await changed.Reader.WaitToReadAsync(stoppingToken)) // what failed is tried again
            {
                // All the changes waiting go in one statement: under load one notification carries many bookings.
                while (changed.Reader.TryRead(out var id)) pending.Add(id);
                try
                {
                    await SendAsync(pending, stoppingToken);
                    pending.Clear();
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(e, "The slot calendar's changes could not be told to the other instances: tried again in {Retry}", Retry);
                    await Task.Delay(Retry, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is still waiting is sent below.
        }
        while (changed.Reader.TryRead(out var id)) pending.Add(id);
        if (pending.Count == 0) return;
        try
        {
            using var last = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await SendAsync(pending, last.Token);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "The slot calendar's last changes could not be told to the other instances");
        }
    }

    internal const string ApplicationName = "ClickCollect slot_places notifier";

    // A connection of its own, kept open (not from the pool: taking one there after each booking took it from the next
    // request, which then opened a new one).
    NpgsqlConnection? connection;

    async Task SendAsync(HashSet<long> pickupPointIds, CancellationToken ct)
    {
        try
        {
            if (connection is null)
            {
                connection = db.Dedicated(ApplicationName);
                await connection.OpenAsync(ct);
            }
            await connection.ExecuteAsync(new CommandDefinition(NotifySql, new { Ids = pickupPointIds.ToArray() }, cancellationToken: ct));
        }
        catch
        {
            if (connection is not null) await connection.DisposeAsync();
            connection = null; // opened again for the next try
            throw;
        }
    }

    public override void Dispose()
    {
        connection?.Dispose();
        base.Dispose();
    }
}
