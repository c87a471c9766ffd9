using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using static ClickCollect.Tests.Features.Catalogue.CatalogueTestKit;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Features.Catalogue;

public abstract class CopyStatusSyncTests<TDb> where TDb : ITestDatabase, new()
{
    static async Task<JsonElement> SyncAsync(TestApp app, string csv)
    {
        var response = await app.Director().PostAsync("/api/catalogue/copies/status", new StringContent(csv, Encoding.UTF8, "text/csv"));
        return await ReadAsync(response, HttpStatusCode.OK);
    }

    static async Task<string> BarcodeAsync(TestApp app, long copyId)
    {
        await using var c = await app.Service<Db>().OpenAsync(default);
        return await c.ExecuteScalarAsync<string>("select barcode from copies where id = @copyId", new { copyId }) ?? "";
    }

    static async Task<(string Status, long? CopyId)> HoldAsync(TestApp app, long holdId)
    {
        await using var c = await app.Service<Db>().OpenAsync(default);
        return await c.QuerySingleAsync<(string, long?)>("select status, copy_id from holds where id = @holdId", new { holdId });
    }

    static async Task<long> OutboxAsync(TestApp app, string cardNumber, string kind)
    {
        await using var c = await app.Service<Db>().OpenAsync(default);
        return await c.ExecuteScalarAsync<long>("select count(*) from sms_outbox o join patrons p on p.id = o.patron_id where p.card_number = @cardNumber and o.kind = @kind",
            new { cardNumber, kind });
    }

    static async Task<long> PlaceAsync(TestApp app, string card, long titleId, long pickupPointId) =>
        (await ReadAsync(await (await PatronAsync(app, card)).PostAsJsonAsync("/api/holds", new { titleId, pickupPointId }), HttpStatusCode.Created))
            .GetProperty("id").GetInt64();

    [Fact]
    public async Task A_status_delta_moves_the_queue_on_and_a_copy_leaving_the_shelf_is_replaced_or_the_patron_told()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var (title, copies) = await TitleAsync(app, "CENTRALE", "CENTRALE");
        var (b1, b2) = (await BarcodeAsync(app, copies[0]), await BarcodeAsync(app, copies[1]));

        // Both copies lent at the library system's desk: holds queue.
        var lent = await SyncAsync(app, $"barcode,status,dueOn\n{b1},onLoan,2026-03-20\n{b2},onLoan,2026-03-27\n");
        Assert.Equal((2, 2), (lent.Int("read"), lent.Int("updated")));
        var h1 = await PlaceAsync(app, "P0001", title, adults);
        var h2 = await PlaceAsync(app, "P0002", title, adults);
        Assert.Equal(("queued", null), await HoldAsync(app, h1));

        // B1 comes back: the oldest queued hold gets it.
        var back = await SyncAsync(app, $"{b1},onShelf\n");
        Assert.Equal(1, back.Int("holdsAllocated"));
        Assert.Equal(("toPick", copies[0]), await HoldAsync(app, h1));
        Assert.Equal(("queued", null), await HoldAsync(app, h2));

        // B2 comes back (to P0002), then B1 is lent again at the desk while set aside for P0001: no copy
        // is free, so P0001's hold queues again, P0001 is told and staff see the hold flagged.
        await SyncAsync(app, $"{b2},onShelf\n");
        var gone = await SyncAsync(app, $"{b1},onLoan\n");
        Assert.Equal((0, 1), (gone.Int("holdsReallocated"), gone.Int("patronsTold")));
        Assert.Equal(("queued", null), await HoldAsync(app, h1));
        Assert.Equal(1, await OutboxAsync(app, "P0001", "copyUnavailable"));
        var alerts = await app.Counter().GetJsonAsync("/api/holds/alerts");
        Assert.Equal([h1], alerts.EnumerateArray().Select(a => a.GetProperty("holdId").GetInt64()));

