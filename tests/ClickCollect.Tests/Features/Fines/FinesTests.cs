using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using ClickCollect.Api.Features.Fines;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using static ClickCollect.Tests.Support.Lending;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Features.Fines;

public abstract class FinesTests<TDb> where TDb : ITestDatabase, new()
{
    /// <summary>P0008 has a loan 18 days late today (10 March): 1.80 € at 10 cents a day.</summary>
    static async Task<TestApp> AppWithLateLoanAsync()
    {
        var app = await TestApp.StartAsync<TDb>();
        await SimplePolicyAsync(app, centsPerDay: 10);
        var b = await CopiesAsync(app, "CENTRALE", "CENTRALE");
        await ImportAsync(app, $"P0008,{b[0]},2026-01-23,2026-02-20", $"P0008,{b[1]},2026-03-01,2026-03-29");
        return app;
    }

    [Fact]
    public async Task Payments_and_waivers_lower_the_balance_and_more_than_is_owed_is_refused()
    {
        await using var app = await AppWithLateLoanAsync();
        var counter = await CounterAsync(app);
        var fines = await FinesAsync(app, "P0008");
        Assert.Equal((180, 0, 180, 0), (fines.GetProperty("total").GetInt32(), fines.GetProperty("paid").GetInt32(), fines.GetProperty("balance").GetInt32(), fines.GetProperty("credit").GetInt32()));
        Assert.Single(fines.GetProperty("lines").EnumerateArray()); // the loan not yet due has no line

        var paid = await ReadAsync(await counter.PostAsJsonAsync("/api/patrons/P0008/fines/payments", new { amount = 100, kind = "payment", note = "espèces" }), HttpStatusCode.Created);
        Assert.Equal((100, 80), (paid.GetProperty("paid").GetInt32(), paid.GetProperty("balance").GetInt32()));
        var refused = await ProblemAssert.IsProblemAsync(await counter.PostAsJsonAsync("/api/patrons/P0008/fines/payments", new { amount = 81, kind = "payment" }),
            HttpStatusCode.Conflict, "overpayment");
        Assert.Contains("0,80 €", refused.GetProperty("detail").GetString());
        var waived = await ReadAsync(await counter.PostAsJsonAsync("/api/patrons/P0008/fines/payments", new { amount = 80, kind = "waiver", note = "geste commercial" }), HttpStatusCode.Created);
        Assert.Equal((0, 180), (waived.GetProperty("balance").GetInt32(), waived.GetProperty("paid").GetInt32()));
        Assert.Equal(["payment", "waiver"], waived.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("kind").GetString()!).ToArray());
        await ProblemAssert.IsProblemAsync(await counter.PostAsJsonAsync("/api/patrons/P0008/fines/payments", new { amount = 1, kind = "payment" }), HttpStatusCode.Conflict, "overpayment");

