using ClickCollect.Api.Features.Ils;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;

namespace ClickCollect.Tests.Features.Ils;

/// <summary>The ILS outbox with two instances on one database: each transaction sent once, in order per copy (issue #13).</summary>
public abstract class IlsOutboxInstancesTests<TDb> where TDb : ITestDatabase, new()
{
    [Fact]
    public async Task Two_instances_draining_the_outbox_at_once_send_every_transaction_once_and_each_copys_in_order()
    {
        await using var server = new FakeSip2Server();
        server.Patrons["P0001"] = new("P0001", "1234", "Patron, Demo");
        var settings = Sip2SignInTests<TDb>.Settings(server);
        settings["Patrons:Authentication"] = "local";
        await using var first = await TestApp.StartAsync<TDb>(settings);
        await using var second = TestApp.StartOn(first, settings);
        var outbox = first.Service<IlsOutboxStore>();
        var now = first.Clock.GetUtcNow();
        var barcodes = Enumerable.Range(1, 12).Select(i => $"OUT{i:D3}").ToList();
        await first.Service<Db>().WriteAsync(async uow =>
        {
            foreach (var barcode in barcodes)
            {
                await outbox.EnqueueAsync(uow, "checkout", "P0001", barcode, now, default);
                await outbox.EnqueueAsync(uow, "checkin", null, barcode, now.AddMinutes(5), default);
            }
            return 0;
        }, default);

        await Task.WhenAll(first.Worker<IlsOutboxWorker>().RunOnceAsync(default), second.Worker<IlsOutboxWorker>().RunOnceAsync(default));

        foreach (var barcode in barcodes)
        {
            var sent = server.Received.Where(m => (m.StartsWith("11") || m.StartsWith("09")) && m.Contains($"|AB{barcode}|")).Select(m => m[..2]).ToList();
            Assert.Equal(["11", "09"], sent); // once each, the checkout before the checkin
        }
        Assert.Empty(await outbox.WaitingOrRefusedAsync(100, default));
    }
}

public sealed class IlsOutboxInstancesTests_Sqlite : IlsOutboxInstancesTests<SqliteTestDatabase>;
public sealed class IlsOutboxInstancesTests_Postgres : IlsOutboxInstancesTests<PostgresTestDatabase>;
