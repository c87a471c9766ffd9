using ClickCollect.Api.Features.Appointments;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Tests.Support;

/// <summary>
/// Fills a seeded database with a library's worth of history, in one statement per table (a few seconds):
/// 20,000 titles and 40,000 copies, 10,000 patrons, 60,000 holds, 30,000 past appointments, 3,000 allocated
/// holds booked on later days, SMS, loans, sessions and idempotency records, all at the demo's adult counter.
/// Large enough that both planners prefer an index wherever one can serve (#17), and that a query scanning a
/// table shows it.
/// </summary>
internal static class BigLibrary
{
    public const int Titles = 20_000, Patrons = 10_000, Holds = 60_000, Appointments = 30_000, Booked = 3_000;

    /// <summary>The tables these rows go into: a full scan of any of them grows with the library.</summary>
    public static readonly string[] Tables =
        ["titles", "copies", "patrons", "holds", "appointments", "appointment_holds", "sms_outbox", "loans", "sessions", "idempotency_keys"];

    public static async Task FillAsync(TestApp app, long pickupPointId)
    {
        var db = app.Service<Db>();
        var sqlite = db.Dialect.IsSqlite;
        string Series(int n) => sqlite
            ? $"with recursive n(i) as (select 1 union all select i + 1 from n where i < {n})"
            : $"with n(i) as (select generate_series(1, {n}))";
        // Instants as each engine stores them (Microsoft.Data.Sqlite's text, timestamptz), days after 1 March 2025.
        string At(string days) => sqlite
            ? $"strftime('%Y-%m-%d %H:%M:%S+00:00', '2025-03-01 08:00:00', '+' || ({days}) || ' days')"
            : $"(timestamptz '2025-03-01 08:00:00+00' + ({days}) * interval '1 day')";
        string On(string days) => sqlite ? $"date('2025-03-01', '+' || ({days}) || ' days')" : $"(date '2025-03-01' + ({days}))";

        await using var c = await db.OpenAsync(default);
        async Task<long> NextIdAsync(string table) => await c.ExecuteScalarAsync<long>($"select coalesce(max(id), 0) + 1 from {table}");
        var branches = (await c.QueryAsync<long>("select id from branches order by id")).ToArray();
        var t0 = await NextIdAsync("titles");
        await c.ExecuteAsync($"""
            {Series(Titles)}
            insert into titles (record_id, title, authors, language, audience, format, genres, created_at, updated_at)
            select 'BIG-' || i, 'Titre commun ' || i, 'Auteur ' || (i % 997), 'fr',
                   case i % 3 when 0 then 'adult' when 1 then 'youth' else 'children' end, 'book', 'Roman', {At("0")}, {At("0")}
            from n
            """);
        var c0 = await NextIdAsync("copies");
        await c.ExecuteAsync($"""
            {Series(2 * Titles)}
            insert into copies (title_id, barcode, branch_id, shelf_location, call_number, status, updated_at)
            select {t0} + (i - 1) / 2, 'BIGC' || i, case i % 2 when 0 then {branches[0]} else {branches[^1]} end, 'Romans', 'R ' || (i % 500),
                   case when i % 10 < 7 then 'onShelf' else 'onLoan' end, {At("0")}
            from n
            """);
        var p0 = await NextIdAsync("patrons");
        await c.ExecuteAsync($"""
            {Series(Patrons)}
            insert into patrons (card_number, pin_hash, first_name, last_name, created_at)
            select 'BIG' || i, 'x', 'Lecteur', 'Nombreux ' || i, {At("0")} from n
            """);
        var h0 = await NextIdAsync("holds");
        await c.ExecuteAsync($"""
            {Series(Holds)}
            insert into holds (patron_id, title_id, copy_id, pickup_point_id, status, channel, created_at, closed_at, updated_at)
            select {p0} + i % {Patrons}, {t0} + i % {Titles}, case when i % 20 = 0 then null else {c0} + i % {2 * Titles} end, {pickupPointId},
                   case when i % 20 = 0 then 'queued' when i % 3 = 0 then 'cancelled' else 'collected' end, 'web',
                   {At($"i % 360")}, {At($"i % 360 + 1")}, {At($"i % 360 + 1")}
            from n
            """);
        var a0 = await NextIdAsync("appointments");
        await c.ExecuteAsync($"""
            {Series(Appointments)}
            insert into appointments (patron_id, pickup_point_id, slot_start, slot_end, status, channel, created_at, closed_at, updated_at)
            select {p0} + i % {Patrons}, {pickupPointId}, {At($"i % 360")}, {At($"i % 360")}, case when i % 7 = 0 then 'noShow' else 'completed' end,
                   'web', {At($"i % 360")}, {At($"i % 360")}, {At($"i % 360")}
            from n
            """);
        await c.ExecuteAsync($"""
            {Series(Appointments)}
            insert into appointment_holds (appointment_id, hold_id) select {a0} + i - 1, {h0} + i - 1 from n
            """);
        // The open side (#17, the pick list's guard): allocated holds, each with a booked appointment on the days after
        // the test's own (from 16 March 2026 on, so no pick list a test prints holds them). A pick list considers every
        // allocated hold of its pickup point and finds each one's open appointment: written as a join on "every open
        // appointment whose id is among the hold's", PostgreSQL once tested each of the Booked appointments against each
        // of these holds (2.3 s for a 500-line list among 50,000 appointments), which a plan test sees only when both
        // sides are many.
        var oh0 = await NextIdAsync("holds");
        await c.ExecuteAsync($"""
            {Series(Booked)}
            insert into holds (patron_id, title_id, copy_id, pickup_point_id, status, channel, created_at, allocated_at, updated_at)
            select {p0} + i % {Patrons}, {t0} + i - 1, {c0} + 2 * (i - 1), {pickupPointId}, 'toPick', 'web', {At("370")}, {At("370")}, {At("370")}
            from n
            """);
        var oa0 = await NextIdAsync("appointments");
        await c.ExecuteAsync($"""
            {Series(Booked)}
            insert into appointments (patron_id, pickup_point_id, slot_start, slot_end, status, channel, created_at, updated_at)
            select {p0} + i % {Patrons}, {pickupPointId}, {At($"380 + i % 40")}, {At($"380 + i % 40")}, 'booked', 'web', {At("370")}, {At("370")}
            from n
            """);
        await c.ExecuteAsync($"""
            {Series(Booked)}
            insert into appointment_holds (appointment_id, hold_id) select {oa0} + i - 1, {oh0} + i - 1 from n
            """);
        await c.ExecuteAsync(AppointmentStore.RecountPlacesSql); // the places they take, as the app's own bookings keep them
        await c.ExecuteAsync($"""
            {Series(Appointments)}
            insert into sms_outbox (patron_id, kind, body, status, dedupe_key, not_before, next_attempt_at, created_at, updated_at)
            select {p0} + i % {Patrons}, 'holdReady', 'Votre document est prêt.', 'sent', 'big-' || i, {At("i % 360")}, {At("i % 360")},
                   {At("i % 360")}, {At("i % 360")}
            from n
            """);
        await c.ExecuteAsync($"""
            {Series(Titles)}
            insert into loans (patron_id, copy_id, loaned_on, original_due_on, due_on, returned_on, source, created_at, updated_at)
            select {p0} + i % {Patrons}, {c0} + i - 1, {On("i % 300")}, {On("i % 300 + 28")}, {On("i % 300 + 28")}, {On("i % 300 + 20")},
                   'import', {At("i % 300")}, {At("i % 300")}
            from n
            """);
        await c.ExecuteAsync($"""
            {Series(Patrons)}
            insert into sessions (id, account_kind, account_id, created_at, expires_at, ended_at)
            select 'big-' || i, 'patron', {p0} + i - 1, {At("i % 300")}, {At("i % 300 + 400")}, {At("i % 300 + 1")} from n
            """);
        await c.ExecuteAsync($"""
            {Series(Appointments)}
            insert into idempotency_keys (scope, key, request_hash, status_code, created_at)
            select 'big', 'key-' || i, 'hash', 201, {At("i % 300")} from n
            """);
        // PostgreSQL plans from its statistics (without them a fresh table looks empty and is scanned), and
        // prices the GIN index of titles with its pending list: vacuum as autovacuum does after a bulk load.
        if (!sqlite) await c.ExecuteAsync($"vacuum analyze {string.Join(", ", Tables)}");
    }
}
