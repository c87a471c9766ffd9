using System.Net;
using System.Text.Json;
using ClickCollect.Api.Features.Figures;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;

namespace ClickCollect.Tests.Features.Figures;

/// <summary>
/// The figures on a small data set written row by row, against numbers counted by hand (issue 11).
/// February 2026 in Paris is UTC+1: the range 2–15 February is 2026-02-01T23:00Z to 2026-02-15T23:00Z.
/// </summary>
public abstract class FiguresTests<TDb> where TDb : ITestDatabase, new()
{
    const string Range = "from=2026-02-02&to=2026-02-15";

    [Fact]
    public async Task The_figures_of_a_known_fortnight_equal_the_counts_made_by_hand()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await Library.PickupPointIdAsync(app, Library.CentralAdults);
        var stop = await Library.PickupPointIdAsync(app, "Bibliobus – Place de Bourgogne");
        await KnownFortnightAsync(app, adults, stop);
        var director = await app.StaffClientAsync("director");

        var network = await Library.ReadAsync(await director.GetAsync($"/api/figures?{Range}"), HttpStatusCode.OK);
        var a = network.GetProperty("appointments");
        // 6 at the adults' counter + 1 at the stop at 00:30 local on the 2nd (23:30Z on the 1st); the 16th is out.
        Assert.Equal((7, 4, 2, 1, 0), (Int(a, "booked"), Int(a, "completed"), Int(a, "noShow"), Int(a, "cancelled"), Int(a, "pending")));
        Assert.Equal(0.3333, a.GetProperty("noShowRate").GetDouble());          // 2 / (4 + 2)
        var channels = network.GetProperty("holds").GetProperty("byChannel");
        Assert.Equal((2, 2, 1, 1), (Int(channels, "web"), Int(channels, "phone"), Int(channels, "sms"), Int(channels, "selection")));
        Assert.Equal(1, Int(network, "notFound"));
        var demand = network.GetProperty("stopDemand").EnumerateArray().ToList();
        Assert.Equal(3, demand.Count);                                           // the three demo stops, in route order
        Assert.Equal((stop, 2, 1), (demand[0].GetProperty("pickupPointId").GetInt64(), Int(demand[0], "holds"), Int(demand[0], "appointments")));
        Assert.All(demand.Skip(1), d => Assert.Equal((0, 0), (Int(d, "holds"), Int(d, "appointments"))));
        var selections = network.GetProperty("selections");
        Assert.Equal((3, 2, 1), (Int(selections, "received"), Int(selections, "confirmed"), Int(selections, "cancelled")));
        Assert.Equal(14.0, selections.GetProperty("medianWaitHours").GetDouble()); // waits 4 h and 24 h
        Assert.Equal(22.0, selections.GetProperty("p90WaitHours").GetDouble());    // 4 + 0.9 × 20
        var sms = network.GetProperty("sms");
        Assert.Equal((5, 3, 2, 2, 1, 5), (Int(sms, "queued"), Int(sms, "sent"), Int(sms, "delivered"), Int(sms, "failed"), Int(sms, "notSent"), Int(sms, "segments")));

