using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.Api.Features.Staff;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using Dapper;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Features.SurpriseSelections;

/// <summary>Requests, librarians and answers for the selection tests, through the real API.</summary>
internal static class SelectionKit
{
    static int next;

    /// <summary>A reader of crime novels at the central adult counter (the demo catalogue has plenty).</summary>
    public static object Tastes(long pickupPointId, int count = 5) => new
    {
        pickupPointId,
        count,
        audience = "adult",
        formats = new[] { "book" },
        languages = new[] { "fr" },
        genres = new[] { "polars", "Polar nordique" },
        likedAuthors = new[] { "Fred Vargas" },
        avoid = new[] { "thriller" },
        notes = "Lit beaucoup le soir, aime les enquêtes qui prennent leur temps.",
        useHistory = true,
    };

    public static async Task<long> CreateAsync(HttpClient client, object body) =>
        (await ReadAsync(await client.PostAsJsonAsync("/api/selection-requests", body), HttpStatusCode.Created))
            .GetProperty("id").GetInt64();

    /// <summary>A new librarian (a staff row of their own, so claims can tell them apart) and a client acting as them.</summary>
    public static async Task<HttpClient> LibrarianAsync(TestApp app)
    {
        var n = Interlocked.Increment(ref next);
        var name = $"Bibliothécaire {n}";
        var id = await app.Service<Db>().WriteAsync(uow => app.Service<StaffStore>().CreateAsync(uow, $"biblio{n}-{Guid.NewGuid():N}"[..20],
            name, Roles.Librarian, null, "not-a-hash", default), default);
        return app.ClientAs(new CurrentUser(id!.Value, Roles.Librarian, name, null));
    }

    public static async Task<JsonElement> ProposeAsync(HttpClient librarian, long id, int? seed = null) =>
        await ReadAsync(await librarian.PostAsync($"/api/selection-requests/{id}/proposal{(seed is null ? "" : $"?seed={seed}")}", null), HttpStatusCode.OK);

    public static long[] CopyIds(JsonElement proposal) =>
        proposal.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("copyId").GetInt64()).ToArray();

    public static long[] TitleIds(JsonElement proposal) =>
        proposal.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("titleId").GetInt64()).ToArray();

    public static async Task<long> CountAsync(TestApp app, string sql, object? args = null)
    {
        await using var c = await app.Service<Db>().OpenAsync(default);
        return await c.ExecuteScalarAsync<long>(sql, args);
    }

    public static async Task ExecuteAsync(TestApp app, string sql, object? args = null) =>
        await app.Service<Db>().WriteAsync(uow => uow.ExecuteAsync(sql, args, default), default);

    /// <summary>Today in Paris, as the pick list wants it.</summary>
    public static string Today(TestApp app) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(app.Clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")).DateTime)
            .ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