        var audit = (await (await DirectorAsync(app)).GetFromJsonAsync<JsonElement[]>("/api/audit?entity=patron"))!;
        Assert.Equal(["fines.waiver", "fines.payment"], audit.Select(a => a.GetProperty("action").GetString()!).ToArray());
    }

    [Theory]
    [InlineData("""{"amount":0,"kind":"payment"}""", "amount")]
    [InlineData("""{"amount":-5,"kind":"payment"}""", "amount")]
    [InlineData("""{"amount":"cinq","kind":"payment"}""", "amount")]
    [InlineData("""{"amount":10,"kind":"gift"}""", "kind")]
    [InlineData("""{"amount":10,"kind":"waiver"}""", "note")]
    public async Task A_bad_payment_is_refused_naming_the_field(string body, string field)
    {
        await using var app = await AppWithLateLoanAsync();
        var counter = await CounterAsync(app);
        await ProblemAssert.IsProblemAsync(await counter.PostAsync("/api/patrons/P0008/fines/payments", new StringContent(body, Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, null, field);
        Assert.Equal(0, (await FinesAsync(app, "P0008")).GetProperty("paid").GetInt32());
    }

    [Fact]
    public async Task Recording_a_payment_runs_without_http_and_refuses_more_than_the_balance()
    {
        await using var app = await AppWithLateLoanAsync();
        long counterId;
        await using (var c = await app.Service<Db>().OpenAsync(default))
            counterId = await c.ExecuteScalarAsync<long>("select id from staff where username = 'counter'");
        var who = new CurrentUser(counterId, "counter", "Guichet", null);
        var pay = app.Service<RecordFinePayment>();

        var recorded = Assert.IsType<FinePaymentResult.Recorded>(await pay.RunAsync("P0008", new FinePaymentRequest(100, FineEntryKind.Payment, null), who, default));
        Assert.Equal((100, 80), (recorded.Statement.Paid, recorded.Statement.Balance));
        var refused = Assert.IsType<FinePaymentResult.Refused>(await pay.RunAsync("P0008", new FinePaymentRequest(81, FineEntryKind.Payment, null), who, default));
        Assert.Equal((409, "overpayment"), (refused.Problem.StatusCode, refused.Problem.ProblemDetails.Extensions["code"]));
        Assert.IsType<FinePaymentResult.Refused>(await pay.RunAsync("P9999", new FinePaymentRequest(1, FineEntryKind.Payment, null), who, default));
        Assert.Equal(100, (await FinesAsync(app, "P0008")).GetProperty("paid").GetInt32());
    }

    [Fact]
    public async Task A_lockdown_recorded_after_a_payment_shows_a_credit_never_a_negative_balance()
    {
        await using var app = await AppWithLateLoanAsync();
        await ReadAsync(await (await CounterAsync(app)).PostAsJsonAsync("/api/patrons/P0008/fines/payments", new { amount = 180, kind = "payment" }), HttpStatusCode.Created);

        var declared = await DeclareAsync(app, new { startsOn = "2026-02-21", endsOn = "2026-03-05", suspendFines = true, suspendReminders = true });
        Assert.Equal(1, declared.GetProperty("effects").GetProperty("patronsWithCredit").GetInt32());

        var fines = await FinesAsync(app, "P0008");
        Assert.Equal((50, 180, 0, 130), (fines.GetProperty("total").GetInt32(), fines.GetProperty("paid").GetInt32(),
            fines.GetProperty("balance").GetInt32(), fines.GetProperty("credit").GetInt32()));
    }

    [Fact]
    public async Task A_patron_reads_their_own_fines_only_and_cannot_record_payments()
    {
        await using var app = await AppWithLateLoanAsync();
        var owner = await PatronAsync(app, "P0008");
        var fines = await owner.GetFromJsonAsync<JsonElement>("/api/patrons/p0008/fines");
        Assert.Equal(("P0008", 180), (fines.GetProperty("cardNumber").GetString(), fines.GetProperty("total").GetInt32()));
        var line = fines.GetProperty("lines")[0];
        Assert.Equal((18, 180), (line.GetProperty("overdueDays").GetInt32(), line.GetProperty("amount").GetInt32()));
        Assert.True(line.TryGetProperty("loanId", out _));

        await ProblemAssert.IsProblemAsync(await (await PatronAsync(app, "P0009")).GetAsync("/api/patrons/P0008/fines"), HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsProblemAsync(await owner.PostAsJsonAsync("/api/patrons/P0008/fines/payments", new { amount = 10, kind = "payment" }), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await (await CounterAsync(app)).GetAsync("/api/patrons/NOPE/fines"), HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsProblemAsync(await app.CreateClient().GetAsync("/api/patrons/P0008/fines"), HttpStatusCode.Unauthorized);
    }
}

public sealed class FinesTests_Sqlite : FinesTests<SqliteTestDatabase>;
public sealed class FinesTests_Postgres : FinesTests<PostgresTestDatabase>;
