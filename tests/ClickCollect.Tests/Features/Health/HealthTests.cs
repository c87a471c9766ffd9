using System.Net;
using System.Net.Http.Json;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClickCollect.Tests.Features.Health;

public abstract class HealthTests<TDb> where TDb : ITestDatabase, new()
{
    [Fact]
    public async Task Health_and_ready_answer_200_when_the_database_answers_and_is_migrated()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var client = app.CreateClient();
        foreach (var path in new[] { "/health", "/health/ready" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>();
            Assert.Equal("ok", body!["status"]);
            Assert.Equal(new TDb().Provider, body["database"]);
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    [Fact] // #15: an instance whose database lacks a migration must not take traffic, and says no more than that
    public async Task Ready_answers_503_without_details_when_a_migration_is_missing()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        await using (var c = await app.Service<ClickCollect.Api.Infrastructure.Database.Db>().OpenAsync(default))
            await c.ExecuteAsync("delete from schema_migrations where version = (select max(version) from schema_migrations)");
        var client = app.CreateClient();

        var ready = await client.GetAsync("/health/ready");

        await ProblemAssert.IsProblemAsync(ready, HttpStatusCode.ServiceUnavailable, "not_ready");
        var text = await ready.Content.ReadAsStringAsync();
        Assert.DoesNotContain("migration", text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }
}

public sealed class HealthTests_Sqlite : HealthTests<SqliteTestDatabase>
{
    [Fact] // #15: the database's error text goes to the log, never to an anonymous caller
    public async Task Health_answers_503_without_the_error_text_when_the_database_is_unreachable_and_live_still_200()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"clickcollect-no-such-dir-{Guid.NewGuid():N}", "x.db");
        await using var app = await TestApp.StartAsync(new()
        {
            ["ConnectionStrings:ClickCollect"] = $"Data Source={missing};Mode=ReadWrite",
            ["Database:MigrateOnStart"] = "false",
        });
        var client = app.CreateClient();

        foreach (var (path, code) in new[] { ("/health", "database_unavailable"), ("/health/ready", "not_ready") })
        {
            var response = await client.GetAsync(path);
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable, code);
            var text = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("SQLite", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("unable to open", text, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        // The details are in the report that HealthCheckService logs.
        var report = await app.Service<HealthCheckService>().CheckHealthAsync();
        Assert.NotNull(report.Entries["database"].Exception);
    }
}

public sealed class HealthTests_Postgres : HealthTests<PostgresTestDatabase>;
