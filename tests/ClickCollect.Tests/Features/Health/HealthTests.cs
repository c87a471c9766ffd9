using System.Net;
using System.Net.Http.Json;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;

namespace ClickCollect.Tests.Features.Health;

public abstract class HealthTests<TDb> where TDb : ITestDatabase, new()
{
    [Fact]
    public async Task Health_answers_200_when_the_database_answers()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var response = await app.CreateClient().GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>();
        Assert.Equal("ok", body!["status"]);
        Assert.Equal(new TDb().Provider, body["database"]);
    }
}

public sealed class HealthTests_Sqlite : HealthTests<SqliteTestDatabase>;
public sealed class HealthTests_Postgres : HealthTests<PostgresTestDatabase>;
