using System.Data.Common;
using System.Globalization;
using ClickCollect.Api;
using ClickCollect.Api.Features.Appointments;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClickCollect.Benchmarks;

/// <summary>What <see cref="BenchLibrary.PrepareAsync"/> made: the places, the people with their tokens, the words to search for.</summary>
internal sealed record BenchLibrary(
    long Point, long PickPoint, DateOnly PickDay, int HorizonDays, List<long[]> Holds, List<string> Tokens, List<long[]> RushHolds, List<string> RushTokens,
    List<long> RushTitles, List<string> SelectionTokens, string StaffToken, string DirectorToken, string LibrarianToken,
    List<string> CommonWords, List<string> RareWords, string Sizes)
{
    /// <summary>Places per slot at both pickup points of the run: the run measures speed, not refusals for a full slot.</summary>
    public const int Capacity = 500;
    public const int PickListLines = 500, RushPatrons = 1_000, RushHoldsPerPatron = 2, SelectionPatrons = 20;
    const int Titles = 100_000, ShelfCopies = 90_000, HistoryHolds = 60_000, HistoryAppointments = 50_000, HistoryPatrons = 3_000;

    /// <summary>
    /// Booking lines a run gets per second of its length: more than any run books, so that none is sent twice (#17).
    /// The fastest bare insert measured on the bench's 2-core machines is 5,357/s (SQLite, 16 connections; the booking
    /// 2,000–2,900/s): this leaves a booking half as much again. Before, 17,500 lines a run (about 1,750 a second) ran
    /// out after 6–7 s on SQLite, and wrk sent them again: 1,837–18,425 repeats a run answered 409, counted in req/s,
    /// and the p99 at 64 connections was 293–864 ms (46 ms without repeats).
    /// </summary>
    public const int BookingsPerSecond = 8_000;

    /// <summary>The app's own rule (Appointments:MaxPerPatronPerDay): a patron books that many of their holds a day at most.</summary>
    public static readonly int BookingsPerDay = new AppointmentOptions().MaxPerPatronPerDay;

    static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    /// <summary>Today at the demo's branches (a pickup point's calendar counts its horizon from there).</summary>
    public static DateOnly Today() => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTime.UtcNow, Zone));

    public int HoldsPerPatron => Holds[0].Length;

    /// <summary>
    /// The demo network, then a library's history and the people of the run, written in bulk (one statement per
    /// table) through the app's own composition, on SQLite or PostgreSQL. Bookings go to the central library's adult
    /// counter; the pick list is the youth counter's, whose only allocated holds are the list's
    /// <see cref="PickListLines"/> (a pick list also shows every allocated hold without an appointment yet).
    /// <paramref name="bookingLines"/> holds of the <paramref name="patrons"/> can each be booked once: at most
    /// <see cref="BookingsPerDay"/> a day each, so the adult counter takes bookings as many open days ahead as that needs.
    /// </summary>
    public static async Task<BenchLibrary> PrepareAsync(string provider, string connectionString, string keys, int patrons, int bookingLines)
    {
        var openDays = (bookingLines + patrons * BookingsPerDay - 1) / (patrons * BookingsPerDay);
        var holdsPerPatron = openDays * BookingsPerDay;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration["Database:Provider"] = provider;
        builder.Configuration["ConnectionStrings:ClickCollect"] = connectionString;
        builder.Configuration["Demo:Seed"] = "true";
        builder.Configuration["Demo:History"] = "false";
        builder.Configuration["DataProtection:KeysDirectory"] = keys;
        builder.Logging.ClearProviders();
        builder.AddClickCollect();
        await using var host = builder.Build();
        await host.PrepareDatabaseAsync();
        var db = host.Services.GetRequiredService<Db>();
        var sql = new Dialect(db.Dialect.IsSqlite);
        await using var c = await db.OpenAsync(default);
        if (sql.Sqlite) await c.ExecuteAsync("pragma synchronous = off"); // preparing, not measuring
        var point = await c.ExecuteScalarAsync<long>("select id from pickup_points where name = 'Médiathèque centrale – Adultes'");
        var pickPoint = await c.ExecuteScalarAsync<long>("select id from pickup_points where name = 'Médiathèque centrale – Jeunesse'");
        var branch = await c.ExecuteScalarAsync<long>("select branch_id from pickup_point_branches where pickup_point_id = @point", new { point });
        await c.ExecuteAsync("update slot_templates set capacity = @Capacity where pickup_point_id in (@point, @pickPoint)", new { Capacity, point, pickPoint });
        // A setting a director may change, up to 120 days; the demo's 14 (10 open days) gave 3,000 patrons 60,000 lines in all.
        var horizon = await HorizonAsync(c, point, openDays);
        if (horizon > 120)
            throw new InvalidOperationException($"{bookingLines:N0} booking lines need {openDays} open days of {patrons:N0} patrons, a {horizon}-day horizon: pass more --patrons.");
        await c.ExecuteAsync("update pickup_points set horizon_days = @horizon where id = @point", new { horizon, point });

        // Words as often as the demo's real titles use them, so that common ones ("de", "la", "the") find thousands of titles.
        var vocabulary = (await c.QueryAsync<string>("select title from titles")).SelectMany(t => t.Split([' ', ',', '.', ':', '\'', '’', '(', ')', '!', '?', ';'],
            StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Where(w => w.Length > 1).ToList();
        var counts = vocabulary.GroupBy(w => w.ToLowerInvariant()).OrderByDescending(g => g.Count()).ToList();
        await using (var tx = await c.BeginTransactionAsync())
        {
            await c.ExecuteAsync("create temp table bench_words (id integer primary key, w text not null)", transaction: tx);
            await c.ExecuteAsync("insert into bench_words (id, w) values (@Id, @W)", vocabulary.Select((w, i) => new { Id = i, W = w }), tx);
            await tx.CommitAsync();
        }
        var words = vocabulary.Count;
        await c.ExecuteAsync($"""
            {sql.Series(Titles)}
            insert into titles (record_id, title, authors, language, audience, format, genres, created_at, updated_at)
            select 'BENCH-' || i,
                   (select w from bench_words where id = (i * 7) % {words}) || ' ' || (select w from bench_words where id = (i * 13 + 5) % {words})
                     || ' ' || (select w from bench_words where id = (i * 31 + 11) % {words}) || ' ' || i,
                   'Auteur ' || (i % 5000), 'fr', case i % 3 when 0 then 'adult' when 1 then 'youth' else 'children' end, 'book',
                   case i % 4 when 0 then 'Roman' when 1 then 'Policier' when 2 then 'Histoire' else 'Science-fiction' end, {sql.Now}, {sql.Now}
            from n
            """);
        var t0 = await c.ExecuteScalarAsync<long>("select min(id) from titles where record_id like 'BENCH-%'");

        // Allocated holds, each on its own copy: the patrons' who book, the pick list's, the morning rush's; then copies on the shelf.
        var allocated = patrons * holdsPerPatron + PickListLines + RushPatrons * RushHoldsPerPatron;
        await c.ExecuteAsync($"""
            {sql.Series(allocated + ShelfCopies)}
            insert into copies (title_id, barcode, branch_id, shelf_location, call_number, status, updated_at)
            select {t0} + (i - 1) % {Titles}, 'BENCH' || i, {branch}, 'Romans', 'R ' || (i % 900), case when i <= {allocated} then 'held' else 'onShelf' end, {sql.Now}
            from n
            """);
        var c0 = await c.ExecuteScalarAsync<long>("select min(id) from copies where barcode like 'BENCH%'");
        var people = patrons + PickListLines + RushPatrons + SelectionPatrons + HistoryPatrons;
        var hash = new PasswordHashing().Hash("1234");
        await c.ExecuteAsync($"""
            {sql.Series(people)}
            insert into patrons (card_number, pin_hash, first_name, last_name, created_at)
            select 'B' || (100000 + i), @hash, 'Lecteur', 'Banc ' || i, {sql.Now} from n
            """, new { hash });
        var p0 = await c.ExecuteScalarAsync<long>("select min(id) from patrons where last_name like 'Banc %'");
        long pickPatron0 = p0 + patrons, rush0 = pickPatron0 + PickListLines, selection0 = rush0 + RushPatrons;
        // Hold i (1-based) of the booking patrons: patron (i - 1) % patrons, so hold k of patron p is h0 + k * patrons + p.
        await c.ExecuteAsync($"""
            {sql.Series(allocated)}
            insert into holds (patron_id, title_id, copy_id, pickup_point_id, status, channel, created_at, allocated_at, updated_at)
            select case when i <= {patrons * holdsPerPatron} then {p0} + (i - 1) % {patrons}
                        when i <= {patrons * holdsPerPatron + PickListLines} then {pickPatron0} + i - {patrons * holdsPerPatron} - 1
                        else {rush0} + (i - {patrons * holdsPerPatron + PickListLines} - 1) % {RushPatrons} end,
                   {t0} + (i - 1) % {Titles}, {c0} + i - 1,
                   case when i <= {patrons * holdsPerPatron} or i > {patrons * holdsPerPatron + PickListLines} then {point} else {pickPoint} end,
                   'toPick', 'web', {sql.Now}, {sql.Now}, {sql.Now}
            from n
            """);
        var h0 = await c.ExecuteScalarAsync<long>("select min(id) from holds where status = 'toPick' and copy_id >= @c0", new { c0 });
        await c.ExecuteAsync($"""
            {sql.Series(HistoryHolds)}
            insert into holds (patron_id, title_id, copy_id, pickup_point_id, status, channel, created_at, closed_at, updated_at)
            select {selection0 + SelectionPatrons} + i % {HistoryPatrons}, {t0} + (i * 17) % {Titles}, {c0} + {allocated} + i % {ShelfCopies}, {point},
                   'collected', 'web', {sql.Ago("i % 365")}, {sql.Ago("i % 365")}, {sql.Ago("i % 365")}
            from n
            """);
        var history0 = await c.ExecuteScalarAsync<long>("select min(id) from holds where status = 'collected' and patron_id >= @p0", new { p0 });
        await c.ExecuteAsync($"""
            {sql.Series(HistoryAppointments)}
            insert into appointments (patron_id, pickup_point_id, slot_start, slot_end, status, channel, created_at, closed_at, updated_at)
            select {selection0 + SelectionPatrons} + i % {HistoryPatrons}, {point}, {sql.Ago("i % 365 + 1")}, {sql.Ago("i % 365 + 1")},
                   case when i % 9 = 0 then 'noShow' else 'completed' end, 'web', {sql.Ago("i % 365 + 2")}, {sql.Ago("i % 365 + 1")}, {sql.Ago("i % 365 + 1")}
            from n
            """);
        await c.ExecuteAsync($"""
            insert into appointment_holds (appointment_id, hold_id)
            select a.id, {history0} + a.id - (select min(id) from appointments where patron_id >= {p0}) from appointments a where a.patron_id >= {p0}
            """);

        // The pick list: its 500 documents on the youth counter's first open day, one appointment each, over the day's slots.
        var calendar = await PickDayAsync(c, pickPoint);
        for (var i = 0; i < PickListLines; i++)
        {
            var start = calendar.Starts[i % calendar.Starts.Count];
            var hold = h0 + patrons * holdsPerPatron + i;
            var id = await c.ExecuteScalarAsync<long>("""
                insert into appointments (patron_id, pickup_point_id, slot_start, slot_end, status, channel, created_at, updated_at)
                select patron_id, pickup_point_id, @start, @end, 'booked', 'web', @start, @start from holds where id = @hold returning id
                """, new { start, end = start.AddMinutes(15), hold });
            await c.ExecuteAsync("insert into appointment_holds (appointment_id, hold_id) values (@id, @hold)", new { id, hold });
        }
        await c.ExecuteAsync(AppointmentStore.RecountPlacesSql); // the places these appointments take, as the app's own bookings keep them
        await c.ExecuteAsync($"create table bench_baseline (n {sql.Identity} primary key, slot integer not null)");
        await c.ExecuteAsync("create index bench_baseline_slot on bench_baseline (slot)");
        var sizes = await c.QuerySingleAsync<(long Titles, long Copies, long Holds, long Appointments, long Patrons)>("""
            select (select count(*) from titles), (select count(*) from copies), (select count(*) from holds),
                   (select count(*) from appointments), (select count(*) from patrons)
            """);

        var issuer = host.Services.GetRequiredService<TokenIssuer>();
        async Task<List<string>> PatronTokensAsync(long first, int count)
        {
            var tokens = new List<string>(count);
            for (var p = 0; p < count; p++)
                tokens.Add((await issuer.IssueAsync(new CurrentUser(first + p, Roles.Patron, "Lecteur", $"B{100000 + first - p0 + p + 1}"), default)).AccessToken);
            return tokens;
        }
        async Task<string> StaffTokenAsync(string username, string role)
        {
            var id = await c.ExecuteScalarAsync<long>("select id from staff where username = @username", new { username });
            return (await issuer.IssueAsync(new CurrentUser(id, role, "Banc", null), default)).AccessToken;
        }
        var holds = Enumerable.Range(0, patrons).Select(p => Enumerable.Range(0, holdsPerPatron).Select(k => h0 + k * patrons + p).ToArray()).ToList();
        var rushHold0 = h0 + patrons * holdsPerPatron + PickListLines;
        var rushHolds = Enumerable.Range(0, RushPatrons)
            .Select(p => Enumerable.Range(0, RushHoldsPerPatron).Select(k => rushHold0 + k * RushPatrons + p).ToArray()).ToList();
        // Titles with a copy on the shelf: a hold placed in the rush is allocated at once, as in a morning's first hour.
        var rushTitles = Enumerable.Range(0, 2_000).Select(i => t0 + (allocated + 1_000 + i * 7) % Titles).ToList();
        if (sql.Sqlite) await c.ExecuteAsync("pragma wal_checkpoint(truncate)");
        else await c.ExecuteAsync(new CommandDefinition("analyze", commandType: System.Data.CommandType.Text)); // (Dapper takes one word for a procedure) what autovacuum does a minute after a bulk load, done now so every run plans alike
        return new BenchLibrary(point, pickPoint, calendar.Day, horizon, holds, await PatronTokensAsync(p0, patrons), rushHolds,
            await PatronTokensAsync(rush0, RushPatrons), rushTitles, await PatronTokensAsync(selection0, SelectionPatrons),
            await StaffTokenAsync("counter", Roles.Counter), await StaffTokenAsync("director", Roles.Director), await StaffTokenAsync("librarian", Roles.Librarian),
            counts.Take(4).Select(g => g.Key).ToList(), counts.Where(g => g.Count() == 1).Take(20).Select(g => g.Key).ToList(),
            $"{sizes.Titles:N0} titles, {sizes.Copies:N0} copies, {sizes.Patrons:N0} patrons, {sizes.Holds:N0} holds, {sizes.Appointments:N0} appointments");
    }

    /// <summary>The bulk statements' few differences between the two engines.</summary>
    sealed record Dialect(bool Sqlite)
    {
        public string Series(int n) => Sqlite
            ? $"with recursive n(i) as (select 1 union all select i + 1 from n where i < {n})"
            : $"with n(i) as (select generate_series(1, {n}))";
        public string Now => Sqlite ? "strftime('%Y-%m-%d %H:%M:%S+00:00', 'now')" : "now()";
        public string Ago(string days) => Sqlite
            ? $"strftime('%Y-%m-%d %H:%M:%S+00:00', 'now', '-' || ({days}) || ' days')"
            : $"(now() - ({days}) * interval '1 day')";
        public string Identity => Sqlite ? "integer" : "bigint generated always as identity";
    }

    sealed class TemplateRow { public int Weekday { get; init; } public TimeOnly StartsAt { get; init; } public TimeOnly EndsAt { get; init; } public int SlotMinutes { get; init; } }

    /// <summary>The horizon (days after today) that the pickup point's last of <paramref name="openDays"/> open days after today needs.</summary>
    static async Task<int> HorizonAsync(DbConnection c, long point, int openDays)
    {
        var weekdays = (await c.QueryAsync<int>("select distinct weekday from slot_templates where pickup_point_id = @point", new { point })).ToHashSet();
        var (today, day) = (Today(), Today());
        for (var open = 0; open < openDays;)
        {
            day = day.AddDays(1);
            if (weekdays.Contains(day.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)day.DayOfWeek)) open++;
        }
        return day.DayNumber - today.DayNumber;
    }

    /// <summary>The first day after today with slot templates at the pickup point, and its slot starts (UTC).</summary>
    static async Task<(DateOnly Day, List<DateTimeOffset> Starts)> PickDayAsync(DbConnection c, long point)
    {
        var templates = (await c.QueryAsync<TemplateRow>(
            "select weekday, starts_at, ends_at, slot_minutes from slot_templates where pickup_point_id = @point", new { point })).ToList();
        for (var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1); ; day = day.AddDays(1))
        {
            var open = templates.Where(t => t.Weekday == (day.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)day.DayOfWeek)).ToList();
            if (open.Count == 0) continue;
            var starts = new List<DateTimeOffset>();
            foreach (var t in open)
                for (var at = t.StartsAt; at < t.EndsAt; at = at.AddMinutes(t.SlotMinutes))
                {
                    var local = day.ToDateTime(at);
                    starts.Add(new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime());
                }
            return (day, starts);
        }
    }

    /// <summary>The fullest slot, and how many slots hold more than their capacity (the app's and the bare baseline's).</summary>
    public static async Task<(long Worst, long Over)> OverbookedAsync(DbConnection c)
    {
        var worst = await c.ExecuteScalarAsync<long>(
            "select coalesce(max(n), 0) from (select count(*) as n from appointments where status in ('booked', 'arrived') group by pickup_point_id, slot_start) s");
        var over = await c.ExecuteScalarAsync<long>($"""
            select (select count(*) from (select 1 as x from appointments where status in ('booked', 'arrived')
                                          group by pickup_point_id, slot_start having count(*) > {Capacity}) a)
                 + (select count(*) from (select 1 as x from bench_baseline group by slot having count(*) > {Capacity}) b)
            """);
        return (worst, over);
    }
}
