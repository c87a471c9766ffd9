using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.Api.Features.Ils;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Features.Ils;

/// <summary>Ils:Provider=sip2: a hand-over is a checkout in the library system, a return a checkin (issue #13, item 3).</summary>
public sealed class Sip2HandOverTests
{
    const string Today11 = "2026-03-10T10:00:00+00:00"; // Tuesday 11:00 in Paris

    internal static async Task<(TestApp App, long Appointment, long Hold, string Barcode, HttpClient Staff)> ArrangeAsync(FakeSip2Server server) =>
        await ArrangeAsync<SqliteTestDatabase>(server);

    internal static async Task<(TestApp App, long Appointment, long Hold, string Barcode, HttpClient Staff)> ArrangeAsync<TDb>(FakeSip2Server server)
        where TDb : ITestDatabase, new()
    {
        var settings = Sip2SignInTests<SqliteTestDatabase>.Settings(server);
        settings["Patrons:Authentication"] = "local";
        server.Patrons["P0001"] = new("P0001", "1234", "Patron, Demo");
        var app = await TestApp.StartAsync<TDb>(settings);
        var point = await PickupPointIdAsync(app, CentralAdults);
        var (title, _) = await BookAsync(app, "Germinal", "Zola, Émile", "R ZOL", "Romans adultes", "CENTRALE");
        var patron = await PatronAsync(app, "P0001");
        var hold = await ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = point }), HttpStatusCode.Created);
        var appointment = await ReadAsync(await patron.PostAsJsonAsync("/api/appointments",
            new { pickupPointId = point, slotStart = Today11, holdIds = new[] { hold.GetProperty("id").GetInt64() } }), HttpStatusCode.Created);
        var staff = await app.StaffClientAsync("counter");
        var barcode = hold.GetProperty("barcode").GetString()!;
        await ReadAsync(await staff.PostAsJsonAsync($"/api/pick-lists/{point}/2026-03-10/picked", new { barcode }), HttpStatusCode.OK);
        return (app, appointment.GetProperty("id").GetInt64(), hold.GetProperty("id").GetInt64(), barcode, staff);
    }

    [Fact]
    public async Task A_hand_over_checks_the_copy_out_with_the_library_systems_due_date_and_a_return_checks_it_in()
    {
        await using var server = new FakeSip2Server { DueDate = "20260420    235900" };
        var (app, appointment, _, barcode, staff) = await ArrangeAsync(server);
        await using var _ = app;

        var receipt = await ReadAsync(await staff.PostAsync($"/api/appointments/{appointment}/handover", null), HttpStatusCode.OK);
        Assert.Equal("2026-04-20", Assert.Single(receipt.GetProperty("loans").EnumerateArray()).GetProperty("dueOn").GetString());
        Assert.Contains(server.ReceivedWithCode("11"), m => m.Contains($"|AB{barcode}|") && m.Contains("AAP0001|"));

        var returned = await ReadAsync(await staff.PostAsJsonAsync("/api/loans/returns", new { barcode }), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, returned.GetProperty("librarySystemMessage").ValueKind);
        Assert.Contains(server.ReceivedWithCode("09"), m => m.Contains($"|AB{barcode}|"));
    }

    [Fact]
    public async Task A_refused_checkout_shows_the_library_systems_message_and_keeps_the_copy_on_the_hold()
    {
        await using var server = new FakeSip2Server();
        var (app, appointment, hold, barcode, staff) = await ArrangeAsync(server);
        await using var _ = app;
        server.RefusedCheckouts[barcode] = "Carte expirée : renouvelez votre abonnement";

        var refused = await ProblemAssert.IsProblemAsync(await staff.PostAsync($"/api/appointments/{appointment}/handover", null),
            HttpStatusCode.Conflict, "checkout_refused");
        Assert.Contains("Carte expirée : renouvelez votre abonnement", refused.GetProperty("detail").GetString());
        Assert.Equal("ready", (await staff.GetFromJsonAsync<JsonElement>($"/api/holds/{hold}")).GetProperty("status").GetString());
        Assert.Empty((await staff.GetFromJsonAsync<JsonElement[]>("/api/loans?patronCardNumber=P0001"))!);

        server.RefusedCheckouts.Clear(); // the refused hand-over gave its claim on the appointment back: the next one goes
        await ReadAsync(await staff.PostAsync($"/api/appointments/{appointment}/handover", null), HttpStatusCode.OK);
    }

    [Fact]
    public async Task With_the_library_system_down_the_hand_over_goes_ahead_and_the_checkout_waits_in_the_outbox_until_it_answers()
    {
        await using var server = new FakeSip2Server();
        var (app, appointment, _, barcode, staff) = await ArrangeAsync(server);
        await using var _ = app;
        server.Down = true;

        var receipt = await ReadAsync(await staff.PostAsync($"/api/appointments/{appointment}/handover", null), HttpStatusCode.OK);
        Assert.Equal(1, receipt.GetProperty("waitingForLibrarySystem").GetInt32());
        Assert.Equal("2026-04-07", Assert.Single(receipt.GetProperty("loans").EnumerateArray()).GetProperty("dueOn").GetString()); // local policy meanwhile
        await ReadAsync(await staff.PostAsJsonAsync("/api/loans/returns", new { barcode }), HttpStatusCode.OK); // queued behind the checkout
        var outbox = await staff.GetFromJsonAsync<JsonElement>("/api/ils/outbox");
        Assert.Equal(2, outbox.GetProperty("pending").GetInt32());

        await app.Worker<IlsOutboxWorker>().RunOnceAsync(default); // still down: nothing sent, order kept
        Assert.Equal(2, (await staff.GetFromJsonAsync<JsonElement>("/api/ils/outbox")).GetProperty("pending").GetInt32());
        server.Down = false;
        await app.Worker<IlsOutboxWorker>().RunOnceAsync(default);
        Assert.Equal(0, (await staff.GetFromJsonAsync<JsonElement>("/api/ils/outbox")).GetProperty("pending").GetInt32());
        Assert.Equal(["11", "09"], server.Received.Where(m => m.StartsWith("11") || m.StartsWith("09")).Select(m => m[..2]));
    }
}

