using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Tests.Support;

/// <summary>Arranges loans, policies and lockdowns through the real API, as the director and the counter would.</summary>
public static class Lending
{
    /// <summary>The demo director, with a minted token (the audit trail names them).</summary>
    public static async Task<HttpClient> DirectorAsync(TestApp app)
    {
        await using var c = await app.Service<Db>().OpenAsync(default);
        var id = await c.ExecuteScalarAsync<long>("select id from staff where username = 'director'");
        return app.ClientAs(new CurrentUser(id, Roles.Director, "Jean Moreau", null));
    }

    public static async Task<HttpClient> CounterAsync(TestApp app)
    {
        await using var c = await app.Service<Db>().OpenAsync(default);
        var id = await c.ExecuteScalarAsync<long>("select id from staff where username = 'counter'");
        return app.ClientAs(new CurrentUser(id, Roles.Counter, "Camille Martin", null));
    }

    /// <summary>One rule for every document: easy sums in tests.</summary>
    public static async Task SimplePolicyAsync(TestApp app, int centsPerDay = 10, int graceDays = 0, int capCents = 100_000, int loanDays = 28)
    {
        var director = await DirectorAsync(app);
        var response = await director.PutAsJsonAsync("/api/loan-policies", new
        {
            policies = new[] { new { format = (string?)null, audience = (string?)null, loanDays, fineCentsPerDay = centsPerDay, fineGraceDays = graceDays, fineCapCents = capCents } },
        });
        await Library.ReadAsync(response, HttpStatusCode.OK);
    }

    /// <summary>A new title with one copy per branch code; returns the copies' barcodes.</summary>
    public static async Task<string[]> CopiesAsync(TestApp app, params string[] branches)
    {
        var (_, copyIds) = await Library.TitleAsync(app, branches.Length == 0 ? ["CENTRALE"] : branches);
        await using var c = await app.Service<Db>().OpenAsync(default);
        var barcodes = new List<string>();
        foreach (var id in copyIds) barcodes.Add(await c.ExecuteScalarAsync<string>("select barcode from copies where id = @id", new { id }) ?? "");
        return [.. barcodes];
    }

    public static async Task<HttpResponseMessage> PostImportAsync(TestApp app, string csv) =>
        await (await DirectorAsync(app)).PostAsync("/api/loans/import", new StringContent(csv, Encoding.UTF8, "text/csv"));

    /// <summary>Imports "card,barcode,loanedOn,dueOn" lines (the header is added) and returns the report.</summary>
    public static async Task<JsonElement> ImportAsync(TestApp app, params string[] lines) =>
        await Library.ReadAsync(await PostImportAsync(app, "cardNumber,barcode,loanedOn,dueOn\n" + string.Join("\n", lines) + "\n"), HttpStatusCode.OK);

    public static async Task<JsonElement[]> LoansAsync(TestApp app, string card, bool includeReturned = false) =>
        (await (await CounterAsync(app)).GetFromJsonAsync<JsonElement[]>($"/api/loans?patronCardNumber={card}&includeReturned={includeReturned}"))!;

    public static async Task<JsonElement> LoanAsync(TestApp app, string card, string barcode) =>
        (await LoansAsync(app, card, includeReturned: true)).Single(l => l.GetProperty("barcode").GetString() == barcode);

    public static async Task<JsonElement> FinesAsync(TestApp app, string card) =>
        (await (await CounterAsync(app)).GetFromJsonAsync<JsonElement>($"/api/patrons/{card}/fines"));

    /// <summary>Declares a lockdown as the director; returns the answer (lockdown and effects).</summary>
    public static async Task<JsonElement> DeclareAsync(TestApp app, object lockdown) =>
        await Library.ReadAsync(await (await DirectorAsync(app)).PostAsJsonAsync("/api/lockdowns", lockdown), HttpStatusCode.Created);

    public static async Task<long> BranchIdAsync(TestApp app, string code)
    {
        await using var c = await app.Service<Db>().OpenAsync(default);
        return await c.ExecuteScalarAsync<long>("select id from branches where code = @code", new { code });
    }

    /// <summary>The loan's due date, "" while an open-ended lockdown holds it.</summary>
    public static string DueOn(JsonElement loan) => loan.GetProperty("dueOn").GetString() ?? "";
}
