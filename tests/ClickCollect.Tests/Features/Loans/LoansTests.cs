using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.Api.Features.Loans;
using ClickCollect.Api.Features.Patrons;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using static ClickCollect.Tests.Support.Lending;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Features.Loans;

public abstract class LoansTests<TDb> where TDb : ITestDatabase, new()
{
    // Today is Tuesday 10 March 2026 (TestApp.DefaultStart).

    [Fact]
    public async Task Imported_loans_put_copies_on_loan_and_importing_the_same_file_again_changes_nothing()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var b = await CopiesAsync(app, "CENTRALE", "CENTRALE", "PRES");
        string[] lines = [$"P0001,{b[0]},2026-02-10,2026-03-10", $"p0001,{b[1]},2026-02-20,2026-03-20", $"P0002,{b[2]},2026-03-01,2026-03-29"];

        var report = await ImportAsync(app, lines);
        Assert.Equal((3, 3, 0, 0), (report.GetProperty("read").GetInt32(), report.GetProperty("created").GetInt32(),
            report.GetProperty("updated").GetInt32(), report.GetProperty("unchanged").GetInt32()));
        var again = await ImportAsync(app, lines);
        Assert.Equal((0, 0, 3), (again.GetProperty("created").GetInt32(), again.GetProperty("updated").GetInt32(), again.GetProperty("unchanged").GetInt32()));
        var moved = await ImportAsync(app, $"P0001,{b[0]},2026-02-10,2026-03-24"); // the library system renewed it
        Assert.Equal(1, moved.GetProperty("updated").GetInt32());

        var loans = await LoansAsync(app, "P0001");
        Assert.Equal(["2026-03-20", "2026-03-24"], loans.Select(DueOn).ToArray());
        Assert.All(loans, l => Assert.Equal("import", l.GetProperty("source").GetString()));
        var title = await (await CounterAsync(app)).GetFromJsonAsync<JsonElement>($"/api/titles/{loans[0].GetProperty("titleId").GetInt64()}");
        Assert.All(title.GetProperty("copies").EnumerateArray(), c => Assert.Equal("onLoan", c.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_file_with_bad_lines_is_refused_line_by_line_and_nothing_is_imported()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var b = await CopiesAsync(app, "CENTRALE", "CENTRALE", "CENTRALE", "CENTRALE", "CENTRALE");
        var csv = $"""
            cardNumber,barcode,loanedOn,dueOn
            P0001,{b[0]},2026-02-01,2026-03-01
            NOPE,{b[1]},2026-02-01,2026-03-01
            P0002,UNKNOWN,2026-02-01,2026-03-01
            P0003,{b[2]},01/02/2026,2026-03-01
            P0004,{b[3]},2026-03-01,2026-02-01
            P0005,{b[0]},2026-02-01,2026-03-01
            P0006,{b[4]},2026-04-01,2026-05-01

            """;
        var problem = await ProblemAssert.IsProblemAsync(await PostImportAsync(app, csv), HttpStatusCode.UnprocessableEntity, "import_rejected",
            "rows[3].cardNumber", "rows[4].barcode", "rows[5].loanedOn", "rows[6].dueOn", "rows[7].barcode", "rows[8].loanedOn");
        Assert.Equal(6, problem.GetProperty("errors").EnumerateObject().Count());

        Assert.Empty(await LoansAsync(app, "P0001"));
        await using var c = await app.Service<Db>().OpenAsync(default);
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("select count(*) from loans"));
        Assert.Equal("onShelf", await c.ExecuteScalarAsync<string>("select status from copies where barcode = @b", new { b = b[0] }));
    }

    [Theory]
    [InlineData("", "file")]
    [InlineData("cardNumber,barcode,loanedOn\n", "dueOn")]
    [InlineData("cardNumber,barcode,loanedOn,dueOn,extra\n", "extra")]
    public async Task An_unusable_header_is_refused_naming_the_column(string csv, string field)
    {
        await using var app = await TestApp.StartAsync<TDb>();
        await ProblemAssert.IsProblemAsync(await PostImportAsync(app, csv), HttpStatusCode.UnprocessableEntity, "import_rejected", $"rows[1].{field}");
    }

