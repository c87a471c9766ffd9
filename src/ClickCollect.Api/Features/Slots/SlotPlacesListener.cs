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
internal sealed class SlotPlacesListener(Db db, SlotPlacesCache cache, TimeProvider clock, ILogger<SlotPlacesListener> logger)
    : PostgresListener(db, Channel, ApplicationName, "calendars read the database", clock, logger)
{
    internal const string Channel = "slot_places";
    internal const string ApplicationName = "ClickCollect slot_places listener";

    protected override void Heard(string payload)
    {
        if (long.TryParse(payload, NumberStyles.None, CultureInfo.InvariantCulture, out var pickupPointId)) cache.Changed(pickupPointId);
        else cache.Clear();
    }

    // First, every other instance empties its cache: a change this instance committed but had not told them of when it
    // stopped (SlotPlacesNotifier sends after the commit) is not shown by them any longer.
    protected override async Task OpenedAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var clear = new NpgsqlCommand($"select pg_notify('{Channel}', '*')", connection);
        await clear.ExecuteNonQueryAsync(ct);
    }

    protected override void Listening() => cache.Listening();

    protected override void NotListening() => cache.NotListening();
}
