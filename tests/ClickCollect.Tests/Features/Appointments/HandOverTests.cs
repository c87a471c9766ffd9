using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Features.Appointments;

public abstract class HandOverTests<TDb> where TDb : ITestDatabase, new()
{
    const string Today11 = "2026-03-10T10:00:00+00:00"; // Tuesday 11:00 in Paris

    /// <summary>A patron with two holds in one appointment today; the first one is picked and staged.</summary>
    static async Task<(long Appointment, long ReadyHold, long WaitingHold, HttpClient Staff)> ArrangeAsync(TestApp app, string card)
    {
        var point = await PickupPointIdAsync(app, CentralAdults);
        var (ready, _) = await BookAsync(app, "Germinal", "Zola, Émile", "R ZOL", "Romans adultes", "CENTRALE");
        var (waiting, _) = await BookAsync(app, "Nana", "Zola, Émile", "R ZOL", "Romans adultes", "PRES");
        var patron = await PatronAsync(app, card);
        var h1 = await ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = ready, pickupPointId = point }), HttpStatusCode.Created);
        var h2 = await ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = waiting, pickupPointId = point }), HttpStatusCode.Created);
        var appointment = await ReadAsync(await patron.PostAsJsonAsync("/api/appointments", new
        {
            pickupPointId = point,
            slotStart = Today11,
            holdIds = new[] { h1.GetProperty("id").GetInt64(), h2.GetProperty("id").GetInt64() },
        }), HttpStatusCode.Created);
        var staff = await app.StaffClientAsync("counter");
        await ReadAsync(await staff.PostAsJsonAsync($"/api/pick-lists/{point}/2026-03-10/picked", new { barcode = h1.GetProperty("barcode").GetString() }), HttpStatusCode.OK);
        return (appointment.GetProperty("id").GetInt64(), h1.GetProperty("id").GetInt64(), h2.GetProperty("id").GetInt64(), staff);
    }

    [Fact]
    public async Task Handing_over_lends_every_ready_hold_with_its_due_date_and_completes_the_appointment()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var (appointment, ready, waiting, staff) = await ArrangeAsync(app, "P0001");

        var receipt = await ReadAsync(await staff.PostAsync($"/api/appointments/{appointment}/handover", null), HttpStatusCode.OK);
        var loan = Assert.Single(receipt.GetProperty("loans").EnumerateArray());
        Assert.Equal("Germinal", loan.GetProperty("title").GetString());
        Assert.Equal("2026-04-07", loan.GetProperty("dueOn").GetString()); // adult books: 28 days
        Assert.Equal(["Nana"], receipt.GetProperty("notReady").EnumerateArray().Select(t => t.GetString()));

        Assert.Equal("collected", (await staff.GetFromJsonAsync<JsonElement>($"/api/holds/{ready}")).GetProperty("status").GetString());
        Assert.Equal("inTransit", (await staff.GetFromJsonAsync<JsonElement>($"/api/holds/{waiting}")).GetProperty("status").GetString());
        Assert.Equal("completed", (await staff.GetFromJsonAsync<JsonElement>($"/api/appointments/{appointment}")).GetProperty("status").GetString());
        var loans = await staff.GetFromJsonAsync<JsonElement[]>("/api/loans?patronCardNumber=P0001");
        Assert.Contains(loans!, l => l.GetProperty("id").GetInt64() == loan.GetProperty("loanId").GetInt64());
        await ProblemAssert.IsProblemAsync(await staff.PostAsync($"/api/appointments/{appointment}/handover", null), HttpStatusCode.Conflict, "appointment_closed");
    }

    [Fact] // #18: a double click on "Remettre" (two calls at once, on one instance or two) was told "copy unavailable"
    public async Task Handing_over_sent_several_times_at_once_lends_once_and_tells_the_others_the_appointment_is_over()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var (appointment, ready, _, staff) = await ArrangeAsync(app, "P0001");

        var clicks = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => staff.PostAsync($"/api/appointments/{appointment}/handover", null)));

        var receipt = await ReadAsync(Assert.Single(clicks, c => c.StatusCode == HttpStatusCode.OK), HttpStatusCode.OK);
        Assert.Equal(ready, Assert.Single(receipt.GetProperty("loans").EnumerateArray()).GetProperty("holdId").GetInt64());
        foreach (var other in clicks.Where(c => c.StatusCode != HttpStatusCode.OK))
            await ProblemAssert.IsProblemAsync(other, HttpStatusCode.Conflict, "appointment_closed");
        Assert.Single((await staff.GetFromJsonAsync<JsonElement[]>("/api/loans?patronCardNumber=P0001"))!);
    }

    [Fact]
    public async Task The_due_date_falls_on_a_day_the_branch_is_open()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var (appointment, _, _, staff) = await ArrangeAsync(app, "P0001");
        // 28 days after Tuesday 10 March is Tuesday 7 April: the central library now closes on Tuesdays,
        // and both its counters close on Wednesday 8 April, so the book is due on Thursday 9 April.
        var director = await app.StaffClientAsync("director");
        var central = (await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/branches")).EnumerateArray().Single(b => b.GetProperty("code").GetString() == "CENTRALE");
        Assert.Equal(HttpStatusCode.OK, (await director.PutAsJsonAsync($"/api/branches/{central.GetProperty("id").GetInt64()}",
            new { code = "CENTRALE", name = central.GetProperty("name").GetString(), closedWeekdays = new[] { 2 } })).StatusCode);
        foreach (var counter in central.GetProperty("counters").EnumerateArray())
            Assert.Equal(HttpStatusCode.Created, (await director.PostAsJsonAsync($"/api/pickup-points/{counter.GetProperty("pickupPointId").GetInt64()}/closures",
                new { startsOn = "2026-04-08", endsOn = "2026-04-08", reason = "Inventaire" })).StatusCode);

        var receipt = await ReadAsync(await staff.PostAsync($"/api/appointments/{appointment}/handover", null), HttpStatusCode.OK);
        Assert.Equal("2026-04-09", Assert.Single(receipt.GetProperty("loans").EnumerateArray()).GetProperty("dueOn").GetString());
    }

    [Fact]
    public async Task A_blocked_card_is_refused_with_its_reason_and_nothing_is_lent()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var (appointment, ready, _, staff) = await ArrangeAsync(app, "P0002");
        await using (var c = await app.Service<ClickCollect.Api.Infrastructure.Database.Db>().OpenAsync(default))
            await c.ExecuteAsync("update patrons set blocked_reason = 'Carte expirée le 01/03/2026' where card_number = 'P0002'");

        var refused = await ProblemAssert.IsProblemAsync(await staff.PostAsync($"/api/appointments/{appointment}/handover", null), HttpStatusCode.Conflict, "patron_blocked");
        Assert.Contains("Carte expirée", refused.GetProperty("detail").GetString());
        Assert.Equal("ready", (await staff.GetFromJsonAsync<JsonElement>($"/api/holds/{ready}")).GetProperty("status").GetString());
        Assert.Empty((await staff.GetFromJsonAsync<JsonElement[]>("/api/loans?patronCardNumber=P0002"))!);
    }

    [Fact]
    public async Task Nothing_ready_means_nothing_to_hand_over_and_patrons_cannot_hand_over_to_themselves()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var point = await PickupPointIdAsync(app, CentralAdults);
        var (title, _) = await TitleAsync(app, "CENTRALE");
        var patron = await PatronAsync(app, "P0003");
        var hold = await ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = point }), HttpStatusCode.Created);
        var appointment = await ReadAsync(await patron.PostAsJsonAsync("/api/appointments",
            new { pickupPointId = point, slotStart = Today11, holdIds = new[] { hold.GetProperty("id").GetInt64() } }), HttpStatusCode.Created);
        var id = appointment.GetProperty("id").GetInt64();

        await ProblemAssert.IsProblemAsync(await patron.PostAsync($"/api/appointments/{id}/handover", null), HttpStatusCode.Forbidden);
        var staff = await app.StaffClientAsync("counter");
        await ProblemAssert.IsProblemAsync(await staff.PostAsync($"/api/appointments/{id}/handover", null), HttpStatusCode.Conflict, "nothing_ready");
        await ProblemAssert.IsProblemAsync(await staff.PostAsync("/api/appointments/999999/handover", null), HttpStatusCode.NotFound);
    }
}

public sealed class HandOverTests_Sqlite : HandOverTests<SqliteTestDatabase>;
public sealed class HandOverTests_Postgres : HandOverTests<PostgresTestDatabase>;
