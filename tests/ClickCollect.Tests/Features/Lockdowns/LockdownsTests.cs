using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.Api.Features.Loans;
using ClickCollect.Api.Features.Lockdowns;
using ClickCollect.Api.Features.Patrons;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using static ClickCollect.Tests.Support.Lending;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Features.Lockdowns;

/// <summary>Issue 5, "How we will check": lockdowns recorded late, opened now, ended, moved and cancelled, through the API.</summary>
public abstract class LockdownsTests<TDb> where TDb : ITestDatabase, new()
{
    // Today is Tuesday 10 March 2026, 09:00 in Paris.
    static DateTimeOffset Paris(int month, int day, int hour = 9) => new DateTimeOffset(2026, month, day, hour, 0, 0, TimeSpan.FromHours(1)).ToUniversalTime();

    [Fact]
    public async Task A_past_lockdown_recorded_late_takes_its_days_out_of_the_fines_and_cancelling_it_brings_them_back()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        await SimplePolicyAsync(app, centsPerDay: 10);
        var b = await CopiesAsync(app, "CENTRALE");
        await ImportAsync(app, $"P0001,{b[0]},2026-01-23,2026-02-20");
        var fines = await FinesAsync(app, "P0001");
        Assert.Equal(180, fines.GetProperty("total").GetInt32()); // 21 February to 10 March: 18 days
        var line = fines.GetProperty("lines").EnumerateArray().Single();
        Assert.Equal((b[0], 18, 180), (line.GetProperty("barcode").GetString(), line.GetProperty("overdueDays").GetInt32(), line.GetProperty("amount").GetInt32()));

        var body = new { startsOn = "2026-02-23", endsOn = "2026-03-01", suspendFines = true, suspendReminders = true };
        var preview = await ReadAsync(await (await DirectorAsync(app)).PostAsJsonAsync("/api/lockdowns/preview", body), HttpStatusCode.OK);
        Assert.Equal(70, preview.GetProperty("effects").GetProperty("finesRemovedCents").GetInt64());
        Assert.Equal(180, (await FinesAsync(app, "P0001")).GetProperty("total").GetInt32()); // a preview writes nothing

        var declared = await DeclareAsync(app, body);
        Assert.Equal("ended", declared.GetProperty("lockdown").GetProperty("state").GetString());
        Assert.Equal(70, declared.GetProperty("effects").GetProperty("finesRemovedCents").GetInt64());
        Assert.Equal(110, (await FinesAsync(app, "P0001")).GetProperty("total").GetInt32()); // the 7 lockdown days are not charged

