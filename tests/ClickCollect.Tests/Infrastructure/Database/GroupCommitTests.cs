using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using Microsoft.Data.Sqlite;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Infrastructure.Database;

/// <summary>
/// #17 item 2: the single SQLite writer commits the writes waiting in its queue together, one COMMIT (one
/// fsync) for the group, each write in its own savepoint. To make a group without relying on timing, each
/// test holds the writer with a turn of its own until the writes it starts are all queued behind it.
/// </summary>
public sealed class GroupCommitTests
{
    static async Task<Db> DbAsync(Action<System.Data.Common.DbConnection>? opened = null)
    {
        var db = Db.Create(new DatabaseOptions(), SqliteTestDatabase.ConnectionString(SqliteTestDatabase.NewFile()));
        db.ConnectionOpened = opened;
        await db.WriteAsync(uow => uow.ExecuteAsync("""
            create table parents (id integer primary key);
            create table items (id integer primary key, parent_id integer references parents (id) deferrable initially deferred);
            """, null, default), default);
        return db;
    }

    /// <summary>Holds the writer with an empty turn until <paramref name="count"/> writes queue behind it, then lets them run as one group.</summary>
    static async Task<T[]> QueuedTogetherAsync<T>(Db db, int count, Func<int, Task<T>> write)
    {
        List<Task<T>> writes;
        await using (await db.WriteAsync(default)) // rolled back when disposed: the group goes on with the writes queued behind it
        {
            writes = Enumerable.Range(0, count).Select(i => Task.Run(() => write(i))).ToList();
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (db.Writer!.Waiting < count && waited.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(5);
            Assert.Equal(count, db.Writer.Waiting);
        }
        return await Task.WhenAll(writes);
    }

    static Task<long> CountAsync(Db db, string sql) =>
        db.WriteAsync(uow => uow.QuerySingleAsync<long>(sql, null, default), default);

    [Fact]
    public async Task Writes_waiting_together_share_one_commit_and_a_refused_one_rolls_back_alone()
    {
        await using var db = await DbAsync();
        var commits = db.Writer!.Commits;

        var outcomes = await QueuedTogetherAsync(db, 20, async i =>
        {
            try
            {
                return await db.WriteAsync(async uow =>
                {
                    await uow.ExecuteAsync("insert into items (id) values (@i)", new { i }, default);
                    if (i == 7) throw new InvalidOperationException("refused");
                    return await uow.QuerySingleAsync<long>("select count(*) from items where id = @i", new { i }, default) == 1 ? $"ok {i}" : "lost";
                }, default);
            }
            catch (InvalidOperationException e)
            {
                return $"{e.Message} {i}";
            }
        });

        Assert.Equal([.. Enumerable.Range(0, 20).Select(i => i == 7 ? "refused 7" : $"ok {i}")], outcomes);
        Assert.Equal(1, db.Writer.Commits - commits); // 19 writes, one COMMIT: one by one it would be 19
        Assert.Equal(19, await CountAsync(db, "select count(*) from items where id <> 7"));
        Assert.Equal(0, await CountAsync(db, "select count(*) from items where id = 7"));
    }

    [Fact]
    public async Task When_the_commit_fails_every_write_of_the_group_is_told_and_none_is_kept()
    {
        await using var db = await DbAsync();

        // Item 3 names a parent that does not exist: the deferred foreign key fails the group's COMMIT itself.
        var outcomes = await QueuedTogetherAsync(db, 5, async i =>
        {
            try
            {
                await db.WriteAsync(uow => uow.ExecuteAsync("insert into items (id, parent_id) values (@i, @parent)",
                    new { i, parent = i == 3 ? 99 : (int?)null }, default), default);
                return "acknowledged";
            }
            catch (GroupCommitException)
            {
                return "failed";
            }
        });

        Assert.All(outcomes, o => Assert.Equal("failed", o));
        Assert.Equal(0, await CountAsync(db, "select count(*) from items"));
        await db.WriteAsync(uow => uow.ExecuteAsync("insert into items (id) values (1)", null, default), default); // the writer goes on
        Assert.Equal(1, await CountAsync(db, "select count(*) from items"));
    }

    [Fact]
    public async Task Bookings_queued_together_are_committed_in_one_group_and_the_one_over_capacity_is_refused_alone()
    {
        await using var app = await TestApp.StartAsync<SqliteTestDatabase>();
        var point = await PickupPointIdAsync(app, Quarter);
        var director = await app.StaffClientAsync("director");
        await ReadAsync(await director.PutAsJsonAsync($"/api/pickup-points/{point}/opening", new
        {
            leadTimeMinutes = 60,
            horizonDays = 14,
            pickupOpenDays = 5,
            stopSlotMinutes = 30,
            stopSlotCapacity = 4,
            windows = new[] { new { weekday = 3, startsAt = "10:00:00", endsAt = "12:00:00", slotMinutes = 30, capacity = 7 } },
        }), HttpStatusCode.OK);
        var (title, _) = await TitleAsync(app, [.. Enumerable.Repeat("PRES", 8)]);
        var crowd = await CrowdAsync(app, 8);
        var holds = new long[8];
        for (var i = 0; i < crowd.Count; i++)
            holds[i] = (await ReadAsync(await crowd[i].PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = point }), HttpStatusCode.Created))
                .GetProperty("id").GetInt64();
        var db = app.Service<Db>();
        var (commits, turns) = (db.Writer!.Commits, db.Writer.CommittedTurns);