    [Fact]
    public async Task A_copy_scanned_back_goes_to_the_oldest_queued_hold_or_back_on_the_shelf()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        await SimplePolicyAsync(app);
        var (title, _) = await TitleAsync(app, "CENTRALE", "CENTRALE");
        await using (var c = await app.Service<Db>().OpenAsync(default))
        {
            var barcodes = (await c.QueryAsync<string>("select barcode from copies where title_id = @title order by barcode", new { title })).ToArray();
            await ImportAsync(app, $"P0001,{barcodes[0]},2026-02-01,2026-03-01", $"P0001,{barcodes[1]},2026-02-01,2026-03-20");
        }
        var hold = await ReadAsync(await (await PatronAsync(app, "P0002")).PostAsJsonAsync("/api/holds",
            new { titleId = title, pickupPointId = await PickupPointIdAsync(app, CentralAdults) }), HttpStatusCode.Created);
        Assert.Equal("queued", hold.GetProperty("status").GetString());
        var loans = await LoansAsync(app, "P0001");
        var counter = await CounterAsync(app);

        var first = await ReadAsync(await counter.PostAsJsonAsync("/api/loans/returns", new { barcode = loans[0].GetProperty("barcode").GetString() }), HttpStatusCode.OK);
        Assert.Equal("held", first.GetProperty("copyStatus").GetString());
        Assert.Equal(hold.GetProperty("id").GetInt64(), first.GetProperty("nextHoldId").GetInt64());
        Assert.Equal("2026-03-10", first.GetProperty("loan").GetProperty("returnedOn").GetString());
        Assert.Equal((9, 90), (first.GetProperty("loan").GetProperty("overdueDays").GetInt32(), first.GetProperty("loan").GetProperty("fineAmount").GetInt32()));
        var served = await counter.GetFromJsonAsync<JsonElement>($"/api/holds/{hold.GetProperty("id").GetInt64()}");
        Assert.Equal("toPick", served.GetProperty("status").GetString());

        var second = await ReadAsync(await counter.PostAsJsonAsync("/api/loans/returns", new { barcode = loans[1].GetProperty("barcode").GetString() }), HttpStatusCode.OK);
        Assert.Equal("onShelf", second.GetProperty("copyStatus").GetString());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextHoldId").ValueKind);

        await ProblemAssert.IsProblemAsync(await counter.PostAsJsonAsync("/api/loans/returns", new { barcode = loans[1].GetProperty("barcode").GetString() }),
            HttpStatusCode.Conflict, "not_on_loan");
        await ProblemAssert.IsProblemAsync(await counter.PostAsJsonAsync("/api/loans/returns", new { barcode = "NO-SUCH" }), HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsProblemAsync(await counter.PostAsJsonAsync("/api/loans/returns", new { barcode = "" }), HttpStatusCode.BadRequest, null, "barcode");
        Assert.Empty(await LoansAsync(app, "P0001"));
        Assert.Equal(2, (await LoansAsync(app, "P0001", includeReturned: true)).Length);
    }

    [Fact]
    public async Task A_patron_sees_their_own_loans_and_staff_name_the_card()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var b = await CopiesAsync(app, "CENTRALE", "CENTRALE");
        await ImportAsync(app, $"P0001,{b[0]},2026-02-10,2026-03-10", $"P0002,{b[1]},2026-02-10,2026-03-10");

