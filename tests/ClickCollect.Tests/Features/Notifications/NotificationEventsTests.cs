using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.Api.Features.Notifications;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static ClickCollect.Tests.Features.Notifications.SmsKit;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Features.Notifications;

/// <summary>Each event queues one message in the unit of work of its cause, and the dispatcher sends it once, well formed.</summary>
public abstract class NotificationEventsTests<TDb> where TDb : ITestDatabase, new()
{
    const string Adults = "Médiathèque centrale – Adultes";
    const string AtAdults = "à la Médiathèque centrale - Adultes"; // as SMS write it: article, GSM-7 dash
    const string Wednesday11 = "2026-03-11T09:00:00+00:00";  // 10:00 in Paris
    const string Thursday12 = "2026-03-12T09:00:00+00:00";

    [Fact]
    public async Task A_hold_made_ready_sends_one_sms_saying_where_and_until_when()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await TestApp.StartAsync<TDb>(Settings(twilio));
        var (hold, title) = await ReadyHoldAsync(app, Consenting);

        var row = await OnlyAsync(app, SmsKinds.HoldReady);
        Assert.Equal(("pending", app.Clock.GetUtcNow()), (row.Status, row.NextAttemptAt));
        await DispatchAsync(app);
        await DispatchAsync(app);

        var sms = Assert.Single(twilio.Messages);
        Assert.Equal(ConsentingPhone, sms.To);
        Assert.Equal(FakeTwilio.From, sms.From);
        Assert.Null(sms.MessagingServiceSid);
        Assert.Equal($"Votre document \"{SmsText.ForSms(title)}\" vous attend {AtAdults} jusqu'au mardi 17 mars inclus.", sms.Body);
        Assert.Equal($"{PublicBaseUrl}/webhooks/twilio/status?id={row.Id}", sms.StatusCallback);
        Assert.Empty(twilio.Complaints);
        row = await OnlyAsync(app, SmsKinds.HoldReady);
        Assert.Equal(("sent", sms.Sid, "queued", 1), (row.Status, row.ProviderSid, row.ProviderStatus, row.Attempts));
        Assert.Equal($"holdReady:{hold}", row.DedupeKey);
    }

    [Fact]
    public async Task Booking_then_cancelling_an_appointment_sends_one_sms_each()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await TestApp.StartAsync<TDb>(Settings(twilio));
        var (hold, _) = await HoldAsync(app, Consenting);
        var patron = await PatronAsync(app, Consenting);
        var point = await PickupPointIdAsync(app, CentralAdults);

        var booked = await ReadAsync(await patron.PostAsJsonAsync("/api/appointments", new { pickupPointId = point, slotStart = Wednesday11, holdIds = new[] { hold } }), HttpStatusCode.Created);
        await DispatchAsync(app);
        await ReadAsync(await patron.DeleteAsync($"/api/appointments/{booked.GetProperty("id").GetInt64()}"), HttpStatusCode.OK);
        await DispatchAsync(app);

        Assert.Equal([
            $"Rendez-vous mercredi 11 mars à 10h00 {AtAdults} (1 document). Répondez ICI en arrivant, ANNULER pour annuler.",
            $"Votre rendez-vous du mercredi 11 mars à 10h00 {AtAdults} est annulé.",
        ], twilio.Messages.Select(m => m.Body));
        Assert.All(twilio.Messages, m => Assert.Equal(ConsentingPhone, m.To));
        Assert.Empty(twilio.Complaints);
    }

    [Fact]
    public async Task Day_before_reminders_go_once_for_an_appointment_and_for_a_hold_whose_last_day_is_tomorrow()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await TestApp.StartAsync<TDb>(Settings(twilio));
        var (toCollect, _) = await HoldAsync(app, Consenting);
        var point = await PickupPointIdAsync(app, CentralAdults);
        await ReadAsync(await (await PatronAsync(app, Consenting)).PostAsJsonAsync("/api/appointments",
            new { pickupPointId = point, slotStart = Thursday12, holdIds = new[] { toCollect } }), HttpStatusCode.Created);
        var (waiting, title) = await ReadyHoldAsync(app, "P0004"); // last day: Tuesday 17
        var reminders = app.Worker<ReminderWorker>();

        Assert.Equal(0, await reminders.QueueAsync(app.Clock.GetUtcNow(), default));                      // Tuesday: nothing is tomorrow
        Assert.Equal(0, await reminders.QueueAsync(DateTimeOffset.Parse("2026-03-11T08:59:00Z"), default)); // Wednesday 09:59: not yet
        Assert.Equal(1, await reminders.QueueAsync(DateTimeOffset.Parse("2026-03-11T09:00:00Z"), default)); // Wednesday 10:00
        app.Clock.SetUtcNow(DateTimeOffset.Parse("2026-03-11T09:00:00Z"));
        await DispatchAsync(app);
        Assert.Equal(0, await reminders.QueueAsync(DateTimeOffset.Parse("2026-03-11T15:00:00Z"), default)); // and never twice
        Assert.Equal(0, await reminders.QueueAsync(DateTimeOffset.Parse("2026-03-16T19:00:00Z"), default)); // Monday 20:00: too late to say "tomorrow"
        Assert.Equal(1, await reminders.QueueAsync(DateTimeOffset.Parse("2026-03-16T10:00:00Z"), default)); // Monday 11:00
        Assert.Equal(0, await reminders.QueueAsync(DateTimeOffset.Parse("2026-03-16T11:00:00Z"), default));
        app.Clock.SetUtcNow(DateTimeOffset.Parse("2026-03-16T10:00:00Z"));
        await DispatchAsync(app);

        var sent = twilio.Messages.Select(m => (m.To, m.Body)).ToList();
        Assert.Contains((ConsentingPhone, $"Rappel : rendez-vous demain à 10h00 {AtAdults}. Répondez ICI en arrivant, ANNULER pour annuler."), sent);
        Assert.Contains(("+33612345604", $"Demain mardi 17 mars, dernier jour pour retirer \"{SmsText.ForSms(title)}\" {AtAdults}."), sent);
        Assert.Equal(4, sent.Count); // with the booking confirmation and the "ready" message
        Assert.Equal($"holdExpiring:{waiting}:2026-03-17", (await OnlyAsync(app, SmsKinds.HoldExpiring)).DedupeKey);
    }

    [Fact]
    public async Task A_reminder_queued_for_an_appointment_cancelled_since_is_not_sent()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await TestApp.StartAsync<TDb>(Settings(twilio));
        var (hold, _) = await HoldAsync(app, Consenting);
        var point = await PickupPointIdAsync(app, CentralAdults);
        var booked = await ReadAsync(await (await PatronAsync(app, Consenting)).PostAsJsonAsync("/api/appointments",
            new { pickupPointId = point, slotStart = Thursday12, holdIds = new[] { hold } }), HttpStatusCode.Created);
        // 20:30 would be quiet hours: nothing is queued, it waits for the morning
        Assert.Equal(0, await app.Worker<ReminderWorker>().QueueAsync(DateTimeOffset.Parse("2026-03-11T19:30:00Z"), default));
        app.Clock.SetUtcNow(DateTimeOffset.Parse("2026-03-11T18:30:00Z"));
        Assert.Equal(1, await app.Worker<ReminderWorker>().QueueAsync(app.Clock.GetUtcNow(), default));

        app.Clock.SetUtcNow(DateTimeOffset.Parse("2026-03-11T19:30:00Z"));
        var staff = await app.StaffClientAsync("counter");
        await ReadAsync(await staff.DeleteAsync($"/api/appointments/{booked.GetProperty("id").GetInt64()}"), HttpStatusCode.OK);
        await DispatchAsync(app);
        var reminder = await OnlyAsync(app, SmsKinds.AppointmentReminder);
        Assert.Equal(("skipped", "rendez-vous annulé"), (reminder.Status, reminder.LastError));
        // Staff cancelled at 20:30: not urgent, the patron hears of it at 08:30.
        Assert.Equal(DateTimeOffset.Parse("2026-03-12T07:30:00Z"), (await OnlyAsync(app, SmsKinds.AppointmentCancelled)).NextAttemptAt);
    }

    [Fact] // #15: Holds used to cancel the emptied appointment with SQL of its own, and no SMS went
    public async Task Cancelling_the_last_hold_of_an_appointment_cancels_it_as_appointments_do_and_the_patron_is_told()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await TestApp.StartAsync<TDb>(Settings(twilio));
        var (hold, _) = await HoldAsync(app, Consenting);
        var point = await PickupPointIdAsync(app, CentralAdults);
        var patron = await PatronAsync(app, Consenting);
        var booked = await ReadAsync(await patron.PostAsJsonAsync("/api/appointments",
            new { pickupPointId = point, slotStart = Thursday12, holdIds = new[] { hold } }), HttpStatusCode.Created);

        await ReadAsync(await patron.DeleteAsync($"/api/holds/{hold}"), HttpStatusCode.OK);

        var appointment = await ReadAsync(await patron.GetAsync($"/api/appointments/{booked.GetProperty("id").GetInt64()}"), HttpStatusCode.OK);
        Assert.Equal("cancelled", appointment.GetProperty("status").GetString());
        var told = await OnlyAsync(app, SmsKinds.AppointmentCancelled);
        Assert.Equal(("pending", app.Clock.GetUtcNow()), (told.Status, told.NextAttemptAt)); // the patron did it: sent at once
    }

    [Fact]
    public async Task A_copy_not_found_tells_the_patron_another_copy_is_coming_or_the_hold_waits()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await TestApp.StartAsync<TDb>(Settings(twilio));
        var (hold, title) = await HoldAsync(app, Consenting);
        var notify = app.Service<Notify>();
        var now = app.Clock.GetUtcNow();

        Assert.True(await app.Service<Db>().WriteAsync(uow => notify.CopyNotFoundAsync(uow, hold, 1, now, default), default));
        Assert.False(await app.Service<Db>().WriteAsync(uow => notify.CopyNotFoundAsync(uow, hold, 1, now, default), default)); // once per copy
        await DispatchAsync(app);
        Assert.Empty(twilio.Messages); // held while staff can still take the report back
        app.Clock.Advance(ClickCollect.Api.Features.Holds.HoldStore.NotFoundUndoWindow);
        await DispatchAsync(app);

        var sms = Assert.Single(twilio.Messages);
        Assert.Equal($"\"{SmsText.ForSms(title)}\" n'a pas été trouvé en rayon. Un autre exemplaire vous est réservé : nous vous prévenons quand il vous attend.", sms.Body);
    }

    [Fact]
    public async Task Patrons_without_consent_or_phone_or_who_said_stop_get_no_sms_and_staff_see_why()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await TestApp.StartAsync<TDb>(Settings(twilio));
        await OptOutAsync(app, "+33612345605");
        var staff = await app.StaffClientAsync("counter");
        await ReadAsync(await staff.PostAsJsonAsync("/api/patrons", new
        {
            cardNumber = "FIXE1",
            pin = "1234",
            firstName = "Léon",
            lastName = "Fixe",
            phone = "01 23 45 67 89",
            smsConsent = true,
        }), HttpStatusCode.Created);

        foreach (var card in new[] { "P0001", "P0003", "P0005", "FIXE1", "P0007" }) await ReadyHoldAsync(app, card);
        await OptOutAsync(app, "+33612345607"); // after the message was queued, before it goes
        await DispatchAsync(app);

        Assert.Empty(twilio.Messages);
        var skipped = (await ReadAsync(await staff.GetAsync("/api/sms-outbox?status=skipped&kind=holdReady"), HttpStatusCode.OK)).EnumerateArray().ToArray();
        Assert.Equal(new Dictionary<string, string>
        {
            ["P0001"] = "pas de consentement aux SMS",
            ["P0003"] = "pas de numéro de téléphone",
            ["P0005"] = "désinscrit par STOP",
            ["FIXE1"] = "numéro fixe : pas de SMS",
            ["P0007"] = "désinscrit par STOP",
        }, skipped!.ToDictionary(r => r.GetProperty("patronCardNumber").GetString()!, r => r.GetProperty("reason").GetString()!));
        Assert.All(skipped!, r => Assert.Equal(0, r.GetProperty("attempts").GetInt32()));
    }

    [Fact]
    public async Task A_reunion_mobile_typed_the_way_it_is_dialled_from_paris_gets_its_sms()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await TestApp.StartAsync<TDb>(Settings(twilio));
        var staff = await app.StaffClientAsync("counter");
        var patron = await ReadAsync(await staff.PostAsJsonAsync("/api/patrons", new
        {
            cardNumber = "RUN1",
            pin = "1234",
            firstName = "Mélissa",
            lastName = "Payet",
            phone = "0692 12 34 56",
            smsConsent = true,
        }), HttpStatusCode.Created);
        Assert.Equal("+262692123456", patron.GetProperty("phone").GetString());

        await ReadyHoldAsync(app, "RUN1");
        await DispatchAsync(app);

        Assert.Equal("+262692123456", Assert.Single(twilio.Messages).To);
    }

    [Fact]
    public async Task Without_credentials_nothing_leaves_and_staff_find_the_messages_to_phone_instead()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await TestApp.StartAsync<TDb>(new() { ["Twilio:BaseUrl"] = twilio.BaseUrl.ToString() });
        await ReadyHoldAsync(app, Consenting);
        await ReadyHoldAsync(app, "P0004");
        await DispatchAsync(app);

        Assert.Equal(0, twilio.Posts);
        var staff = await app.StaffClientAsync("counter");
        var rows = await staff.GetFromJsonAsync<JsonElement[]>($"/api/sms-outbox?status=notConfigured&patronCardNumber={Consenting}&kind=holdReady");
        var row = Assert.Single(rows!);
        Assert.Equal(("notConfigured", SmsDispatcher.NotConfiguredReason, ConsentingPhone, 0),
            (row.GetProperty("status").GetString(), row.GetProperty("reason").GetString(), row.GetProperty("toNumber").GetString(),
             row.GetProperty("attempts").GetInt32())); // Twilio was not called: no attempt counted
        Assert.Equal("non envoyé : aucun fournisseur SMS configuré", SmsDispatcher.NotConfiguredReason);
        Assert.Equal(2, (await staff.GetFromJsonAsync<JsonElement[]>("/api/sms-outbox"))!.Length);
        Assert.Empty((await staff.GetFromJsonAsync<JsonElement[]>("/api/sms-outbox?status=sent"))!);
    }

    [Fact]
    public async Task The_outbox_list_is_for_staff_and_names_a_bad_filter()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        await ProblemAssert.IsProblemAsync(await app.CreateClient().GetAsync("/api/sms-outbox"), HttpStatusCode.Unauthorized);
        await ProblemAssert.IsProblemAsync(await (await PatronAsync(app, Consenting)).GetAsync("/api/sms-outbox"), HttpStatusCode.Forbidden);
        var staff = await app.StaffClientAsync("counter");
        await ProblemAssert.IsProblemAsync(await staff.GetAsync("/api/sms-outbox?patronCardNumber=NOPE"), HttpStatusCode.BadRequest, "invalid_request", "patronCardNumber");
        await ProblemAssert.IsProblemAsync(await staff.GetAsync("/api/sms-outbox?status=lost"), HttpStatusCode.BadRequest, "invalid_request", "status");
    }

    [Fact]
    public async Task Quiet_hours_hold_back_non_urgent_messages_until_half_past_eight_but_not_a_confirmation_the_patron_awaits()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await TestApp.StartAsync<TDb>(Settings(twilio));
        app.Clock.SetUtcNow(DateTimeOffset.Parse("2026-03-10T20:30:00Z")); // 21:30 in Paris
        await ReadyHoldAsync(app, "P0004");
        var (hold, _) = await HoldAsync(app, Consenting);
        var point = await PickupPointIdAsync(app, CentralAdults);
        await ReadAsync(await (await PatronAsync(app, Consenting)).PostAsJsonAsync("/api/appointments",
            new { pickupPointId = point, slotStart = Wednesday11, holdIds = new[] { hold } }), HttpStatusCode.Created);

        await DispatchAsync(app);
        var confirmation = Assert.Single(twilio.Messages);
        Assert.Equal(ConsentingPhone, confirmation.To);
        Assert.StartsWith("Rendez-vous mercredi", confirmation.Body);
        var ready = await OnlyAsync(app, SmsKinds.HoldReady);
        Assert.Equal(("pending", DateTimeOffset.Parse("2026-03-11T07:30:00Z")), (ready.Status, ready.NextAttemptAt));

        app.Clock.SetUtcNow(DateTimeOffset.Parse("2026-03-11T07:29:00Z"));
        await DispatchAsync(app);
        Assert.Single(twilio.Messages);
        app.Clock.SetUtcNow(DateTimeOffset.Parse("2026-03-11T07:30:00Z"));
        await DispatchAsync(app);
        Assert.Equal(2, twilio.Messages.Count);
    }

    [Fact]
    public async Task A_message_due_before_eight_but_picked_up_after_waits_for_the_morning_without_losing_an_attempt()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await TestApp.StartAsync<TDb>(Settings(twilio));
        app.Clock.SetUtcNow(DateTimeOffset.Parse("2026-03-10T18:59:00Z")); // 19:59 in Paris
        await EnqueueAsync(app, Consenting, "Bientôt la fermeture.", urgent: false);
        app.Clock.SetUtcNow(DateTimeOffset.Parse("2026-03-10T19:05:00Z")); // the dispatcher comes by at 20:05
        await DispatchAsync(app);

        Assert.Empty(twilio.Messages);
        var row = Assert.Single(await OutboxAsync(app));
        Assert.Equal(("pending", 0, DateTimeOffset.Parse("2026-03-11T07:30:00Z"), (DateTimeOffset?)null), (row.Status, row.Attempts, row.NextAttemptAt, row.ClaimedUntil));
    }

    [Fact]
    public async Task A_lockdown_that_suspends_reminders_keeps_queued_ones_from_being_sent()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await TestApp.StartAsync<TDb>(Settings(twilio));
        // What the lockdowns feature registers: here, reminders are suspended everywhere.
        await using var suspended = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<ISmsSuspension, ReminderSuspension>()));
        var dispatcher = suspended.Services.GetServices<IHostedService>().OfType<SmsDispatcher>().Single();
        await EnqueueAsync(app, Consenting, "Rappel : « Germinal » est à rendre depuis le 2 mars.", kind: SmsKinds.OverdueReminder);
        await EnqueueAsync(app, Consenting, "Votre rendez-vous est confirmé.", kind: SmsKinds.AppointmentBooked);

        await dispatcher.RunOnceAsync(default);

        Assert.Equal(["Votre rendez-vous est confirmé."], twilio.Messages.Select(m => m.Body));
        var overdue = await OnlyAsync(app, SmsKinds.OverdueReminder);
        Assert.Equal(("skipped", "relances suspendues (confinement)"), (overdue.Status, overdue.LastError));
    }

    sealed class ReminderSuspension : ISmsSuspension
    {
        public Task<string?> ReasonAsync(SmsSuspensionQuery message, DateTimeOffset now, CancellationToken ct) =>
            Task.FromResult(message.Kind == SmsKinds.OverdueReminder ? "relances suspendues (confinement)" : null);
    }
}

public sealed class NotificationEventsTests_Sqlite : NotificationEventsTests<SqliteTestDatabase>;
public sealed class NotificationEventsTests_Postgres : NotificationEventsTests<PostgresTestDatabase>;
