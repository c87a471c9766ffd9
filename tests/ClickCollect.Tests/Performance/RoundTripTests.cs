using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Performance;

/// <summary>
/// #17 item 2: on PostgreSQL every statement is a round trip to the server, and a booking made 24 of them. Each request
/// below carries a W3C <c>traceparent</c> of its own; Npgsql traces every command it sends (one activity per round trip,
/// statements batched together included; the COMMIT is not traced), and the test counts those of the request's trace.
/// The bounds hold with the pickup point's calendar not cached yet (3 reads), as in a first booking.
/// </summary>
public sealed class RoundTripTests_Postgres : IDisposable
{
    const string Wednesday11 = "2026-03-11T09:00:00+00:00"; // a slot of the adult counter, 10:00 in Paris

    readonly ConcurrentQueue<Activity> seen = new();
    readonly ActivityListener listener;

    public RoundTripTests_Postgres()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Npgsql" or "Microsoft.AspNetCore", // the request's activity carries the trace to Npgsql's
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = seen.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public void Dispose() => listener.Dispose();

    /// <summary>Sends the request in a trace of its own; returns the answer and the statements Npgsql sent for it, one per round trip.</summary>
    async Task<(HttpResponseMessage Response, List<string> RoundTrips)> TracedAsync(HttpClient client, HttpRequestMessage request)
    {
        var trace = ActivityTraceId.CreateRandom();
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        // A pool's physical connections are opened once and kept (Npgsql traces their opening as CONNECT): not counted. The
        // first booking opens the first of the bookings' own pool (Db.WriteBookingAsync).
        var roundTrips = seen.Where(a => a.TraceId == trace && a.Source.Name == "Npgsql" && !a.DisplayName.StartsWith("CONNECT", StringComparison.Ordinal))
            .Select(a => a.GetTagItem("db.query.text")?.ToString() ?? a.DisplayName).ToList();
        return (response, roundTrips);
    }

    static void AtMost(int bound, List<string> roundTrips, string what) =>
        Assert.True(roundTrips.Count <= bound, $"{what}: {roundTrips.Count} round trips, at most {bound} expected:\n\n" + string.Join("\n\n", roundTrips));

    /// <summary>The pickup_point_branches view cost PostgreSQL more to plan than the statements took to run (#17): not on the hot paths.</summary>
    static void NoView(List<string> roundTrips, string what) =>
        Assert.False(roundTrips.Any(s => s.Contains("pickup_point_branches", StringComparison.Ordinal)),
            $"{what} joins the pickup_point_branches view:\n\n" + string.Join("\n\n", roundTrips.Where(s => s.Contains("pickup_point_branches", StringComparison.Ordinal))));

    [Fact]
    public async Task A_booking_its_arrival_and_its_cancellation_take_few_round_trips_to_postgresql()
    {
        await using var app = await TestApp.StartAsync<PostgresTestDatabase>();
        var point = await PickupPointIdAsync(app, CentralAdults);
        var (title, _) = await TitleAsync(app, "CENTRALE");
        var (other, _) = await TitleAsync(app, "CENTRALE");
        var patron = await PatronAsync(app, "P0001");
        var holds = new List<long>();
        foreach (var t in new[] { title, other })
        {
            var (placed, placing) = await TracedAsync(patron, new HttpRequestMessage(HttpMethod.Post, "/api/holds")
            {
                Content = JsonContent.Create(new { titleId = t, pickupPointId = point }),
            });
            holds.Add((await ReadAsync(placed, HttpStatusCode.Created)).GetProperty("id").GetInt64());
            NoView(placing, "A hold");
        }

        // As the patron page sends it, with an Idempotency-Key: was 23 statements, each a round trip, and the COMMIT.
        var keyed = new HttpRequestMessage(HttpMethod.Post, "/api/appointments")
        {
            Content = JsonContent.Create(new { pickupPointId = point, slotStart = Wednesday11, holdIds = new[] { holds[0] } }),
            Headers = { { "Idempotency-Key", Guid.NewGuid().ToString() } },
        };
        var (booked, booking) = await TracedAsync(patron, keyed);
        var id = (await ReadAsync(booked, HttpStatusCode.Created)).GetProperty("id").GetInt64();
        AtMost(8, booking, "A booking with an Idempotency-Key"); // 11 while the lockdowns and the SMS had round trips of their own and the answer was read back (#17)
        NoView(booking, "A booking");

        // Without a key (as the benchmark books), in another slot: was 17 with the calendar cached, 20 without.
        var (bookedToo, plain) = await TracedAsync(patron, new HttpRequestMessage(HttpMethod.Post, "/api/appointments")
        {
            Content = JsonContent.Create(new { pickupPointId = point, slotStart = "2026-03-11T09:15:00+00:00", holdIds = new[] { holds[1] } }),
        });
        await ReadAsync(bookedToo, HttpStatusCode.Created);
        AtMost(3, plain, "A booking without a key"); // the session, the checks, the place: 6 while the lockdowns, the SMS and the read-back had their own (#17)
        NoView(plain, "A booking");

        app.Clock.SetUtcNow(DateTimeOffset.Parse(Wednesday11) - TimeSpan.FromMinutes(20));
        patron = await PatronAsync(app, "P0001");
        var (arrived, arrival) = await TracedAsync(patron, new HttpRequestMessage(HttpMethod.Post, $"/api/appointments/{id}/arrival"));
        Assert.Equal("arrived", (await ReadAsync(arrived, HttpStatusCode.OK)).GetProperty("status").GetString());
        AtMost(4, arrival, "An arrival"); // was 6

        var (cancelled, cancellation) = await TracedAsync(patron, new HttpRequestMessage(HttpMethod.Delete, $"/api/appointments/{id}"));
        Assert.Equal("cancelled", (await ReadAsync(cancelled, HttpStatusCode.OK)).GetProperty("status").GetString());
        AtMost(7, cancellation, "A cancellation"); // was 10
    }