/// <summary>#18: a hand-over clicked twice at once checks the copy out in the library system once (a second checkout may count as a renewal there).</summary>
public abstract class Sip2HandOverTwiceTests<TDb> where TDb : ITestDatabase, new()
{
    [Fact]
    public async Task A_hand_over_clicked_several_times_at_once_checks_the_copy_out_in_the_library_system_once()
    {
        await using var server = new FakeSip2Server();
        var (app, appointment, hold, barcode, staff) = await Sip2HandOverTests.ArrangeAsync<TDb>(server);
        await using var _ = app;

        var clicks = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => staff.PostAsync($"/api/appointments/{appointment}/handover", null)));

        var receipt = await ReadAsync(Assert.Single(clicks, c => c.StatusCode == HttpStatusCode.OK), HttpStatusCode.OK);
        Assert.Equal(hold, Assert.Single(receipt.GetProperty("loans").EnumerateArray()).GetProperty("holdId").GetInt64());
        foreach (var other in clicks.Where(c => c.StatusCode != HttpStatusCode.OK))
        {
            var problem = await ProblemAssert.IsProblemAsync(other, HttpStatusCode.Conflict);
            Assert.Contains(problem.GetProperty("code").GetString(), new[] { "handover_in_progress", "appointment_closed" });
        }
        Assert.Single(server.ReceivedWithCode("11"));
        Assert.Contains($"|AB{barcode}|", server.ReceivedWithCode("11").Single());
        Assert.Single((await staff.GetFromJsonAsync<JsonElement[]>("/api/loans?patronCardNumber=P0001"))!);
    }
}

public sealed class Sip2HandOverTwiceTests_Sqlite : Sip2HandOverTwiceTests<SqliteTestDatabase>;
public sealed class Sip2HandOverTwiceTests_Postgres : Sip2HandOverTwiceTests<PostgresTestDatabase>;
