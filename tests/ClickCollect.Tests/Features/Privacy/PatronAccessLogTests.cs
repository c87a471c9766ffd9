using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using static ClickCollect.Tests.Support.Lending;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Features.Privacy;

public abstract class PatronAccessLogTests<TDb> where TDb : ITestDatabase, new()
{
    [Fact]
    public async Task Staff_opening_a_patron_record_is_logged_with_the_page_and_only_directors_read_the_log()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var counter = await CounterAsync(app);
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/patrons/P0003"))
        {
            request.Headers.Add("X-Staff-Page", "/staff/#phone-desk");
            (await counter.SendAsync(request)).EnsureSuccessStatusCode();
        }
        (await counter.GetAsync("/api/patrons/P0003/fines")).EnsureSuccessStatusCode();
        (await (await PatronAsync(app, "P0004")).GetAsync("/api/patrons/P0004")).EnsureSuccessStatusCode(); // their own: not logged

        Assert.Equal(HttpStatusCode.Forbidden, (await counter.GetAsync("/api/patron-access-log")).StatusCode);
        var log = (await (await DirectorAsync(app)).GetFromJsonAsync<JsonElement[]>("/api/patron-access-log"))!;
        Assert.Equal(2, log.Length);
        Assert.All(log, e => Assert.Equal(("P0003", "open", "Camille Martin (accueil)"),
            (e.GetProperty("cardNumber").GetString(), e.GetProperty("action").GetString(), e.GetProperty("staffName").GetString())));
        Assert.Equal("/staff/#phone-desk", log[^1].GetProperty("page").GetString());
        var forP0004 = (await (await DirectorAsync(app)).GetFromJsonAsync<JsonElement[]>("/api/patron-access-log?patronCardNumber=P0004"))!;
        Assert.Empty(forP0004);
    }
}

public sealed class PatronAccessLogTests_Sqlite : PatronAccessLogTests<SqliteTestDatabase>;
public sealed class PatronAccessLogTests_Postgres : PatronAccessLogTests<PostgresTestDatabase>;