        var id = declared.GetProperty("lockdown").GetProperty("id").GetInt64();
        var cancelled = await ReadAsync(await (await DirectorAsync(app)).PostAsync($"/api/lockdowns/{id}/cancel", null), HttpStatusCode.OK);
        Assert.Equal(70, cancelled.GetProperty("effects").GetProperty("finesAddedCents").GetInt64());
        Assert.Equal(180, (await FinesAsync(app, "P0001")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Opening_a_lockdown_now_stops_reminders_caps_slots_and_holds_due_dates_and_ending_it_resumes_from_the_right_dates()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        await SimplePolicyAsync(app, centsPerDay: 10);
        var b = await CopiesAsync(app, "CENTRALE", "CENTRALE", "CENTRALE");
        await ImportAsync(app, $"P0001,{b[0]},2026-02-05,2026-03-05", $"P0002,{b[1]},2026-02-20,2026-03-20", $"P0004,{b[2]},2026-03-01,2026-05-01");
        var reminders = app.Worker<OverdueReminderWorker>();
        var late = await LoanAsync(app, "P0001", b[0]);
        // The job also runs by itself (at start, when the clock jumps): assert what is queued, not who queued it.
        await reminders.QueueAsync(default);
        Assert.Equal([$"overdue:{late.GetProperty("id").GetInt64()}:3:2026-03-05"], await OverdueKeysAsync(app)); // 5 days late: the 3-day reminder

        var declared = await DeclareAsync(app, new
        {
            startsOn = "2026-03-10",
            suspendFines = true,
            suspendReminders = true,
            shiftDueDatesDays = 7,
            slotCapacityCap = 1,
        });
        var effects = declared.GetProperty("effects");
        // Open-ended: every due date from today on waits for its end; the loan already late stays late.
        Assert.Equal((2, 2, 2, 1), (effects.GetProperty("loansShifted").GetInt32(), effects.GetProperty("loansHeldUntilEnd").GetInt32(), effects.GetProperty("loansDueAfterLockdown").GetInt32(),
            effects.GetProperty("overdueLoansRemindersSuspended").GetInt32()));
        var held = await LoanAsync(app, "P0002", b[1]);
        Assert.Equal(("", true, "2026-03-20"), (DueOn(held), held.GetProperty("dueAfterLockdown").GetBoolean(), held.GetProperty("originalDueOn").GetString()));
        Assert.Equal("2026-03-05", DueOn(await LoanAsync(app, "P0001", b[0]))); // due before the lockdown: it stays late
        Assert.Equal("", DueOn(await LoanAsync(app, "P0004", b[2])));
        var current = (await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/lockdowns/current"))!;
        Assert.True(Assert.Single(current).GetProperty("suspendFines").GetBoolean());

        app.Clock.SetUtcNow(Paris(3, 20));
        await reminders.QueueAsync(default);
        Assert.Single(await OverdueKeysAsync(app)); // the 10-day reminder falls inside: suspended
        var slots = (await app.CreateClient().GetFromJsonAsync<JsonElement[]>($"/api/pickup-points/{await PickupPointIdAsync(app, CentralAdults)}/slots?from=2026-03-21&to=2026-03-21"))!;
        Assert.All(slots, s => Assert.Equal(1, s.GetProperty("capacity").GetInt32()));

        var id = declared.GetProperty("lockdown").GetProperty("id").GetInt64();
        var ended = await ReadAsync(await (await DirectorAsync(app)).PostAsJsonAsync($"/api/lockdowns/{id}/end", new { endsOn = "2026-03-20" }), HttpStatusCode.OK);
        Assert.Equal("inForce", ended.GetProperty("lockdown").GetProperty("state").GetString()); // its last day is today
        var p2 = (await app.Service<PatronStore>().FindByCardAsync("P0002", default))!;
        var newDue = new DateOnly(2026, 3, 27).AddDays(LockdownRules.Spread(p2.Id, LockdownRequest.DefaultSpreadDays));
        Assert.Equal(newDue.ToString("yyyy-MM-dd"), DueOn(await LoanAsync(app, "P0002", b[1])));
        Assert.Equal("2026-05-01", DueOn(await LoanAsync(app, "P0004", b[2]))); // after the end: its own date again

        app.Clock.SetUtcNow(Paris(3, 21));
        Assert.Empty((await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/lockdowns/current"))!);
        Assert.All((await app.CreateClient().GetFromJsonAsync<JsonElement[]>($"/api/pickup-points/{await PickupPointIdAsync(app, CentralAdults)}/slots?from=2026-03-21&to=2026-03-21"))!,
            s => Assert.Equal(4, s.GetProperty("capacity").GetInt32()));
        await reminders.QueueAsync(default);
        // Resumed: one reminder, the latest reached (10 days), not every missed one; and never twice.
        Assert.Equal([$"overdue:{late.GetProperty("id").GetInt64()}:3:2026-03-05", $"overdue:{late.GetProperty("id").GetInt64()}:10:2026-03-05"],
            await OverdueKeysAsync(app));
        Assert.Equal(0, await reminders.QueueAsync(default));
        // Late 6 to 9 March, then again from 21 March: the lockdown days are not charged.
        Assert.Equal(50, (await FinesAsync(app, "P0001")).GetProperty("total").GetInt32());

        app.Clock.SetUtcNow(Paris(newDue.Month, newDue.Day + 3));
        await reminders.QueueAsync(default);
        Assert.Contains($"overdue:{held.GetProperty("id").GetInt64()}:3:{newDue:yyyy-MM-dd}", await OverdueKeysAsync(app)); // from the shifted date
    }

    [Fact]
    public async Task Due_dates_follow_the_lockdown_when_it_moves_ends_or_is_cancelled_and_every_change_is_audited()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var b = await CopiesAsync(app, "CENTRALE");
        await ImportAsync(app, $"P0005,{b[0]},2026-02-15,2026-03-15");
        var director = await DirectorAsync(app);
        var body = new { startsOn = "2026-03-12", endsOn = "2026-03-20", suspendFines = true, suspendReminders = true, shiftDueDatesDays = 7, spreadDueDatesOverDays = 1 };

        var id = (await DeclareAsync(app, body)).GetProperty("lockdown").GetProperty("id").GetInt64();
        Assert.Equal("2026-03-27", DueOn(await LoanAsync(app, "P0005", b[0])));
        await ReadAsync(await director.PutAsJsonAsync($"/api/lockdowns/{id}", body with { endsOn = "2026-03-25" }), HttpStatusCode.OK);
        Assert.Equal("2026-04-01", DueOn(await LoanAsync(app, "P0005", b[0])));
        await ReadAsync(await director.PostAsJsonAsync($"/api/lockdowns/{id}/end", new { endsOn = "2026-03-16" }), HttpStatusCode.OK);
        Assert.Equal("2026-03-23", DueOn(await LoanAsync(app, "P0005", b[0])));
        var preview = await ReadAsync(await director.PostAsync($"/api/lockdowns/{id}/cancel/preview", null), HttpStatusCode.OK);
        Assert.Equal(1, preview.GetProperty("effects").GetProperty("loansBroughtForward").GetInt32());
        await ReadAsync(await director.PostAsync($"/api/lockdowns/{id}/cancel", null), HttpStatusCode.OK);
        var loan = await LoanAsync(app, "P0005", b[0]);
        Assert.Equal(("2026-03-15", "2026-03-15"), (DueOn(loan), loan.GetProperty("originalDueOn").GetString()));

        var audit = (await director.GetFromJsonAsync<JsonElement[]>($"/api/lockdowns/{id}/audit"))!;
        Assert.Equal(["lockdown.cancelled", "lockdown.ended", "lockdown.changed", "lockdown.created"], audit.Select(a => a.GetProperty("action").GetString()!).ToArray());
        Assert.All(audit, a => Assert.Contains("Jean Moreau", a.GetProperty("actor").GetString()));
        var moves = audit.Select(a => a.GetProperty("details").GetProperty("dueDates")[0]).Select(d => (d.GetProperty("from").GetString(), d.GetProperty("to").GetString())).ToArray();
        Assert.Equal([("2026-03-23", "2026-03-15"), ("2026-04-01", "2026-03-23"), ("2026-03-27", "2026-04-01"), ("2026-03-15", "2026-03-27")], moves);
        Assert.Equal("2026-03-25", audit[2].GetProperty("details").GetProperty("after").GetProperty("endsOn").GetString());
        Assert.Equal("2026-03-20", audit[2].GetProperty("details").GetProperty("before").GetProperty("endsOn").GetString());
        await ProblemAssert.IsProblemAsync(await director.PostAsJsonAsync($"/api/lockdowns/{id}/end", new { endsOn = "2026-03-20" }), HttpStatusCode.Conflict, "lockdown_cancelled");
        var history = (await director.GetFromJsonAsync<JsonElement[]>("/api/lockdowns?includeCancelled=true"))!;
        Assert.Equal("cancelled", Assert.Single(history).GetProperty("state").GetString());
        Assert.Empty((await director.GetFromJsonAsync<JsonElement[]>("/api/lockdowns"))!);
    }

    [Fact]
    public async Task Returns_are_spread_over_several_days_after_the_lockdown()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var b = await CopiesAsync(app, [.. Enumerable.Repeat("CENTRALE", 20)]);
        await ImportAsync(app, [.. b.Select((barcode, i) => $"P{i + 1:D4},{barcode},2026-02-20,2026-03-{12 + i % 8:D2}")]);
        await DeclareAsync(app, new { startsOn = "2026-03-11", endsOn = "2026-03-20", suspendFines = true, suspendReminders = true, shiftDueDatesDays = 3, spreadDueDatesOverDays = 4 });

        var dues = new List<DateOnly>();
        for (var i = 0; i < b.Length; i++) dues.Add(DateOnly.Parse(DueOn(await LoanAsync(app, $"P{i + 1:D4}", b[i]))));
        Assert.All(dues, d => Assert.InRange(d, new DateOnly(2026, 3, 23), new DateOnly(2026, 3, 26)));
        Assert.True(dues.Distinct().Count() >= 3, string.Join(", ", dues));
    }

    [Fact]
    public async Task A_lockdown_of_one_branch_leaves_the_others_alone()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        await SimplePolicyAsync(app, centsPerDay: 10);
        var central = await CopiesAsync(app, "CENTRALE");
        var quarter = await CopiesAsync(app, "PRES");
        await ImportAsync(app, $"P0006,{central[0]},2026-02-01,2026-03-01", $"P0006,{quarter[0]},2026-02-01,2026-03-01");

        await DeclareAsync(app, new { branchIds = new[] { await BranchIdAsync(app, "PRES") }, startsOn = "2026-03-03", suspendFines = true, suspendReminders = true });

        var lines = (await FinesAsync(app, "P0006")).GetProperty("lines").EnumerateArray().ToDictionary(l => l.GetProperty("barcode").GetString()!, l => l.GetProperty("overdueDays").GetInt32());
        Assert.Equal(9, lines[central[0]]);
        Assert.Equal(1, lines[quarter[0]]);
        var current = Assert.Single((await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/lockdowns/current"))!);
        Assert.Equal(["Médiathèque des Prés-Saint-Jean"], current.GetProperty("branchNames").EnumerateArray().Select(n => n.GetString()!).ToArray());
    }

    [Fact]
    public async Task Ready_holds_get_a_full_pickup_window_after_the_lockdown_and_lose_it_when_it_moves_or_is_cancelled()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var (title, _) = await TitleAsync(app, "CENTRALE");
        var (other, _) = await TitleAsync(app, "CENTRALE");
        var patron = await PatronAsync(app, "P0007");
        var hold = (await ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = adults }), HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var counter = await CounterAsync(app);
        await ReadAsync(await counter.PostAsync($"/api/holds/{hold}/ready", null), HttpStatusCode.OK);
        async Task<string?> Deadline(long id) => (await counter.GetFromJsonAsync<JsonElement>($"/api/holds/{id}")).GetProperty("pickupDeadline").GetString();
        Assert.Equal("2026-03-17", await Deadline(hold));

        var body = new { startsOn = "2026-03-12", endsOn = (string?)"2026-03-20", suspendFines = false, suspendReminders = false };
        var declared = await DeclareAsync(app, body);
        Assert.Equal(1, declared.GetProperty("effects").GetProperty("holdsExtended").GetInt32());
        // The adult counter opens Tuesday to Saturday: five open days after Friday 20 March is Friday 27.
        Assert.Equal("2026-03-27", await Deadline(hold));
        var id = declared.GetProperty("lockdown").GetProperty("id").GetInt64();
        var director = await DirectorAsync(app);
        await ReadAsync(await director.PutAsJsonAsync($"/api/lockdowns/{id}", body with { endsOn = "2026-03-14" }), HttpStatusCode.OK);
        Assert.Equal("2026-03-17", await Deadline(hold)); // the original deadline is after the new end
        await ReadAsync(await director.PutAsJsonAsync($"/api/lockdowns/{id}", body), HttpStatusCode.OK);
        Assert.Equal("2026-03-27", await Deadline(hold));
        await ReadAsync(await director.PostAsync($"/api/lockdowns/{id}/cancel", null), HttpStatusCode.OK);
        Assert.Equal("2026-03-17", await Deadline(hold));
        await using (var c = await app.Service<Db>().OpenAsync(default))
            Assert.Null(await c.ExecuteScalarAsync<string?>("select cast(original_pickup_deadline as text) from holds where id = @hold", new { hold }));

        // Made Ready during an open-ended lockdown: no deadline until it ends, so it never expires meanwhile.
        var open = await DeclareAsync(app, body with { endsOn = null });
        var second = (await ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = other, pickupPointId = adults }), HttpStatusCode.Created)).GetProperty("id").GetInt64();
        await ReadAsync(await counter.PostAsync($"/api/holds/{second}/ready", null), HttpStatusCode.OK);
        Assert.Null(await Deadline(second));
        app.Clock.SetUtcNow(Paris(4, 1));
        (counter, director) = (await CounterAsync(app), await DirectorAsync(app)); // tokens last a working day
        await app.Worker<Api.Features.Holds.HoldExpiryWorker>().RunOnceAsync(default);
        Assert.Equal("ready", (await counter.GetFromJsonAsync<JsonElement>($"/api/holds/{second}")).GetProperty("status").GetString());
        await ReadAsync(await director.PostAsJsonAsync($"/api/lockdowns/{open.GetProperty("lockdown").GetProperty("id").GetInt64()}/end", new { endsOn = "2026-04-01" }), HttpStatusCode.OK);
        Assert.Equal("2026-04-08", await Deadline(second)); // Thu 2, Fri 3, Sat 4, Tue 7, Wed 8
    }

    [Fact]
    public async Task A_capacity_cap_refuses_new_bookings_above_it_and_keeps_those_already_made()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        const string wednesday = "2026-03-11T09:00:00+00:00"; // 10:00 in Paris; the adult counter takes 4 patrons a quarter hour
        var adults = await PickupPointIdAsync(app, CentralAdults);
        async Task<(HttpClient Patron, long Hold)> WithHoldAsync(string card)
        {
            var (title, _) = await TitleAsync(app, "CENTRALE");
            var patron = await PatronAsync(app, card);
            var hold = await ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = adults }), HttpStatusCode.Created);
            return (patron, hold.GetProperty("id").GetInt64());
        }
        var booked = new List<long>();
        foreach (var card in new[] { "P0001", "P0002" })
        {
            var (patron, hold) = await WithHoldAsync(card);
            booked.Add((await ReadAsync(await patron.PostAsJsonAsync("/api/appointments", new { pickupPointId = adults, slotStart = wednesday, holdIds = new[] { hold } }), HttpStatusCode.Created)).GetProperty("id").GetInt64());
        }

        var body = new { startsOn = "2026-03-11", endsOn = "2026-03-20", suspendFines = true, suspendReminders = true, slotCapacityCap = 1 };
        var preview = await ReadAsync(await (await DirectorAsync(app)).PostAsJsonAsync("/api/lockdowns/preview", body), HttpStatusCode.OK);
        Assert.Equal((1, 1), (preview.GetProperty("effects").GetProperty("appointmentsAboveCap").GetInt32(), preview.GetProperty("effects").GetProperty("slotsAboveCap").GetInt32()));
        await DeclareAsync(app, body);

        var slot = (await app.CreateClient().GetFromJsonAsync<JsonElement[]>($"/api/pickup-points/{adults}/slots?from=2026-03-11&to=2026-03-11"))!
            .Single(s => s.GetProperty("start").GetString() == wednesday);
        Assert.Equal((1, 2, 0), (slot.GetProperty("capacity").GetInt32(), slot.GetProperty("booked").GetInt32(), slot.GetProperty("remaining").GetInt32()));
        var (late, lateHold) = await WithHoldAsync("P0003");
        await ProblemAssert.IsProblemAsync(await late.PostAsJsonAsync("/api/appointments", new { pickupPointId = adults, slotStart = wednesday, holdIds = new[] { lateHold } }),
            HttpStatusCode.Conflict, "slot_full");
        var counter = await CounterAsync(app);
        foreach (var id in booked)
            Assert.Equal("booked", (await counter.GetFromJsonAsync<JsonElement>($"/api/appointments/{id}")).GetProperty("status").GetString());
        // Another slot that day takes one patron; the day after the lockdown, four again.
        await ReadAsync(await late.PostAsJsonAsync("/api/appointments", new { pickupPointId = adults, slotStart = "2026-03-11T09:15:00+00:00", holdIds = new[] { lateHold } }), HttpStatusCode.Created);
        var (fourth, fourthHold) = await WithHoldAsync("P0004");
        await ProblemAssert.IsProblemAsync(await fourth.PostAsJsonAsync("/api/appointments", new { pickupPointId = adults, slotStart = "2026-03-11T09:15:00+00:00", holdIds = new[] { fourthHold } }),
            HttpStatusCode.Conflict, "slot_full");
        var after = (await app.CreateClient().GetFromJsonAsync<JsonElement[]>($"/api/pickup-points/{adults}/slots?from=2026-03-21&to=2026-03-21"))!;
        Assert.All(after, s => Assert.Equal(4, s.GetProperty("capacity").GetInt32()));
    }

    static async Task<string[]> OverdueKeysAsync(TestApp app)
    {
        await using var c = await app.Service<Db>().OpenAsync(default);
        return (await c.QueryAsync<string>("select dedupe_key from sms_outbox where kind = 'overdue' order by id")).ToArray();
    }
}

public sealed class LockdownsTests_Sqlite : LockdownsTests<SqliteTestDatabase>;
public sealed class LockdownsTests_Postgres : LockdownsTests<PostgresTestDatabase>;
