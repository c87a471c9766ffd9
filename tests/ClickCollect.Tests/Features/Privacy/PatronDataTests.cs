using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.Api.Features.Privacy;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using static ClickCollect.Tests.Support.Lending;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Features.Privacy;

/// <summary>#16 item 2: a patron's export holds every table that mentions them; erasure leaves nothing of them and the figures do not move.</summary>
public abstract class PatronDataTests<TDb> where TDb : ITestDatabase, new()
{
    const string Card = "T-ERASE1";
    static readonly string[] Traces = [Card, "Zéphyrine", "Quintavalle", "+33698765499", "zq@example.org", "Brankovitch", "polars"];
    const string FiguresRange = "/api/figures?from=2026-02-01&to=2026-03-31";

    /// <summary>A patron with a loan out, a cancelled hold, a cancelled selection request with tastes, an SMS and a record opened by staff.</summary>
    static async Task<(HttpClient Patron, HttpClient Counter, string Barcode)> ArrangeAsync(TestApp app)
    {
        var counter = await CounterAsync(app);
        await ReadAsync(await counter.PostAsJsonAsync("/api/patrons", new
        {
            cardNumber = Card, pin = "1234", firstName = "Zéphyrine", lastName = "Quintavalle", phone = "06 98 76 54 99",
            email = "zq@example.org", smsConsent = true, homeBranchId = (long?)null,
        }), HttpStatusCode.Created);
        var patron = await PatronAsync(app, Card);
        var point = await PickupPointIdAsync(app, CentralAdults);
        var request = await ReadAsync(await patron.PostAsJsonAsync("/api/selection-requests", new
        {
            pickupPointId = point, count = 3, likedAuthors = new[] { "Ysolde Brankovitch" }, notes = "Plutôt des polars",
        }), HttpStatusCode.Created);
        await ReadAsync(await patron.PostAsync($"/api/selection-requests/{request.GetProperty("id").GetInt64()}/cancel", null), HttpStatusCode.OK);
        var (titleId, _) = await TitleAsync(app, "CENTRALE");
        var hold = await ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId, pickupPointId = point }), HttpStatusCode.Created);
        (await patron.DeleteAsync($"/api/holds/{hold.GetProperty("id").GetInt64()}")).EnsureSuccessStatusCode();
        var barcode = (await CopiesAsync(app, "CENTRALE"))[0];
        await ImportAsync(app, $"{Card},{barcode},2026-03-01,2026-03-29");
        await app.Service<Db>().WriteAsync(uow => uow.ExecuteAsync("""
            insert into sms_outbox (patron_id, to_number, kind, body, status, not_before, next_attempt_at, created_at, updated_at)
            select id, phone, 'test', 'Bonjour Zéphyrine', 'delivered', @now, @now, @now, @now from patrons where card_number = @Card
            """, new { now = app.Clock.GetUtcNow(), Card }, default), default);
        (await counter.GetAsync($"/api/patrons/{Card}/record")).EnsureSuccessStatusCode();
        return (patron, counter, barcode);
    }

    [Fact]
    public async Task The_export_holds_every_row_of_every_table_that_mentions_the_patron_found_from_the_schema()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var (patron, _, _) = await ArrangeAsync(app);
        var export = await ReadAsync(await patron.GetAsync("/api/patrons/me/export"), HttpStatusCode.OK);
        var tables = export.GetProperty("tables");

        // From the schema: every table with a patron_id, a card number or a phone column, and the rows in it about the patron.
        await using var c = await app.Service<Db>().OpenAsync(default);
        var schema = await PatronDataStore.SchemaAsync(c, null, app.Service<Db>().Dialect, default);
        var expected = new Dictionary<string, long>();
        var ids = await c.QuerySingleAsync<(long Id, string Phone)>("select id, phone from patrons where card_number = @Card", new { Card });
        foreach (var table in schema)
        {
            var where = new List<string>();
            if (table.Name == "patrons") where.Add("id = @Id");
            if (table.Columns.Contains("patron_id")) where.Add("patron_id = @Id");
            if (table.Columns.Contains("card_number")) where.Add("card_number = @Card");
            if (table.Columns.Contains("phone") || table.Columns.Contains("to_number"))
                where.Add(table.Columns.Contains("phone") ? "phone = @Phone" : "to_number = @Phone");
            if (where.Count == 0) continue;
            var n = await c.ExecuteScalarAsync<long>($"select count(*) from {table.Name} where {string.Join(" or ", where)}", new { ids.Id, Card, ids.Phone });
            if (n > 0) expected[table.Name] = n;
        }
        foreach (var (table, n) in expected)
            Assert.True(tables.TryGetProperty(table, out var rows) && rows.GetArrayLength() == n, $"the export lacks rows of {table} ({n} expected)");
        Assert.All(new[] { "patrons", "loans", "holds", "selection_requests", "sms_outbox", "patron_access_log" }, t => Assert.Contains(t, expected.Keys));
        Assert.False(tables.GetProperty("patrons")[0].TryGetProperty("pin_hash", out _));
        Assert.Equal("Plutôt des polars", tables.GetProperty("selection_requests")[0].GetProperty("notes").GetString());
        Assert.Single(export.GetProperty("loans").EnumerateArray());
        Assert.StartsWith("Titre d'essai", export.GetProperty("loans")[0].GetProperty("title").GetString());

        // Staff export it too, and that is logged.
        var staff = await app.StaffClientAsync("counter");
        await ReadAsync(await staff.GetAsync($"/api/patrons/{Card}/export"), HttpStatusCode.OK);
        var log = (await (await DirectorAsync(app)).GetFromJsonAsync<JsonElement[]>($"/api/patron-access-log?patronCardNumber={Card}"))!;
        Assert.Contains(log, e => e.GetProperty("action").GetString() == "export");
        Assert.Equal(HttpStatusCode.NotFound, (await staff.GetAsync("/api/patrons/NOBODY/export")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await patron.GetAsync("/api/patrons/P0001/export")).StatusCode);
    }

    [Fact]
    public async Task Erasure_asked_by_the_patron_is_refused_while_a_loan_is_out_then_leaves_nothing_of_them_and_the_figures_unchanged()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var (patron, counter, barcode) = await ArrangeAsync(app);

        var asked = await ReadAsync(await patron.PostAsync("/api/patrons/me/erasure-request", null), HttpStatusCode.Accepted);
        Assert.Equal("loans_out", asked.GetProperty("blockers")[0].GetProperty("code").GetString());
        var pending = (await counter.GetFromJsonAsync<JsonElement[]>("/api/patrons/erasure-requests"))!;
        Assert.Equal([Card], pending.Select(p => p.GetProperty("cardNumber").GetString()));
        Assert.Equal("loans_out", pending[0].GetProperty("blockers")[0].GetProperty("code").GetString()); // the staff page shows why
        var refused = await ReadAsync(await counter.PostAsync($"/api/patrons/{Card}/erasure", null), HttpStatusCode.Conflict);
        Assert.Equal("erasure_blocked", refused.GetProperty("code").GetString());
        Assert.Contains("prêt", refused.GetProperty("detail").GetString());
        var librarian = await app.StaffClientAsync("librarian");
        Assert.Equal(HttpStatusCode.Forbidden, (await librarian.PostAsync($"/api/patrons/{Card}/erasure", null)).StatusCode);

        // Declined with a reason (counter staff or a director; audited): the patron reads it on their account, and may ask again.
        const string Decline = $"/api/patrons/{Card}/erasure-request/decline";
        Assert.Equal(HttpStatusCode.Forbidden, (await librarian.PostAsJsonAsync(Decline, new { reason = "Non" })).StatusCode);
        await ProblemAssert.IsProblemAsync(await counter.PostAsJsonAsync(Decline, new { reason = " " }), HttpStatusCode.BadRequest, null, "reason");
        await ReadAsync(await counter.PostAsJsonAsync(Decline, new { reason = "Rendez d'abord le document en prêt." }), HttpStatusCode.OK);
        var me = await ReadAsync(await patron.GetAsync("/api/patrons/me"), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, me.GetProperty("erasureRequestedAt").ValueKind);
        Assert.Equal(app.Clock.GetUtcNow(), me.GetProperty("erasureDeclinedAt").GetDateTimeOffset());
        Assert.Equal("Rendez d'abord le document en prêt.", me.GetProperty("erasureDeclineReason").GetString());
        Assert.Empty((await counter.GetFromJsonAsync<JsonElement[]>("/api/patrons/erasure-requests"))!);
        await ProblemAssert.IsProblemAsync(await counter.PostAsJsonAsync(Decline, new { reason = "Encore" }), HttpStatusCode.Conflict, "no_erasure_request");
        await ReadAsync(await patron.PostAsync("/api/patrons/me/erasure-request", null), HttpStatusCode.Accepted);
        me = await ReadAsync(await patron.GetAsync("/api/patrons/me"), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, me.GetProperty("erasureDeclineReason").ValueKind);

        await ReadAsync(await counter.PostAsJsonAsync("/api/loans/returns", new { barcode }), HttpStatusCode.OK);
        Assert.Empty((await counter.GetFromJsonAsync<JsonElement[]>("/api/patrons/erasure-requests"))![0].GetProperty("blockers").EnumerateArray());
        var director = await DirectorAsync(app);
        var figuresBefore = await director.GetStringAsync(FiguresRange);
        var erased = await ReadAsync(await counter.PostAsync($"/api/patrons/{Card}/erasure", null), HttpStatusCode.OK);
        Assert.Equal(1, erased.GetProperty("loans").GetInt32());

        Assert.Equal(figuresBefore, await director.GetStringAsync(FiguresRange));
        // The patron's session ends with the erasure: the token issued before it is refused after.
        Assert.Equal(HttpStatusCode.Unauthorized, (await patron.GetAsync("/api/patrons/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await counter.GetAsync($"/api/patrons/{Card}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = Card, pin = "1234" })).StatusCode);
        // Every text of every table: nothing of the patron is left.
        await using var c = await app.Service<Db>().OpenAsync(default);
        var found = new List<string>();
        foreach (var table in await PatronDataStore.SchemaAsync(c, null, app.Service<Db>().Dialect, default))
            foreach (var column in table.Columns)
                foreach (var trace in Traces)
                    if (await c.ExecuteScalarAsync<long>($"select count(*) from {table.Name} where cast({column} as text) like @like", new { like = $"%{trace}%" }) > 0)
                        found.Add($"{table.Name}.{column}: {trace}");
        Assert.True(found.Count == 0, string.Join("; ", found));
        var audit = (await director.GetFromJsonAsync<JsonElement[]>("/api/audit?entity=patrons"))!;
        Assert.Contains(audit, e => e.GetProperty("action").GetString() == "patron.erased");
        Assert.Contains(audit, e => e.GetProperty("action").GetString() == "patron.erasureDeclined");
        var log = (await director.GetFromJsonAsync<JsonElement[]>("/api/patron-access-log"))!;
        Assert.Contains(log, e => e.GetProperty("action").GetString() == "erase");
    }

    [Fact]
    public async Task Consents_are_recorded_with_their_date_and_withdrawing_the_history_unlinks_old_loans_at_once()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var patron = await PatronAsync(app, "P0002");
        var given = await ReadAsync(await patron.PutAsJsonAsync("/api/patrons/me/consents", new { historyConsent = true, smsConsent = false }), HttpStatusCode.OK);
        Assert.True(given.GetProperty("historyConsent").GetBoolean());
        Assert.Equal(app.Clock.GetUtcNow(), given.GetProperty("historyConsentAt").GetDateTimeOffset());
        var barcode = (await CopiesAsync(app, "CENTRALE"))[0];
        await ImportAsync(app, $"P0002,{barcode},2026-03-01,2026-03-29");
        await ReadAsync(await (await CounterAsync(app)).PostAsJsonAsync("/api/loans/returns", new { barcode }), HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromDays(200)); // returned on 10 March 2026; on 26 September it is past the end of July
        await app.Service<RetentionJob>().RunAsync(app.Clock.GetUtcNow(), default);
        var kept = (await LoansAsync(app, "P0002", includeReturned: true)).Length;
        Assert.Contains(await LoansAsync(app, "P0002", includeReturned: true), l => l.GetProperty("barcode").GetString() == barcode); // kept: consent

        patron = await PatronAsync(app, "P0002"); // a new session: the first one has expired
        var withdrawn = await ReadAsync(await patron.PutAsJsonAsync("/api/patrons/me/consents", new { historyConsent = false, smsConsent = false }), HttpStatusCode.OK);
        Assert.False(withdrawn.GetProperty("historyConsent").GetBoolean());
        Assert.Equal(app.Clock.GetUtcNow(), withdrawn.GetProperty("historyConsentAt").GetDateTimeOffset());
        Assert.Equal(kept - 1, (await LoansAsync(app, "P0002", includeReturned: true)).Length);
        await ProblemAssert.IsProblemAsync(await (await PatronAsync(app, "P0003")).PutAsJsonAsync("/api/patrons/me/consents",
            new { historyConsent = false, smsConsent = true }), HttpStatusCode.BadRequest, null, "smsConsent");
    }
}

public sealed class PatronDataTests_Sqlite : PatronDataTests<SqliteTestDatabase>;
public sealed class PatronDataTests_Postgres : PatronDataTests<PostgresTestDatabase>;