        var counter = await Library.ReadAsync(await director.GetAsync($"/api/figures?{Range}&pickupPointId={adults}"), HttpStatusCode.OK);
        a = counter.GetProperty("appointments");
        Assert.Equal((6, 3, 2, 1), (Int(a, "booked"), Int(a, "completed"), Int(a, "noShow"), Int(a, "cancelled")));
        Assert.Equal(0.4, a.GetProperty("noShowRate").GetDouble());              // 2 / (3 + 2)
        var handOver = counter.GetProperty("handOver");                        // 5, 10 and 20 minutes
        Assert.Equal((3, 10.0, 18.0), (Int(handOver, "count"), handOver.GetProperty("medianMinutes").GetDouble(), handOver.GetProperty("p90Minutes").GetDouble()));
        channels = counter.GetProperty("holds").GetProperty("byChannel");
        Assert.Equal((2, 1, 0, 1), (Int(channels, "web"), Int(channels, "phone"), Int(channels, "sms"), Int(channels, "selection")));
        var tuesday3 = counter.GetProperty("reservationsPerDay").EnumerateArray().Single(d => d.GetProperty("date").GetString() == "2026-02-03");
        Assert.Equal(2, Int(tuesday3, "web"));
        // Tuesdays 10:00–12:00, 15-minute slots of 4 places: 4 slots × 4 places × 2 Tuesdays in the hour from 10.
        var cells = counter.GetProperty("occupancy").EnumerateArray().ToList();
        var ten = cells.Single(c => Int(c, "weekday") == 2 && Int(c, "hour") == 10);
        Assert.Equal((32, 3), (Int(ten, "capacity"), Int(ten, "booked")));
        var two = cells.Single(c => Int(c, "weekday") == 2 && Int(c, "hour") == 14);
        Assert.Equal((32, 2), (Int(two, "capacity"), Int(two, "booked")));       // the cancelled one took no place
        var weeks = counter.GetProperty("outcomesPerWeek").EnumerateArray().ToList();
        Assert.Equal(["2026-02-02", "2026-02-09"], weeks.Select(w => w.GetProperty("weekStart").GetString()));
        Assert.Equal((3, 0.3333), (Int(weeks[0], "booked"), weeks[0].GetProperty("noShowRate").GetDouble()));

