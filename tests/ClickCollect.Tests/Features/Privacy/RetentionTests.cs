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

/// <summary>
/// #16 item 1: the daily retention job, run on Monday 1 June 2026 (10:00 in Paris) on rows dated on both sides of
/// each period, removes exactly what is due, and the director's figures do not move.
/// </summary>
public abstract class RetentionTests<TDb> where TDb : ITestDatabase, new()
{
    static readonly DateTimeOffset Now = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);
    const string FiguresRange = "/api/figures?from=2025-09-01&to=2026-06-01";

    [Fact]
    public async Task The_retention_job_unlinks_and_blanks_exactly_what_is_due_and_the_figures_keep_their_totals()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        app.Clock.SetUtcNow(Now);
        await SimplePolicyAsync(app, centsPerDay: 10, graceDays: 0);
        var rows = await ArrangeAsync(app);
        // P0003 paid their fine in full at the counter: the payment is audited with the card number and a note.
        var owed = (await FinesAsync(app, "P0003")).GetProperty("balance").GetInt32();
        Assert.True(owed > 0);
        await ReadAsync(await (await CounterAsync(app)).PostAsJsonAsync("/api/patrons/P0003/fines/payments",
            new { amount = owed, kind = "payment", note = "Payé en espèces par Mme Durand" }), HttpStatusCode.Created);
        Assert.True((await FinesAsync(app, "P0001")).GetProperty("balance").GetInt32() > 0); // loan c: still owed
        var director = await DirectorAsync(app);
        var figuresBefore = await director.GetStringAsync(FiguresRange);

        var report = await app.Service<RetentionJob>().RunAsync(Now, default);

        Assert.Equal(figuresBefore, await director.GetStringAsync(FiguresRange));
        await using var c = await app.Service<Db>().OpenAsync(default);
        var anonymous = await c.ExecuteScalarAsync<long>("select id from patrons where card_number = @card", new { card = RetentionStore.AnonymousCard });
        async Task<long> Patron(string table, long id) => await c.ExecuteScalarAsync<long>($"select patron_id from {table} where id = @id", new { id });

        // Loans: returned in January without consent, unfined → gone; returned 1 February → kept; fined and unpaid → kept;
        // with history consent → kept; fined and paid → gone together with the payment.
        Assert.Equal((anonymous, rows.P1, rows.P1, rows.P2, anonymous),
            (await Patron("loans", rows.LoanOld), await Patron("loans", rows.LoanFebruary), await Patron("loans", rows.LoanOwed),
             await Patron("loans", rows.LoanConsent), await Patron("loans", rows.LoanPaid)));
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("select count(*) from fine_ledger where patron_id = @P3", new { rows.P3 }));
        Assert.Equal("", await c.ExecuteScalarAsync<string>("select max(note) from fine_ledger where patron_id = @anonymous", new { anonymous }));
        Assert.Equal(0, (await FinesAsync(app, "P0003")).GetProperty("balance").GetInt32());
        Assert.Equal(0, (await FinesAsync(app, "P0003")).GetProperty("credit").GetInt32());
        Assert.Equal(2, report.Loans);

        Assert.Equal((anonymous, rows.P1, rows.P1), (await Patron("holds", rows.HoldOld), await Patron("holds", rows.HoldRecent), await Patron("holds", rows.HoldActive)));
        Assert.Equal((anonymous, rows.P1), (await Patron("appointments", rows.AppointmentOld), await Patron("appointments", rows.AppointmentRecent)));
        Assert.Equal((anonymous, rows.P1), (await Patron("selection_requests", rows.RequestOld), await Patron("selection_requests", rows.RequestOpen)));
        var request = await c.QuerySingleAsync<(string Notes, string Genres, string LibrarianNote)>(
            "select notes, genres, librarian_note from selection_requests where id = @id", new { id = rows.RequestOld });
        Assert.Equal(("", "[]", ""), request);
        Assert.Equal("Plutôt des polars", await c.ExecuteScalarAsync<string>("select notes from selection_requests where id = @id", new { id = rows.RequestOpen }));

        var sms = (await c.QueryAsync<(long Id, string Body, string? ToNumber)>("select id, body, to_number from sms_outbox where id in (@a, @b, @c) order by id",
            new { a = rows.SmsOld, b = rows.SmsRecent, c = rows.SmsPending })).ToList();
        Assert.Equal([(rows.SmsOld, "", null), (rows.SmsRecent, "Bonjour", "+33612345678"), (rows.SmsPending, "Bonjour", "+33612345678")], sms);
        Assert.Equal(["+33600000002"], await c.QueryAsync<string>("select phone from sms_confirmations"));
        Assert.Equal(["recent"], await c.QueryAsync<string>("select key from idempotency_keys where key in ('old', 'recent')"));
        Assert.Equal([rows.AccessRecent], await c.QueryAsync<long>("select id from patron_access_log where id in (@a, @b)", new { a = rows.AccessOld, b = rows.AccessRecent }));
        Assert.Equal([(0, false), (5, true)], (await c.QueryAsync<(int Failed, bool Locked)>(
            "select failed_sign_ins, locked_until is not null from patrons where card_number in ('P0003', 'P0004') order by card_number")).ToList());

        var audit = (await (await DirectorAsync(app)).GetFromJsonAsync<JsonElement[]>("/api/audit?entity=patron"))!
            .Single(e => e.GetProperty("action").GetString() == "fines.payment").GetProperty("details");
        Assert.False(audit.TryGetProperty("cardNumber", out _));
        Assert.False(audit.TryGetProperty("note", out _));
        Assert.Equal(rows.P3, audit.GetProperty("patronId").GetInt64());
        Assert.Equal(owed, audit.GetProperty("amount").GetInt32());

        // Withdrawing the reading-history consent: the next run unlinks what the consent kept.
        await app.Service<Db>().WriteAsync(uow => uow.ExecuteAsync("update patrons set history_consent = @no where id = @P2", new { no = false, rows.P2 }, default), default);
        await app.Service<RetentionJob>().RunAsync(Now.AddDays(1), default);
        Assert.Equal(anonymous, await Patron("loans", rows.LoanConsent));
        Assert.Equal(figuresBefore, await director.GetStringAsync(FiguresRange));
    }

    [Fact]
    public async Task The_job_runs_once_a_day_across_two_instances()
    {
        await using var first = await TestApp.StartAsync<TDb>();
        first.Clock.SetUtcNow(Now);
        await using var second = TestApp.StartOn(first);
        var runs = await Task.WhenAll(first.Worker<RetentionWorker>().RunTodayAsync(default), second.Worker<RetentionWorker>().RunTodayAsync(default));
        Assert.Equal(1, runs.Count(r => r));
        Assert.False(await first.Worker<RetentionWorker>().RunTodayAsync(default));
        first.Clock.Advance(TimeSpan.FromDays(1));
        Assert.True(await first.Worker<RetentionWorker>().RunTodayAsync(default));
        await using var c = await first.Service<Db>().OpenAsync(default);
        Assert.StartsWith("RetentionReport {", await c.ExecuteScalarAsync<string>("select last_result from job_runs where job = 'retention'"));
    }

    internal sealed record Rows(long P1, long P2, long P3, long LoanOld, long LoanFebruary, long LoanOwed, long LoanConsent, long LoanPaid,
        long HoldOld, long HoldRecent, long HoldActive, long AppointmentOld, long AppointmentRecent, long RequestOld, long RequestOpen,
        long SmsOld, long SmsRecent, long SmsPending, long AccessOld, long AccessRecent);

    static Task<Rows> ArrangeAsync(TestApp app) => app.Service<Db>().WriteAsync(async uow =>
    {
        Task<long> Id(string sql, object? args = null) => uow.QuerySingleAsync<long>(sql, args, default);
        var p1 = await Id("select id from patrons where card_number = 'P0001'");
        var p2 = await Id("select id from patrons where card_number = 'P0002'");
        var p3 = await Id("select id from patrons where card_number = 'P0003'");
        await uow.ExecuteAsync("update patrons set history_consent = @yes, history_consent_at = @at where id = @p2", new { yes = true, at = Now.AddYears(-1), p2 }, default);
        await uow.ExecuteAsync("update patrons set failed_sign_ins = 5, locked_until = @at where card_number = 'P0003'", new { at = Now.AddDays(-31) }, default);
        await uow.ExecuteAsync("update patrons set failed_sign_ins = 5, locked_until = @at where card_number = 'P0004'", new { at = Now.AddDays(-29) }, default);
        var copies = (await uow.QueryAsync<long>("select id from copies order by id limit 5", null, default)).ToArray();
        var copy = 0;
        Task<long> Loan(long patron, string loaned, string due, string returned) => Id("""
            insert into loans (patron_id, copy_id, loaned_on, original_due_on, due_on, returned_on, source, created_at, updated_at)
            values (@patron, @copy, @loanedOn, @dueOn, @dueOn, @returnedOn, 'counter', @now, @now) returning id
            """, new { patron, copy = copies[copy++], loanedOn = DateOnly.Parse(loaned), dueOn = DateOnly.Parse(due), returnedOn = DateOnly.Parse(returned), now = Now.AddYears(-1) });
        var loanOld = await Loan(p1, "2026-01-10", "2026-02-15", "2026-01-31");
        var loanFebruary = await Loan(p1, "2026-01-10", "2026-02-15", "2026-02-01");
        var loanOwed = await Loan(p1, "2025-12-01", "2026-01-05", "2026-01-15");
        var loanConsent = await Loan(p2, "2025-12-01", "2026-01-20", "2026-01-10");
        var loanPaid = await Loan(p3, "2025-11-01", "2025-12-01", "2025-12-11");

        var title = await Id("select min(id) from titles");
        var point = await Id("select min(id) from pickup_points");
        Task<long> Hold(string status, DateTimeOffset closed) => Id("""
            insert into holds (patron_id, title_id, pickup_point_id, status, channel, created_at, closed_at, updated_at)
            values (@p1, @title, @point, @status, 'web', @created, @closedAt, @closed) returning id
            """, new { p1, title, point, status, created = Now.AddYears(-1), closed, closedAt = status == "queued" ? (DateTimeOffset?)null : closed });
        var holdOld = await Hold("collected", Now.AddMonths(-6).AddDays(-1));
        var holdRecent = await Hold("cancelled", Now.AddMonths(-6).AddDays(1));
        var holdActive = await Hold("queued", Now.AddYears(-1));
        Task<long> Appointment(string status, DateTimeOffset slot) => Id("""
            insert into appointments (patron_id, pickup_point_id, slot_start, slot_end, status, channel, created_at, closed_at, updated_at)
            values (@p1, @point, @slot, @end, @status, 'web', @slot, @end, @end) returning id
            """, new { p1, point, slot, end = slot.AddMinutes(15), status });
        var appointmentOld = await Appointment("completed", Now.AddMonths(-7));
        var appointmentRecent = await Appointment("noShow", Now.AddMonths(-5));
        Task<long> Request(string status, DateTimeOffset at) => Id("""
            insert into selection_requests (patron_id, pickup_point_id, item_count, genres, notes, librarian_note, opens_at, status, channel, created_at, updated_at, confirmed_at)
            values (@p1, @point, 3, '["polar"]', 'Plutôt des polars', 'Lit beaucoup', @at, @status, 'web', @at, @at, @confirmedAt) returning id
            """, new { p1, point, status, at, confirmedAt = status == "confirmed" ? at : (DateTimeOffset?)null });
        var requestOld = await Request("confirmed", Now.AddMonths(-7));
        var requestOpen = await Request("open", Now.AddMonths(-8));
        Task<long> Sms(string status, DateTimeOffset at) => Id("""
            insert into sms_outbox (patron_id, to_number, kind, body, status, not_before, next_attempt_at, created_at, updated_at)
            values (@p1, '+33612345678', 'test', 'Bonjour', @status, @at, @at, @at, @at) returning id
            """, new { p1, status, at });
        var smsOld = await Sms("delivered", Now.AddMonths(-3).AddDays(-1));
        var smsRecent = await Sms("delivered", Now.AddMonths(-2));
        var smsPending = await Sms("pending", Now.AddMonths(-4));
        const string Confirmation = """
            insert into sms_confirmations (phone, action, appointment_id, expires_at, created_at) values (@phone, 'cancelAppointment', @appointmentRecent, @at, @at)
            """;
        await uow.ExecuteAsync(Confirmation, new { phone = "+33600000001", appointmentRecent, at = Now.AddDays(-40) }, default);
        await uow.ExecuteAsync(Confirmation, new { phone = "+33600000002", appointmentRecent, at = Now.AddDays(-10) }, default);
        const string Key = "insert into idempotency_keys (scope, key, request_hash, status_code, response_body, created_at) values ('patron:1:POST /api/holds', @key, 'h', 201, '{}', @at)";
        await uow.ExecuteAsync(Key, new { key = "old", at = Now.AddHours(-25) }, default);
        await uow.ExecuteAsync(Key, new { key = "recent", at = Now.AddHours(-23) }, default);
        Task<long> Access(DateTimeOffset at) => Id(
            "insert into patron_access_log (occurred_at, staff_id, patron_id, action, page) values (@at, 1, @p1, 'open', '/staff/') returning id", new { at, p1 });
        var accessOld = await Access(Now.AddMonths(-13));
        var accessRecent = await Access(Now.AddMonths(-11));
        return new Rows(p1, p2, p3, loanOld, loanFebruary, loanOwed, loanConsent, loanPaid, holdOld, holdRecent, holdActive, appointmentOld,
            appointmentRecent, requestOld, requestOpen, smsOld, smsRecent, smsPending, accessOld, accessRecent);
    }, default);
}

public sealed class RetentionTests_Sqlite : RetentionTests<SqliteTestDatabase>;
public sealed class RetentionTests_Postgres : RetentionTests<PostgresTestDatabase>;

public sealed class RetentionCutoffTests
{
    [Theory]
    [InlineData("2026-06-01", "2026-02-01")]
    [InlineData("2026-06-30", "2026-02-01")]
    [InlineData("2026-03-15", "2025-11-01")]
    public void A_loan_is_kept_until_the_end_of_the_fourth_month_after_its_return(string today, string firstKept) =>
        Assert.Equal(DateOnly.Parse(firstKept), RetentionJob.LoanCutoff(DateOnly.Parse(today), 4));
}
