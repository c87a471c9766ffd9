using System.Diagnostics;
using System.Net;
using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using Npgsql;

namespace ClickCollect.Tests.Performance;

/// <summary>
/// #17: on PostgreSQL at most <see cref="DatabaseGate.AtOnce"/> searches run at once, on connections of their own; the others
/// wait in the app, in turn, holding no connection (16 searches at once on 2 cores: backends and app preempted each other,
/// p99 23–46 ms). Here the server makes every search wait (a lock held by the test): as many wait in the server as the gate
/// lets through, the rest in the app; once the lock is free, every search is answered.
/// </summary>
public sealed class DatabaseGateTests_Postgres
{
    static async Task TheGateHoldsAsync(TestApp app, DatabaseGate gate, int asked)
    {
        await using var watcher = new NpgsqlConnection(app.ConnectionString);
        await watcher.OpenAsync();
        Task<long> InServerAsync() => watcher.ExecuteScalarAsync<long>(
            "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and backend_type = 'client backend'");
        var watch = Stopwatch.StartNew();
        while (!(await InServerAsync() == DatabaseGate.AtOnce && gate.Waiting == asked - DatabaseGate.AtOnce))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10),
                $"{await InServerAsync()} wait in the server and {gate.Waiting} in the app; {DatabaseGate.AtOnce} and {asked - DatabaseGate.AtOnce} expected");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Searches_beyond_the_gate_wait_in_the_app_then_all_answer()
    {
        await using var app = await TestApp.StartAsync<PostgresTestDatabase>();
        await using var holder = new NpgsqlConnection(app.ConnectionString);
        await holder.OpenAsync();
        await using var tx = await holder.BeginTransactionAsync();
        await holder.ExecuteAsync("lock table titles in access exclusive mode", transaction: tx);

        var asked = DatabaseGate.AtOnce + 3;
        var client = app.CreateClient();
        var searches = Enumerable.Range(0, asked).Select(i => client.GetAsync($"/api/titles?q=a{i}")).ToList();
        await TheGateHoldsAsync(app, app.Service<CatalogueStore>().Searching, asked);

        await tx.CommitAsync();
        foreach (var search in searches) Assert.Equal(HttpStatusCode.OK, (await search).StatusCode);
    }
}