        var csv = await director.GetAsync($"/api/figures?{Range}&pickupPointId={adults}&format=csv&table=appointments");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Equal("booked,completed,noShow,cancelled,pending,noShowRate\r\n6,3,2,1,0,0.4\r\n", (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF'));
        var svg = await director.GetAsync($"/api/figures/charts/outcomes?{Range}");
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("<svg", await svg.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Figures_are_for_directors_and_refuse_a_backwards_range_naming_the_field()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.StaffClientAsync("counter")).GetAsync("/api/figures")).StatusCode);
        var director = await app.StaffClientAsync("director");
        var problem = await Library.ReadAsync(await director.GetAsync("/api/figures?from=2026-02-10&to=2026-02-01"), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("to", out _));
        problem = await Library.ReadAsync(await director.GetAsync("/api/figures?pickupPointId=999999"), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("pickupPointId", out _));
        problem = await Library.ReadAsync(await director.GetAsync("/api/figures?format=csv&table=nope"), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("table", out _));
    }

    [Fact] // #11 item 4: local days and hours are worked out in SQL; the clocks go forward at 01:00Z on 29 March 2026 in Paris
    public async Task Figures_grouped_by_the_database_follow_the_change_to_summer_time()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await Library.PickupPointIdAsync(app, Library.CentralAdults);
        await app.Service<Db>().WriteAsync(async uow =>
        {
            var patron = await uow.QuerySingleAsync<long>("select id from patrons where card_number = 'P0001'", null, default);
            var title = await uow.QuerySingleAsync<long>("select min(id) from titles", null, default);
            foreach (var (slot, arrived, closed) in new[]
            {
                ("2026-03-28T23:30:00", "2026-03-28T23:30:00", "2026-03-28T23:40:00"), // Sunday 29, 00:30 winter time
                ("2026-03-29T01:30:00", "2026-03-29T00:55:00", "2026-03-29T01:05:00"), // Sunday 29, 03:30 summer time; 10 minutes over the change
                ("2026-03-29T22:30:00", "2026-03-29T22:30:00", "2026-03-29T22:50:00"), // Monday 30, 00:30 summer time (23:30 Sunday at +1)
            })
                await uow.ExecuteAsync("""
                    insert into appointments (patron_id, pickup_point_id, slot_start, slot_end, status, channel, created_at, arrived_at, closed_at, updated_at)
                    values (@patron, @adults, @start, @end, 'completed', 'web', @start, @arrivedAt, @closedAt, @closedAt)
                    """, new { patron, adults, start = Utc(slot), end = Utc(slot).AddMinutes(15), arrivedAt = Utc(arrived), closedAt = Utc(closed) }, default);
            foreach (var created in new[] { "2026-03-27T23:10:00", "2026-03-29T22:10:00" }) // Saturday 28 00:10, Monday 30 00:10
                await uow.ExecuteAsync("""
                    insert into holds (patron_id, title_id, pickup_point_id, status, channel, created_at, closed_at, updated_at)
                    values (@patron, @title, @adults, 'collected', 'web', @created, @created, @created)
                    """, new { patron, title, adults, created = Utc(created) }, default);
            return 0;
        }, default);

        var figures = await Library.ReadAsync(await (await app.StaffClientAsync("director"))
            .GetAsync($"/api/figures?from=2026-03-28&to=2026-03-30&pickupPointId={adults}"), HttpStatusCode.OK);
        Assert.Equal([("2026-03-28", 1), ("2026-03-29", 0), ("2026-03-30", 1)], figures.GetProperty("reservationsPerDay").EnumerateArray()
            .Select(d => (d.GetProperty("date").GetString(), Int(d, "web"))));
        Assert.Equal([("2026-03-23", 2), ("2026-03-30", 1)], figures.GetProperty("outcomesPerWeek").EnumerateArray()
            .Select(w => (w.GetProperty("weekStart").GetString(), Int(w, "booked"))));
        Assert.Equal([(1, 0), (7, 0), (7, 3)], figures.GetProperty("occupancy").EnumerateArray().Where(c => Int(c, "booked") > 0)
            .Select(c => (Int(c, "weekday"), Int(c, "hour"))).Order());
        var handOver = figures.GetProperty("handOver");
        Assert.Equal((3, 10.0, 18.0), (Int(handOver, "count"), handOver.GetProperty("medianMinutes").GetDouble(), handOver.GetProperty("p90Minutes").GetDouble()));
    }

    static int Int(JsonElement e, string name) => e.GetProperty(name).GetInt32();

    static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso + "Z", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The rows behind the hand counts in the test above; each comment says why a row is in or out.</summary>
    static async Task KnownFortnightAsync(TestApp app, long adults, long stop)
    {
        await app.Service<Db>().WriteAsync(async uow =>
        {
            var patron = await uow.QuerySingleAsync<long>("select id from patrons where card_number = 'P0001'", null, default);
            var title = await uow.QuerySingleAsync<long>("select min(id) from titles", null, default);
            var branch = await uow.QuerySingleAsync<long>("select branch_id from pickup_point_branches where pickup_point_id = @adults", new { adults }, default);
            async Task Appointment(long point, string slot, string status, string? arrived = null, string? closed = null)
            {
                var start = Utc(slot);
                await uow.ExecuteAsync("""
                    insert into appointments (patron_id, pickup_point_id, slot_start, slot_end, status, channel, created_at, arrived_at, closed_at, updated_at)
                    values (@patron, @point, @start, @end, @status, 'web', @created, @arrivedAt, @closedAt, @created)
                    """, new
                {
                    patron, point, start, end = start.AddMinutes(15), status, created = start.AddDays(-2),
                    arrivedAt = arrived is null ? (DateTimeOffset?)null : Utc(arrived), closedAt = closed is null ? (DateTimeOffset?)null : Utc(closed),
                }, default);
            }
            // Tuesday 3 Feb 10:00 local: two handed over (5 and 10 minutes after "I'm here"), one no-show.
            await Appointment(adults, "2026-02-03T09:00:00", "completed", "2026-02-03T09:02:00", "2026-02-03T09:07:00");
            await Appointment(adults, "2026-02-03T09:00:00", "completed", "2026-02-03T09:05:00", "2026-02-03T09:15:00");
            await Appointment(adults, "2026-02-03T09:00:00", "noShow", closed: "2026-02-03T10:00:00");
            // Tuesday 10 Feb 14:00 local: one handed over after 20 minutes, one no-show, one cancelled.
            await Appointment(adults, "2026-02-10T13:00:00", "completed", "2026-02-10T13:00:00", "2026-02-10T13:20:00");
            await Appointment(adults, "2026-02-10T13:00:00", "noShow", closed: "2026-02-10T14:00:00");
            await Appointment(adults, "2026-02-10T13:00:00", "cancelled", closed: "2026-02-09T10:00:00");
            // Out: Monday 16 Feb.
            await Appointment(adults, "2026-02-16T09:00:00", "completed", "2026-02-16T09:00:00", "2026-02-16T09:01:00");
            // In: 00:30 on Monday 2 Feb in Paris; out: 00:30 on Monday 16 Feb.
            await Appointment(stop, "2026-02-01T23:30:00", "completed", closed: "2026-02-02T00:00:00");
            await Appointment(stop, "2026-02-15T23:30:00", "completed", closed: "2026-02-16T00:00:00");

            async Task Hold(long point, string channel, string created) =>
                await uow.ExecuteAsync("""
                    insert into holds (patron_id, title_id, pickup_point_id, status, channel, created_at, closed_at, updated_at)
                    values (@patron, @title, @point, 'collected', @channel, @created, @created, @created)
                    """, new { patron, title, point, channel, created = Utc(created) }, default);
            await Hold(adults, "web", "2026-02-03T10:00:00");
            await Hold(adults, "web", "2026-02-03T12:00:00");
            await Hold(adults, "phone", "2026-02-04T08:00:00");
            await Hold(adults, "selection", "2026-02-10T08:00:00");
            await Hold(stop, "sms", "2026-02-05T09:00:00");
            await Hold(stop, "phone", "2026-02-01T23:10:00");   // in: 2 Feb, 00:10 local
            await Hold(adults, "web", "2026-02-15T23:10:00");   // out: 16 Feb, 00:10 local

            const string NotFound = """
                insert into not_found_reports (hold_id, copy_id, pickup_point_id, reported_at) values (1, 1, @adults, @at)
                """;
            await uow.ExecuteAsync(NotFound, new { adults, at = Utc("2026-02-04T10:00:00") }, default);
            await uow.ExecuteAsync(NotFound, new { adults, at = Utc("2026-02-20T10:00:00") }, default); // out

            async Task Selection(string opens, string status, string? confirmed) =>
                await uow.ExecuteAsync("""
                    insert into selection_requests (patron_id, pickup_point_id, item_count, opens_at, status, channel, created_at, updated_at, confirmed_at)
                    values (@patron, @adults, 3, @opensAt, @status, 'web', @opensAt, @opensAt, @confirmedAt)
                    """, new { patron, adults, opensAt = Utc(opens), status, confirmedAt = confirmed is null ? (DateTimeOffset?)null : Utc(confirmed) }, default);
            await Selection("2026-02-03T09:00:00", "confirmed", "2026-02-03T13:00:00");  // 4 h
            await Selection("2026-02-05T09:00:00", "confirmed", "2026-02-06T09:00:00");  // 24 h
            await Selection("2026-02-07T09:00:00", "cancelled", null);
            await Selection("2026-03-01T09:00:00", "confirmed", "2026-03-01T10:00:00");  // out

            async Task Sms(string status, int segments, string created) =>
                await uow.ExecuteAsync("""
                    insert into sms_outbox (patron_id, kind, body, segments, status, branch_id, not_before, next_attempt_at, created_at, updated_at)
                    values (@patron, 'test', 'Bonjour', @segments, @status, @branch, @at, @at, @at, @at)
                    """, new { patron, segments, status, branch, at = Utc(created) }, default);
            await Sms("delivered", 1, "2026-02-03T10:00:00");
            await Sms("delivered", 2, "2026-02-04T10:00:00");
            await Sms("undelivered", 2, "2026-02-05T10:00:00");  // sent (billed) but failed
            await Sms("failed", 1, "2026-02-06T10:00:00");       // refused: not billed
            await Sms("skipped", 1, "2026-02-07T10:00:00");
            await Sms("delivered", 1, "2026-02-20T10:00:00");    // out
            return 0;
        }, default);
    }
}

public sealed class FiguresTests_Sqlite : FiguresTests<SqliteTestDatabase>;
public sealed class FiguresTests_Postgres : FiguresTests<PostgresTestDatabase>;

public sealed class FiguresCalculatorTests
{
    [Fact]
    public void Percentiles_interpolate_between_ranks_like_a_spreadsheet()
    {
        Assert.Equal(25, FiguresCalculator.Percentile([10, 20, 30, 40], 0.5));
        Assert.Equal(37, FiguresCalculator.Percentile([10, 20, 30, 40], 0.9));
        Assert.Null(FiguresCalculator.Percentile([], 0.5));
    }
}