        // P0002's copy is withdrawn: B1 is on loan, so P0002 queues behind P0001 and is told.
        var withdrawn = await SyncAsync(app, $"{b2},withdrawn\n");
        Assert.Equal(1, withdrawn.Int("patronsTold"));
        // B1 returns: P0001, first in the queue, gets it.
        await SyncAsync(app, $"{b1},onShelf\n");
        Assert.Equal(("toPick", copies[0]), await HoldAsync(app, h1));
        Assert.Equal(("queued", null), await HoldAsync(app, h2));
    }

    [Fact]
    public async Task A_copy_lost_while_set_aside_hands_its_hold_another_free_copy()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var (title, copies) = await TitleAsync(app, "CENTRALE", "CENTRALE");
        var h1 = await PlaceAsync(app, "P0001", title, adults);
        Assert.Equal(("toPick", copies[0]), await HoldAsync(app, h1));

        var report = await SyncAsync(app, $"{await BarcodeAsync(app, copies[0])},lost\nUNKNOWN-1,onShelf\n");

        Assert.Equal(1, report.Int("holdsReallocated"));
        Assert.Equal(["UNKNOWN-1"], report.GetProperty("unknown").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(("toPick", copies[1]), await HoldAsync(app, h1));
        Assert.Equal(0, await OutboxAsync(app, "P0001", "copyUnavailable"));
    }

    [Fact]
    public async Task A_bad_line_refuses_the_whole_delta_naming_its_line_and_field()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var (_, copies) = await TitleAsync(app, "CENTRALE");
        var barcode = await BarcodeAsync(app, copies[0]);

        var response = await app.Director().PostAsync("/api/catalogue/copies/status",
            new StringContent($"{barcode},onLoan\n{barcode},borrowed\n{barcode},onLoan,20/03/2026\n", Encoding.UTF8, "text/csv"));

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "import_rejected", "rows[2].status", "rows[3].dueOn");
        await using (var c = await app.Service<Db>().OpenAsync(default))
            Assert.Equal("onShelf", await c.ExecuteScalarAsync<string>("select status from copies where id = @id", new { id = copies[0] }));
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Counter().PostAsync("/api/catalogue/copies/status", new StringContent("", Encoding.UTF8, "text/csv"))).StatusCode);
    }

    [Fact]
    public async Task Status_files_in_the_folder_are_applied_once_by_one_of_two_instances()
    {
        var folder = Directory.CreateTempSubdirectory("status-").FullName;
        await using var first = await TestApp.StartAsync<TDb>(new() { ["CopyStatusSync:Folder"] = folder });
        await using var second = TestApp.StartOn(first, new() { ["CopyStatusSync:Folder"] = folder });
        var (_, copies) = await TitleAsync(first, "CENTRALE");
        var barcode = await BarcodeAsync(first, copies[0]);
        await File.WriteAllTextAsync(Path.Combine(folder, "2026-03-10T0900.csv"), $"barcode,status\n{barcode},lost\n");

        await Task.WhenAll(first.Worker<CopyStatusFolderWorker>().RunOnceAsync(default), second.Worker<CopyStatusFolderWorker>().RunOnceAsync(default));

        Assert.True(File.Exists(Path.Combine(folder, "done", "2026-03-10T0900.csv")));
        await using var c = await first.Service<Db>().OpenAsync(default);
        Assert.Equal("lost", await c.ExecuteScalarAsync<string>("select status from copies where id = @id", new { id = copies[0] }));
        var summary = await c.ExecuteScalarAsync<string>("select summary from copy_status_files where done_at is not null");
        Assert.StartsWith("1 lue(s), 1 modifiée(s)", summary);

        // The same name dropped again is never applied twice.
        await ExecuteAsync(first, "update copies set status = 'onShelf' where id = @id", new { id = copies[0] });
        await File.WriteAllTextAsync(Path.Combine(folder, "2026-03-10T0900.csv"), $"{barcode},lost\n");
        await second.Worker<CopyStatusFolderWorker>().RunOnceAsync(default);
        Assert.Equal("onShelf", await c.ExecuteScalarAsync<string>("select status from copies where id = @id", new { id = copies[0] }));
    }
}

public sealed class CopyStatusSyncTests_Sqlite : CopyStatusSyncTests<SqliteTestDatabase>;
public sealed class CopyStatusSyncTests_Postgres : CopyStatusSyncTests<PostgresTestDatabase>;
