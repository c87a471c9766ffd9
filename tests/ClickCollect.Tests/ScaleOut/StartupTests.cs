using System.Net;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClickCollect.Tests.ScaleOut;

/// <summary>#18 item 2: start-up of several instances, and of teams that migrate on their own.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task Two_instances_migrating_an_empty_postgres_database_together_apply_each_file_once()
    {
        var connectionString = await new PostgresTestDatabase().CreateEmptyAsync();
        var options = new DatabaseOptions { Provider = "postgres" };
        await using var one = Db.Create(options, connectionString);
        await using var two = Db.Create(options, connectionString); // a pool of its own, as another process has
        var now = TestApp.DefaultStart;

        var applied = await Task.WhenAll(
            Task.Run(() => new Migrator(one, NullLogger<Migrator>.Instance).MigrateAsync(now, default)),
            Task.Run(() => new Migrator(two, NullLogger<Migrator>.Instance).MigrateAsync(now, default)));

        var files = Migrator.Load(SqlDialect.Postgres).Select(m => m.Version).ToList();
        Assert.Equal(files, applied.SelectMany(a => a).Order()); // every file once, by one of them; the other found nothing to do
        Assert.Contains(applied, a => a.Count == 0);
        await using var c = await one.OpenAsync(default);
        Assert.Equal(files.Count, await c.ExecuteScalarAsync<long>("select count(*) from schema_migrations"));
    }

    [Fact]
    public async Task Without_migrate_on_start_an_empty_database_is_left_alone_and_not_ready_until_migrated()
    {
        await using var app = await TestApp.StartEmptyAsync<SqliteTestDatabase>(new() { ["Database:MigrateOnStart"] = "false" });
        var client = app.CreateClient();
        await ProblemAssert.IsProblemAsync(await client.GetAsync("/health/ready"), HttpStatusCode.ServiceUnavailable, "not_ready");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);

        await app.Service<Migrator>().MigrateAsync(app.Clock.GetUtcNow(), default); // what `make migrate` runs

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Make_migrate_applies_the_files_and_an_instance_refuses_a_database_migrated_by_a_newer_version()
    {
        var file = SqliteTestDatabase.NewFile();
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = "sqlite",
            ["ConnectionStrings__ClickCollect"] = SqliteTestDatabase.ConnectionString(file),
            ["Database__MigrateOnStart"] = "false",
        };

        // `make migrate` runs the app's migrate verb.
        await using (var migrate = await AppProcess.RunAsync(environment, "migrate"))
        {
            Assert.True(migrate.ExitCode == 0, migrate.Output);
            Assert.Contains("Applied migrations: 1, 2, 3", migrate.Output);
        }

        // A newer version of ClickCollect migrated this database since.
        await using (var c = new SqliteConnection(SqliteTestDatabase.ConnectionString(file)))
            await c.ExecuteAsync("insert into schema_migrations (version, name, checksum, applied_at) values (9999, 'from_a_newer_version', 'x', '2030-01-01T00:00:00Z')");
        SqliteConnection.ClearAllPools();

        foreach (var migrateOnStart in new[] { "false", "true" })
        {
            await using var app = AppProcess.Serve(new Dictionary<string, string>(environment) { ["Database__MigrateOnStart"] = migrateOnStart });
            try
            {
                await app.WaitUntilReadyAsync();
                Assert.Fail($"MigrateOnStart={migrateOnStart}: the instance served a database migrated by a newer version");
            }
            catch (InvalidOperationException) // it stopped on its own
            {
            }
            await app.WaitForExitAsync();
            Assert.Equal(2, app.ExitCode);
            Assert.Contains("migrated by a newer version of ClickCollect", app.Output);
            Assert.Contains("9999_from_a_newer_version", app.Output);
        }
        await using (var migrate = await AppProcess.RunAsync(environment, "migrate"))
        {
            Assert.Equal(2, migrate.ExitCode);
            Assert.Contains("migrated by a newer version of ClickCollect", migrate.Output);
        }
    }
}
