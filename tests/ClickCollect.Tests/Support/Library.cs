using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClickCollect.Api.Features.Patrons;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Tests.Support;

/// <summary>Arranges library situations through the real API (catalogue import, pickup points) and stores.</summary>
public static class Library
{
    static int next;

    public static async Task<long> PickupPointIdAsync(TestApp app, string name)
    {
        var points = await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/pickup-points?all=true");
        return points!.Single(p => p.GetProperty("name").GetString() == name).GetProperty("id").GetInt64();
    }

    public const string CentralAdults = "Médiathèque centrale – Adultes";
    public const string Quarter = "Médiathèque des Prés-Saint-Jean – Accueil";

    /// <summary>A new title with copies at the given branches (codes), imported as a director would; returns its id and copy ids.</summary>
    public static Task<(long TitleId, long[] CopyIds)> TitleAsync(TestApp app, params string[] copyBranches) =>
        BookAsync(app, null, "Auteur, Test", "R TES", "Romans adultes", copyBranches);

    /// <summary>A new book with the given description and copies at the given branches (codes).</summary>
    public static async Task<(long TitleId, long[] CopyIds)> BookAsync(TestApp app, string? title, string author, string callNumber,
        string shelf, params string[] copyBranches)
    {
        var n = Interlocked.Increment(ref next);
        var record = $"TEST-{n:D5}";
        title ??= $"Titre d'essai {n}";
        var csv = new StringBuilder("recordId,title,authors,language,audience,format,genres,barcode,branchCode,shelfLocation,callNumber\n");
        if (copyBranches.Length == 0) csv.Append($"{record},\"{title}\",\"{author}\",fr,adult,book,Roman,,,,\n");
        for (var i = 0; i < copyBranches.Length; i++)
            csv.Append($"{record},\"{title}\",\"{author}\",fr,adult,book,Roman,T{n:D5}{i:D3},{copyBranches[i]},{shelf},{callNumber}\n");
        var director = app.ClientAs(new CurrentUser(1, Roles.Director, "Test", null));
        var response = await director.PostAsync("/api/catalogue/imports?format=csv", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        await using var c = await app.Service<Db>().OpenAsync(default);
        var titleId = await c.ExecuteScalarAsync<long>("select id from titles where record_id = @record", new { record });
        var copies = (await c.QueryAsync<long>("select id from copies where title_id = @titleId order by barcode", new { titleId })).ToArray();
        return (titleId, copies);
    }

    /// <summary>A client acting as demo patron <paramref name="cardNumber"/> (token minted, no sign-in round trip).</summary>
    public static async Task<HttpClient> PatronAsync(TestApp app, string cardNumber)
    {
        var patron = (await app.Service<PatronStore>().FindByCardAsync(cardNumber, default))!;
        return app.ClientAs(new CurrentUser(patron.Id, Roles.Patron, patron.FirstName, patron.CardNumber));
    }

    /// <summary>Creates <paramref name="count"/> extra patrons (cards X0001…) for crowd tests; returns their clients.</summary>
    public static async Task<List<HttpClient>> CrowdAsync(TestApp app, int count)
    {
        var hash = new PasswordHashing().Hash("1234");
        var store = app.Service<PatronStore>();
        var prefix = $"X{Interlocked.Increment(ref next)}-";
        await app.Service<Db>().WriteAsync(async uow =>
        {
            for (var i = 0; i < count; i++)
                await store.CreateAsync(uow, new NewPatron($"{prefix}{i:D4}", hash, "Foule", $"N°{i}", null, null, false, null, app.Clock.GetUtcNow()), default);
            return 0;
        }, default);
        var clients = new List<HttpClient>();
        for (var i = 0; i < count; i++) clients.Add(await PatronAsync(app, $"{prefix}{i:D4}"));
        return clients;
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, System.Net.HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }
}
