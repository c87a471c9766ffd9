using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using Dapper;

namespace ClickCollect.Tests.Features.Catalogue;

/// <summary>What the catalogue tests share: posting files, reading answers, counting rows.</summary>
internal static class CatalogueTestKit
{
    public const string Header = "recordId,isbn,title,authors,publisher,year,language,audience,format,genres,barcode,branchCode,shelfLocation,callNumber,status";

    public static HttpClient Director(this TestApp app) => app.ClientAs(new CurrentUser(1, Roles.Director, "Directrice", null));
    public static HttpClient Counter(this TestApp app) => app.ClientAs(new CurrentUser(2, Roles.Counter, "Guichet", null));
    public static HttpClient Librarian(this TestApp app) => app.ClientAs(new CurrentUser(3, Roles.Librarian, "Bibliothécaire", null));

    public static Task<HttpResponseMessage> ImportAsync(this HttpClient client, string csv, string format = "csv") =>
        client.ImportAsync(Encoding.UTF8.GetBytes(csv), format);

    public static Task<HttpResponseMessage> ImportAsync(this HttpClient client, byte[] body, string format = "csv")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" };
        return client.PostAsync($"/api/catalogue/imports?format={format}", content);
    }

    /// <summary>Imports and asserts it was accepted; returns the report.</summary>
    public static async Task<JsonElement> ImportOkAsync(this TestApp app, string csv)
    {
        var response = await app.Director().ImportAsync(csv);
        var body = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return body;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} → {(int)response.StatusCode}: {body}");
        return body;
    }

    /// <summary>Asserts an RFC 9457 problem: status, <c>code</c>, and exactly these <c>errors</c> keys (when given).</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? code, params string[] errorKeys)
    {
        var body = await JsonAsync(response);
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (code is not null) Assert.Equal(code, body.GetProperty("code").GetString());
        if (errorKeys.Length > 0)
        {
            var keys = body.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToArray();
            Assert.Equal(errorKeys.Order().ToArray(), keys);
        }
        return body;
    }

    public static int Int(this JsonElement e, string property) => e.GetProperty(property).GetInt32();

    public static string[] Titles(this JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()!).ToArray();

    public static async Task<(long Titles, long Copies)> CountAsync(TestApp app)
    {
        await using var c = await app.Service<Db>().OpenAsync(CancellationToken.None);
        return (await c.ExecuteScalarAsync<long>("select count(*) from titles"), await c.ExecuteScalarAsync<long>("select count(*) from copies"));
    }

    public static async Task<long> TitleIdAsync(TestApp app, string recordId)
    {
        await using var c = await app.Service<Db>().OpenAsync(CancellationToken.None);
        return await c.ExecuteScalarAsync<long>("select id from titles where record_id = @recordId", new { recordId });
    }

    public static async Task ExecuteAsync(TestApp app, string sql, object? parameters = null) =>
        await app.Service<Db>().WriteAsync(uow => uow.ExecuteAsync(sql, parameters, CancellationToken.None), CancellationToken.None);
}
