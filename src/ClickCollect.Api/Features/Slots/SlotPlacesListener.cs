using System.Globalization;
using ClickCollect.Api.Infrastructure.Database;
using Npgsql;

namespace ClickCollect.Api.Features.Slots;

/// <summary>
/// PostgreSQL: keeps <see cref="SlotPlacesCache"/> exact across app instances. One dedicated connection (not from the
/// pool) LISTENs on <see cref="Channel"/>, where each instance sends the id of every pickup point whose slot_places rows
/// it changed, once the change is committed (<see cref="SlotPlacesNotifier"/>); each notification drops that pickup
/// point's cached counts, any other payload all of them. The cache is in use only while
/// this connection listens: lost (or not open yet), every calendar reads the database, and once it listens again the
/// cache starts empty. It reconnects after 1 s, then 2, 4… up to 30 s (on the app's clock); TCP keepalives every 10 s
/// make a connection that died silently fail its wait. SQLite (one instance) needs none of this.
/// </summary>
internal sealed class SlotPlacesListener(Db db, SlotPlacesCache cache, TimeProvider clock,
    ILogger<SlotPlacesListener> logger) : BackgroundService
{
    internal const string Channel = "slot_places";
    internal const string ApplicationName = "ClickCollect slot_places listener";
    static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1), LastRetry = TimeSpan.FromSeconds(30);

    // Not async itself: an async method's state machine holds its locals (here Npgsql's connection and commands) as
    // fields, so the runtime loads Npgsql with it; on SQLite that was 1.4 MB resident at the 256-connection booking peak
    // for nothing (#17).
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        db.Dialect.IsSqlite ? Task.CompletedTask : ListenAsync(stoppingToken);

    async Task ListenAsync(CancellationToken stoppingToken)
    {
        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = db.Dedicated(ApplicationName);
                connection.Notification += (_, e) =>
                {
                    if (long.TryParse(e.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out var pickupPointId)) cache.Changed(pickupPointId);
                    else cache.Clear();
                };
                await connection.OpenAsync(stoppingToken);
                // First, every other instance empties its cache: a change this instance committed but had not told them
                // of when it stopped (SlotPlacesNotifier sends after the commit) is not shown by them any longer.
                await using (var clear = new NpgsqlCommand($"select pg_notify('{Channel}', '*')", connection))
                    await clear.ExecuteNonQueryAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"listen {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                cache.Listening(); // from now on every change is heard; what was cached before may have missed some
                retry = FirstRetry;
                while (true) await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "The slot calendar's listener lost PostgreSQL: calendars read the database until it reconnects (in {Retry})", retry);
            }
            finally
            {
                cache.NotListening();
            }
            try
            {
                await Task.Delay(retry, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            retry = retry * 2 < LastRetry ? retry * 2 : LastRetry;
        }
    }
}