    /// <summary>
    /// #17: bookings of one slot hold its lock in turn until their COMMIT, so a booking takes it as late as it can: with the
    /// statement that takes the place, after every check, with nothing written before it, and with the confirmation SMS
    /// queued by that same statement (it was one round trip more under the lock). Another transaction holds the slot's lock
    /// while a booking runs: the booking must be found waiting for it having read its checks (it holds the patron's lock and
    /// has read the holds) and written nothing; once the lock is free it books, and the round trip that waited is the one
    /// that took the place, queued the SMS and committed.
    /// </summary>
    [Fact]
    public async Task A_booking_waits_for_the_slots_lock_only_with_the_statement_that_takes_the_place()
    {
        await using var app = await TestApp.StartAsync<PostgresTestDatabase>();
        var point = await PickupPointIdAsync(app, CentralAdults);
        var (title, _) = await TitleAsync(app, "CENTRALE");
        var patron = await PatronAsync(app, "P0001");
        var hold = (await ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = point }), HttpStatusCode.Created))
            .GetProperty("id").GetInt64();
        var slot = LockKeys.Slot(point, DateTimeOffset.Parse(Wednesday11));

        await using var holder = new NpgsqlConnection(app.ConnectionString);
        await holder.OpenAsync();
        await using var tx = await holder.BeginTransactionAsync();
        await holder.ExecuteAsync("select pg_advisory_xact_lock(@slot)", new { slot }, tx);
        var booking = TracedAsync(patron, new HttpRequestMessage(HttpMethod.Post, "/api/appointments")
        {
            Content = JsonContent.Create(new { pickupPointId = point, slotStart = Wednesday11, holdIds = new[] { hold } }),
        });

        // The booking's backend, waiting for the slot's key (pg_locks shows an int8 advisory key as its two halves).
        await using var watcher = new NpgsqlConnection(app.ConnectionString);
        await watcher.OpenAsync();
        int? waiting = null;
        for (var tries = 0; waiting is null && tries < 500 && !booking.IsCompleted; tries++)
        {
            waiting = await watcher.QuerySingleOrDefaultAsync<int?>("""
                select pid from pg_locks
                where locktype = 'advisory' and not granted and classid::int8 = @High and objid::int8 = @Low and objsubid = 1
                """, new { High = (long)((ulong)slot >> 32), Low = slot & 0xFFFFFFFFL });
            if (waiting is null) await Task.Delay(20);
        }
        Assert.True(waiting is not null, "The booking never waited for the slot's lock: " + (booking.IsCompleted ? "it finished while another transaction held it" : "timed out"));
        var tables = (await watcher.QueryAsync<(string Relation, string Mode)>("""
            select c.relname, l.mode from pg_locks l join pg_class c on c.oid = l.relation
            where l.pid = @Pid and l.locktype = 'relation' and c.relkind = 'r' and c.relnamespace = 'public'::regnamespace
            """, new { Pid = waiting })).ToList();
        var patronLock = LockKeys.Patron((await app.Service<ClickCollect.Api.Features.Patrons.PatronStore>().FindByCardAsync("P0001", default))!.Id);
        Assert.True(await watcher.ExecuteScalarAsync<bool>("""
            select exists (select 1 from pg_locks where pid = @Pid and locktype = 'advisory' and granted and classid::int8 = @High and objid::int8 = @Low)
            """, new { Pid = waiting, High = (long)((ulong)patronLock >> 32), Low = patronLock & 0xFFFFFFFFL }), "The booking waits for the slot without the patron's lock.");
        Assert.Contains(("holds", "AccessShareLock"), tables); // the checks were read before the wait
        Assert.DoesNotContain(tables, t => t.Mode != "AccessShareLock"); // and nothing was written

        await tx.CommitAsync();
        var (response, roundTrips) = await booking;
        var id = (await ReadAsync(response, HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var place = Assert.Single(roundTrips, r => r.Contains("insert into slot_places", StringComparison.Ordinal));
        Assert.StartsWith("select pg_advisory_xact_lock(@lock_0);", place, StringComparison.Ordinal); // the slot's lock, with the place
        Assert.Contains("insert into sms_outbox", place, StringComparison.Ordinal); // and the SMS, in the same statement
        // And the COMMIT, in the same round trip: the slot's lock is not held for a round trip more to the app and back.
        Assert.EndsWith(";\ncommit", place, StringComparison.Ordinal);
        // No NOTIFY from the transaction: its commit would take PostgreSQL's one lock for all notifying transactions and
        // hold it through the WAL flush, every booking's commit after the other (SlotPlacesNotifier tells after the commit).
        Assert.DoesNotContain(roundTrips, r => r.Contains("pg_notify", StringComparison.Ordinal));
        Assert.Single(roundTrips, r => r.Contains("sms_outbox", StringComparison.Ordinal));
        await using var check = await app.Service<Db>().OpenAsync(default);
        Assert.Equal($"appointmentBooked:{id}", await check.ExecuteScalarAsync<string>(
            "select dedupe_key from sms_outbox where kind = 'appointmentBooked' and patron_id = (select patron_id from holds where id = @hold)", new { hold }));
    }
}

