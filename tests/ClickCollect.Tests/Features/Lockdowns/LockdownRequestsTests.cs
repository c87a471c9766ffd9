using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClickCollect.Api.Features.Lockdowns;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using static ClickCollect.Tests.Support.Lending;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Features.Lockdowns;

/// <summary>Who may do what with lockdowns, bad requests, and lockdown changes racing loan imports.</summary>
public abstract class LockdownRequestsTests<TDb> where TDb : ITestDatabase, new()
{
    [Theory]
    [InlineData("""{"suspendFines":true,"suspendReminders":true}""", "startsOn")]
    [InlineData("""{"startsOn":"2026-13-01","suspendFines":true,"suspendReminders":true}""", "startsOn")]
    [InlineData("""{"startsOn":"2026-03-10","endsOn":"2026-03-09","suspendFines":true,"suspendReminders":true}""", "endsOn")]
    [InlineData("""{"startsOn":"2026-03-10","suspendFines":true,"suspendReminders":true,"shiftDueDatesDays":500}""", "shiftDueDatesDays")]
    [InlineData("""{"startsOn":"2026-03-10","suspendFines":true,"suspendReminders":true,"spreadDueDatesOverDays":0}""", "spreadDueDatesOverDays")]
    [InlineData("""{"startsOn":"2026-03-10","suspendFines":true,"suspendReminders":true,"slotCapacityCap":-1}""", "slotCapacityCap")]
    [InlineData("""{"startsOn":"2026-03-10","suspendFines":"yes","suspendReminders":true}""", "suspendFines")]
    [InlineData("""{"branchIds":[1,1],"startsOn":"2026-03-10","suspendFines":true,"suspendReminders":true}""", "branchIds")]
    [InlineData("""{"branchIds":[1,999999],"startsOn":"2026-03-10","suspendFines":true,"suspendReminders":true}""", "branchIds[1]")]
    public async Task A_bad_lockdown_is_refused_naming_the_field_and_nothing_is_written(string body, string field)
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var director = await DirectorAsync(app);
        foreach (var path in new[] { "/api/lockdowns", "/api/lockdowns/preview" })
            await ProblemAssert.IsProblemAsync(await director.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, null, field);
        Assert.Empty((await director.GetFromJsonAsync<JsonElement[]>("/api/lockdowns?includeCancelled=true"))!);
        await using var c = await app.Service<Db>().OpenAsync(default);
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("select count(*) from audit_log"));
    }

    [Fact]
    public async Task Ending_or_changing_a_lockdown_that_cannot_be_is_refused()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var director = await DirectorAsync(app);
        var id = (await DeclareAsync(app, new { startsOn = "2026-03-10", suspendFines = true, suspendReminders = true })).GetProperty("lockdown").GetProperty("id").GetInt64();

        await ProblemAssert.IsProblemAsync(await director.PostAsJsonAsync($"/api/lockdowns/{id}/end", new { endsOn = "2026-03-09" }), HttpStatusCode.BadRequest, null, "endsOn");
        await ProblemAssert.IsProblemAsync(await director.PostAsJsonAsync($"/api/lockdowns/{id}/end", new { }), HttpStatusCode.BadRequest, null, "endsOn");
        await ProblemAssert.IsProblemAsync(await director.PostAsJsonAsync("/api/lockdowns/999999/end", new { endsOn = "2026-03-20" }), HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsProblemAsync(await director.PutAsJsonAsync("/api/lockdowns/999999", new { startsOn = "2026-03-10", suspendFines = true, suspendReminders = true }),
            HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsProblemAsync(await director.PostAsync("/api/lockdowns/999999/cancel", null), HttpStatusCode.NotFound, "not_found");
        await ReadAsync(await director.PostAsync($"/api/lockdowns/{id}/cancel", null), HttpStatusCode.OK);
        await ProblemAssert.IsProblemAsync(await director.PostAsync($"/api/lockdowns/{id}/cancel", null), HttpStatusCode.Conflict, "lockdown_cancelled");
        await ProblemAssert.IsProblemAsync(await director.PutAsJsonAsync($"/api/lockdowns/{id}", new { startsOn = "2026-03-10", suspendFines = true, suspendReminders = true }),
            HttpStatusCode.Conflict, "lockdown_cancelled");
    }

    [Fact]
    public async Task Directors_change_lockdowns_staff_read_them_and_anyone_sees_those_in_force()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var body = new { startsOn = "2026-03-01", suspendFines = true, suspendReminders = true };
        var counter = await CounterAsync(app);
        var patron = await PatronAsync(app, "P0001");
        await ProblemAssert.IsProblemAsync(await counter.PostAsJsonAsync("/api/lockdowns", body), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await counter.PostAsJsonAsync("/api/lockdowns/preview", body), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await patron.GetAsync("/api/lockdowns"), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await app.CreateClient().PostAsJsonAsync("/api/lockdowns", body), HttpStatusCode.Unauthorized);

        var declared = await DeclareAsync(app, body);
        var id = declared.GetProperty("lockdown").GetProperty("id").GetInt64();
        Assert.Equal(("inForce", true), (declared.GetProperty("lockdown").GetProperty("state").GetString(), declared.GetProperty("lockdown").GetProperty("networkWide").GetBoolean()));
        Assert.Single((await counter.GetFromJsonAsync<JsonElement[]>("/api/lockdowns"))!);
        await ProblemAssert.IsProblemAsync(await counter.PostAsync($"/api/lockdowns/{id}/cancel", null), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await counter.GetAsync($"/api/lockdowns/{id}/audit"), HttpStatusCode.Forbidden);
        var current = Assert.Single((await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/lockdowns/current"))!);
        Assert.Equal(("2026-03-01", JsonValueKind.Null), (current.GetProperty("startsOn").GetString(), current.GetProperty("endsOn").ValueKind));
        Assert.Single((await (await DirectorAsync(app)).GetFromJsonAsync<JsonElement[]>("/api/audit?entity=lockdown"))!);
    }

    [Fact]
    public async Task Declaring_twice_with_the_same_idempotency_key_declares_once()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var director = await DirectorAsync(app);
        director.DefaultRequestHeaders.Add("Idempotency-Key", "confinement-novembre");
        var body = new { startsOn = "2026-03-10", suspendFines = true, suspendReminders = true };
        var first = await ReadAsync(await director.PostAsJsonAsync("/api/lockdowns", body), HttpStatusCode.Created);
        var again = await ReadAsync(await director.PostAsJsonAsync("/api/lockdowns", body), HttpStatusCode.Created);
        Assert.Equal(first.GetProperty("lockdown").GetProperty("id").GetInt64(), again.GetProperty("lockdown").GetProperty("id").GetInt64());
        Assert.Single((await director.GetFromJsonAsync<JsonElement[]>("/api/lockdowns"))!);
    }

    [Fact]
    public async Task A_lockdown_change_and_a_loan_import_at_once_leave_every_due_date_as_the_lockdowns_say()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var director = await DirectorAsync(app);
        long? open = null;
        for (var round = 0; round < 4; round++)
        {
            var barcodes = await CopiesAsync(app, [.. Enumerable.Repeat(round % 2 == 0 ? "CENTRALE" : "PRES", 30)]);
            var csv = "cardNumber,barcode,loanedOn,dueOn\n" + string.Join("\n", barcodes.Select((b, i) => $"P{i % 50 + 1:D4},{b},2026-02-20,2026-03-{12 + i % 8:D2}"));
            Task<HttpResponseMessage> change = open is { } id
                ? director.PostAsync($"/api/lockdowns/{id}/cancel", null)
                : director.PostAsJsonAsync("/api/lockdowns", new { startsOn = "2026-03-11", endsOn = "2026-03-20", suspendFines = true, suspendReminders = true, shiftDueDatesDays = 7 });
            var import = PostImportAsync(app, csv);
            await Task.WhenAll(change, import);
            await ReadAsync(await import, HttpStatusCode.OK);
            var answer = await ReadAsync(await change, open is null ? HttpStatusCode.Created : HttpStatusCode.OK);
            open = open is null ? answer.GetProperty("lockdown").GetProperty("id").GetInt64() : null;

            var periods = await app.Service<LockdownStore>().PeriodsAsync(default);
            await using var c = await app.Service<Db>().OpenAsync(default);
            var loans = (await c.QueryAsync<(long Id, long PatronId, long BranchId, DateOnly OriginalDueOn, DateOnly? DueOn)>("""
                select l.id, l.patron_id, c.branch_id, l.original_due_on, l.due_on from loans l join copies c on c.id = l.copy_id where l.returned_on is null
                """)).ToList();
            Assert.Equal(30 * (round + 1), loans.Count);
            Assert.All(loans, l => Assert.Equal(LockdownRules.ShiftDueDate(l.OriginalDueOn, periods.For(l.BranchId), l.PatronId), l.DueOn));
        }
    }
}

public sealed class LockdownRequestsTests_Sqlite : LockdownRequestsTests<SqliteTestDatabase>;
public sealed class LockdownRequestsTests_Postgres : LockdownRequestsTests<PostgresTestDatabase>;
