using System.Net;
using System.Net.Http.Json;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using Dapper;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Features.Ils;

/// <summary>Ils:Provider=sip2: a copy the library system has out is not allocated (issue #13, item 4).</summary>
public sealed class Sip2ItemCheckTests
{
    static async Task<(TestApp App, long Point, long Title, string[] Barcodes)> ArrangeAsync(FakeSip2Server server, int copies)
    {
        var settings = Sip2SignInTests<Support.Databases.SqliteTestDatabase>.Settings(server);
        settings["Patrons:Authentication"] = "local";
        var app = await TestApp.StartAsync(settings);
        var point = await PickupPointIdAsync(app, CentralAdults);
        var (title, ids) = await TitleAsync(app, Enumerable.Repeat("CENTRALE", copies).ToArray());
        await using var c = await app.Service<Db>().OpenAsync(default);
        var barcodes = (await c.QueryAsync<string>("select barcode from copies where title_id = @title order by id", new { title })).ToArray();
        Assert.Equal(ids.Length, barcodes.Length);
        return (app, point, title, barcodes);
    }

    static async Task<(string Status, DateOnly? DueOn)> CopyAsync(TestApp app, string barcode)
    {
        await using var c = await app.Service<Db>().OpenAsync(default);
        var row = await c.QuerySingleAsync<(string, string?)>("select status, due_on from copies where barcode = @barcode", new { barcode });
        return (row.Item1, row.Item2 is null ? null : DateOnly.Parse(row.Item2, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_copy_the_library_system_has_lent_is_skipped_and_marked_on_loan_until_its_due_date()
    {
        await using var server = new FakeSip2Server();
        var (app, point, title, barcodes) = await ArrangeAsync(server, 2);
        await using var _ = app;
        server.Items[barcodes[0]] = new(barcodes[0], "", "04", "20260420    235900");
        server.Items[barcodes[1]] = new(barcodes[1], "", "03");

        var hold = await ReadAsync(await (await PatronAsync(app, "P0001")).PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = point }),
            HttpStatusCode.Created);

        Assert.Equal(("toPick", barcodes[1]), (hold.GetProperty("status").GetString(), hold.GetProperty("barcode").GetString()));
        Assert.Equal(("onLoan", new DateOnly(2026, 4, 20)), await CopyAsync(app, barcodes[0]));
        Assert.Equal([barcodes[0], barcodes[1]], server.ReceivedWithCode("17").Select(m => m.Split("|AB")[1].Split('|')[0]));
    }

    [Fact]
    public async Task A_copy_lost_there_is_marked_lost_and_the_hold_waits_in_the_queue()
    {
        await using var server = new FakeSip2Server();
        var (app, point, title, barcodes) = await ArrangeAsync(server, 1);
        await using var _ = app;
        server.Items[barcodes[0]] = new(barcodes[0], "", "12");

        var hold = await ReadAsync(await (await PatronAsync(app, "P0001")).PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = point }),
            HttpStatusCode.Created);

        Assert.Equal("queued", hold.GetProperty("status").GetString());
        Assert.Equal(("lost", (DateOnly?)null), await CopyAsync(app, barcodes[0]));
    }

    [Fact]
    public async Task With_the_library_system_unreachable_the_copy_is_allocated_as_before()
    {
        await using var server = new FakeSip2Server { Down = true };
        var (app, point, title, barcodes) = await ArrangeAsync(server, 1);
        await using var _ = app;

        var hold = await ReadAsync(await (await PatronAsync(app, "P0001")).PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = point }),
            HttpStatusCode.Created);

        Assert.Equal(("toPick", barcodes[0]), (hold.GetProperty("status").GetString(), hold.GetProperty("barcode").GetString()));
        Assert.Equal("held", (await CopyAsync(app, barcodes[0])).Status);
    }

    [Fact]
    public async Task Without_SIP2_no_question_is_asked()
    {
        await using var server = new FakeSip2Server();
        var settings = Sip2SignInTests<Support.Databases.SqliteTestDatabase>.Settings(server, provider: "none");
        settings["Patrons:Authentication"] = "local";
        await using var app = await TestApp.StartAsync(settings);
        var point = await PickupPointIdAsync(app, CentralAdults);
        var (title, _) = await TitleAsync(app, "CENTRALE");

        await ReadAsync(await (await PatronAsync(app, "P0001")).PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = point }), HttpStatusCode.Created);
        Assert.Empty(server.ReceivedWithCode("17"));
    }
}