/// <summary>
/// #17: on SQLite the single writer runs every booking's statements in turn, so its turn is the ceiling of bookings a
/// second. The test traces the statements the writer's connection runs for one booking (SQLite's own trace, which also
/// shows the statements run by triggers, as "-- TRIGGER …" lines; not counted).
/// </summary>
public sealed class WriterStatementTests_Sqlite
{
    [Fact]
    public async Task A_booking_reads_its_checks_in_one_statement_of_the_writers_turn()
    {
        await using var app = await TestApp.StartAsync<SqliteTestDatabase>();
        var point = await PickupPointIdAsync(app, CentralAdults);
        var holds = new List<long>();
        var patron = await PatronAsync(app, "P0001");
        foreach (var _ in new[] { 1, 2 })
        {
            var (title, _) = await TitleAsync(app, "CENTRALE");
            holds.Add((await ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = point }), HttpStatusCode.Created))
                .GetProperty("id").GetInt64());
        }
        var statements = new ConcurrentQueue<string>();
        app.Service<Db>().ConnectionOpened = c => SQLitePCL.raw.sqlite3_trace(((SqliteConnection)c).Handle, (_, sql) => statements.Enqueue(sql), null);
        await ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = (await TitleAsync(app, "CENTRALE")).TitleId, pickupPointId = point }),
            HttpStatusCode.Created); // a write, so the writer's next group traces
        statements.Clear();

        var booked = await patron.PostAsJsonAsync("/api/appointments",
            new { pickupPointId = point, slotStart = "2026-03-11T09:00:00+00:00", holdIds = holds });

        Assert.Equal(2, (await ReadAsync(booked, HttpStatusCode.Created)).GetProperty("holds").GetArrayLength());
        // The turn: from its SAVEPOINT to its RELEASE (the readers' connections are traced too: the calendar, the session).
        var turn = statements.Where(s => !s.StartsWith("--", StringComparison.Ordinal)).SkipWhile(s => s != "savepoint turn").Skip(1)
            .TakeWhile(s => s != "release turn").ToList();
        var shown = $"{turn.Count} statements in the turn:\n\n" + string.Join("\n\n", turn);
        // The checks (the holds, the patron's appointment in the slot and that day, what the SMS and the answer show): one
        // statement, seven before (#17); then the place, the appointment, its two holds and the SMS.
        Assert.True(turn.Count(s => s.StartsWith("select", StringComparison.Ordinal)) == 1, shown);
        Assert.True(turn.Count == 6, shown);
    }
}