        var mine = (await (await PatronAsync(app, "P0001")).GetFromJsonAsync<JsonElement[]>("/api/loans?patronCardNumber=P0002"))!;
        Assert.Equal([b[0]], mine.Select(l => l.GetProperty("barcode").GetString()!).ToArray());
        await ProblemAssert.IsProblemAsync(await (await CounterAsync(app)).GetAsync("/api/loans"), HttpStatusCode.BadRequest, "invalid_request", "patronCardNumber");
        await ProblemAssert.IsProblemAsync(await (await CounterAsync(app)).GetAsync("/api/loans?patronCardNumber=NOPE"), HttpStatusCode.BadRequest, null, "patronCardNumber");
        await ProblemAssert.IsProblemAsync(await (await PatronAsync(app, "P0001")).PostAsync("/api/loans/import", new StringContent("", System.Text.Encoding.UTF8, "text/csv")), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await (await CounterAsync(app)).PostAsync("/api/loans/import", new StringContent("", System.Text.Encoding.UTF8, "text/csv")), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_counter_loan_lasts_the_policys_length_and_a_lockdown_shifts_its_due_date()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var store = app.Service<LoanStore>();
        var db = app.Service<Db>();
        var patron = (await app.Service<PatronStore>().FindByCardAsync("P0003", default))!;
        var (_, copies) = await TitleAsync(app, "CENTRALE", "CENTRALE");

        var first = await db.WriteAsync(uow => store.CreateAsync(uow, patron.Id, copies[0], new DateOnly(2026, 3, 10), default), default);
        Assert.Equal(new DateOnly(2026, 4, 7), first!.DueOn); // an adult book: four weeks (the default policy)
        Assert.Null(await db.WriteAsync(uow => store.CreateAsync(uow, patron.Id, copies[0], new DateOnly(2026, 3, 10), default), default)); // already lent

        await DeclareAsync(app, new { startsOn = "2026-04-01", endsOn = "2026-04-10", suspendFines = true, suspendReminders = true, shiftDueDatesDays = 7, spreadDueDatesOverDays = 1 });
        var second = await db.WriteAsync(uow => store.CreateAsync(uow, patron.Id, copies[1], new DateOnly(2026, 3, 10), default), default);
        Assert.Equal((new DateOnly(2026, 4, 7), new DateOnly(2026, 4, 17)), (second!.OriginalDueOn, second.DueOn!.Value));
        // The first loan, already running, moved when the lockdown was declared; its original is kept.
        var running = await LoanAsync(app, "P0003", await CopyBarcodeAsync(app, copies[0]));
        Assert.Equal(("2026-04-17", "2026-04-07"), (DueOn(running), running.GetProperty("originalDueOn").GetString()));
        await using var c = await db.OpenAsync(default);
        Assert.Equal("onLoan", await c.ExecuteScalarAsync<string>("select status from copies where id = @id", new { id = copies[1] }));
    }

    [Fact]
    public async Task Loan_policies_have_French_defaults_and_the_director_replaces_them()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var counter = await CounterAsync(app);
        var defaults = await counter.GetFromJsonAsync<JsonElement>("/api/loan-policies");
        Assert.True(defaults.GetProperty("defaults").GetBoolean());
        var dvd = defaults.GetProperty("policies").EnumerateArray().Single(p => p.GetProperty("format").GetString() == "dvd" && p.GetProperty("audience").ValueKind == JsonValueKind.Null);
        Assert.Equal((14, 50), (dvd.GetProperty("loanDays").GetInt32(), dvd.GetProperty("fineCentsPerDay").GetInt32()));

        var director = await DirectorAsync(app);
        await ProblemAssert.IsProblemAsync(await director.PutAsJsonAsync("/api/loan-policies", new { policies = new[] { new { format = "dvd", loanDays = 0, fineCentsPerDay = -1, fineGraceDays = 0, fineCapCents = 0 } } }),
            HttpStatusCode.BadRequest, null, "policies");
        await ProblemAssert.IsProblemAsync(await director.PutAsJsonAsync("/api/loan-policies", new { policies = new[] { new { loanDays = 0, fineCentsPerDay = -1, fineGraceDays = 0, fineCapCents = 0 } } }),
            HttpStatusCode.BadRequest, null, "policies[0].loanDays", "policies[0].fineCentsPerDay");
        await ProblemAssert.IsProblemAsync(await director.PutAsJsonAsync("/api/loan-policies", new { policies = new[] { new { format = "vinyl", loanDays = 7 } } }),
            HttpStatusCode.BadRequest, null, "policies[0].format");
        await ProblemAssert.IsProblemAsync(await counter.PutAsJsonAsync("/api/loan-policies", new { policies = Array.Empty<object>() }), HttpStatusCode.Forbidden);

        await SimplePolicyAsync(app, centsPerDay: 20, loanDays: 21);
        var saved = await counter.GetFromJsonAsync<JsonElement>("/api/loan-policies");
        Assert.False(saved.GetProperty("defaults").GetBoolean());
        Assert.Equal(21, saved.GetProperty("policies").EnumerateArray().Single().GetProperty("loanDays").GetInt32());
    }

    static async Task<string> CopyBarcodeAsync(TestApp app, long copyId)
    {
        await using var c = await app.Service<Db>().OpenAsync(default);
        return (await c.ExecuteScalarAsync<string>("select barcode from copies where id = @copyId", new { copyId }))!;
    }
}

public sealed class LoansTests_Sqlite : LoansTests<SqliteTestDatabase>;
public sealed class LoansTests_Postgres : LoansTests<PostgresTestDatabase>;