        var responses = await QueuedTogetherAsync(db, 8, i =>
            crowd[i].PostAsJsonAsync("/api/appointments", new { pickupPointId = point, slotStart = "2026-03-11T09:00:00+00:00", holdIds = new[] { holds[i] } }));

        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal("slot_full", (await ReadAsync(responses.Single(r => r.StatusCode != HttpStatusCode.Created), HttpStatusCode.Conflict)).GetProperty("code").GetString());
        Assert.Equal((1L, 7L), (db.Writer.Commits - commits, db.Writer.CommittedTurns - turns));
        foreach (var created in responses.Where(r => r.StatusCode == HttpStatusCode.Created))
            Assert.Equal("booked", (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_booking_with_an_idempotency_key_is_one_write_and_its_retry_writes_nothing()
    {
        await using var app = await TestApp.StartAsync<SqliteTestDatabase>();
        var point = await PickupPointIdAsync(app, CentralAdults);
        var (title, _) = await TitleAsync(app, "CENTRALE");
        var patron = await PatronAsync(app, "P0001");
        var hold = (await ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = point }), HttpStatusCode.Created))
            .GetProperty("id").GetInt64();
        var writer = app.Service<Db>().Writer!;
        var turns = writer.CommittedTurns;
        patron.DefaultRequestHeaders.Add("Idempotency-Key", "book-once");
        var booking = new { pickupPointId = point, slotStart = "2026-03-11T09:00:00+00:00", holdIds = new[] { hold } };

        var first = await patron.PostAsJsonAsync("/api/appointments", booking);
        var id = (await ReadAsync(first, HttpStatusCode.Created)).GetProperty("id").GetInt64();
        Assert.Equal(1, writer.CommittedTurns - turns); // the booking and its key's answer in one unit of work (it took three)

        var again = await patron.PostAsJsonAsync("/api/appointments", booking);
        Assert.Equal(id, (await ReadAsync(again, HttpStatusCode.Created)).GetProperty("id").GetInt64());
        Assert.Equal(("true", first.Headers.Location), (again.Headers.GetValues("Idempotent-Replayed").Single(), again.Headers.Location));
        Assert.Equal(1, writer.CommittedTurns - turns);
    }

    [Fact]
    public async Task The_writer_prepares_a_statement_once_and_runs_it_again_from_there()
    {
        var handles = new ConcurrentBag<SQLitePCL.sqlite3>();
        await using var db = await DbAsync(c =>
        {
            var handle = ((SqliteConnection)c).Handle!;
            handle.enable_sqlite3_next_stmt(true); // SQLitePCL lists the statements prepared from now on
            handles.Add(handle);
        });
        const string Insert = "insert into parents (id) values (@id)";
        const string Count = "select count(*) from parents where id <= @id";

        for (var id = 1; id <= 3; id++)
        {
            Assert.Equal(id, await db.WriteAsync(async uow =>
            {
                await uow.ExecuteAsync(Insert, new { id }, default);
                return await uow.QuerySingleAsync<long>(Count, new { id }, default);
            }, default));
        }

        // SQLite counts the runs of each prepared statement: one statement run three times, not three statements run once.
        var statements = handles.Distinct().SelectMany(Prepared).ToList();
        Assert.Equal([3], statements.Where(s => s.Sql == Insert).Select(s => s.Runs));
        Assert.Equal([3], statements.Where(s => s.Sql == Count).Select(s => s.Runs));
    }

    [Fact]
    public async Task A_statement_run_again_while_its_first_reader_is_open_gets_a_command_of_its_own()
    {
        await using var db = await DbAsync();
        const string Ids = "select id from parents order by id";
        var (outer, inner) = await db.WriteAsync(async uow =>
        {
            await uow.ExecuteAsync("insert into parents (id) values (1), (2)", null, default);
            var outer = new List<long>();
            var inner = new List<long>();
            await using (var reader = await uow.Connection.ExecuteReaderAsync(uow.Command(Ids, null, default)))
                while (await reader.ReadAsync())
                {
                    outer.Add(reader.GetInt64(0));
                    inner.AddRange(await uow.QueryAsync<long>(Ids, null, default)); // the same SQL, the first reader still open
                }
            inner.AddRange(await uow.QueryAsync<long>(Ids, null, default)); // and again once it is closed
            return (outer, inner);
        }, default);
        Assert.Equal([1, 2], outer);
        Assert.Equal([1, 2, 1, 2, 1, 2], inner);
    }

    /// <summary>The statements prepared on a connection, with how many times each has run (sqlite3_stmt_status, SQLITE_STMTSTATUS_RUN).</summary>
    static List<(string Sql, int Runs)> Prepared(SQLitePCL.sqlite3 handle)
    {
        const int Run = 6;
        var found = new List<(string, int)>();
        for (var stmt = SQLitePCL.raw.sqlite3_next_stmt(handle, null); stmt is not null; stmt = SQLitePCL.raw.sqlite3_next_stmt(handle, stmt))
            found.Add((SQLitePCL.raw.sqlite3_sql(stmt).utf8_to_string(), SQLitePCL.raw.sqlite3_stmt_status(stmt, Run, 0)));
        return found;
    }
}
