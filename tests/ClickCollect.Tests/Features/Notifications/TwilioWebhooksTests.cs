using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.Api.Features.Notifications;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using static ClickCollect.Tests.Features.Notifications.SmsKit;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Features.Notifications;

/// <summary>Signed calls from Twilio: delivery reports and inbound SMS; forged ones are refused.</summary>
public abstract class TwilioWebhooksTests<TDb> where TDb : ITestDatabase, new()
{
    const string Adults = "Médiathèque centrale – Adultes";

    /// <summary>Posts the form as Twilio would: signed with the auth token over the public URL and every parameter.</summary>
    static async Task<HttpResponseMessage> PostSignedAsync(TestApp app, string pathAndQuery, Dictionary<string, string> form,
        string token = FakeTwilio.AuthToken, string baseUrl = PublicBaseUrl, string? signature = null)
    {
        var client = app.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", signature ?? TwilioSigner.Sign(baseUrl + pathAndQuery, form, token));
        return await client.SendAsync(request);
    }

    static Dictionary<string, string> Inbound(string from, string body) => new()
    {
        ["MessageSid"] = "SM" + Guid.NewGuid().ToString("N"),
        ["AccountSid"] = FakeTwilio.AccountSid,
        ["From"] = from,
        ["To"] = FakeTwilio.From,
        ["Body"] = body,
        ["NumMedia"] = "0",
        ["NumSegments"] = "1",
        ["SmsStatus"] = "received",
        ["ApiVersion"] = "2010-04-01",
        ["FromCountry"] = "FR",
    };

    /// <summary>Texts the app from <paramref name="from"/>; returns the reply Twilio would send back.</summary>
    static async Task<string> TextAsync(TestApp app, string body, string from = ConsentingPhone)
    {
        var response = await PostSignedAsync(app, TwilioWebhooks.InboundPath, Inbound(from, body));
        var xml = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, xml);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        var prefix = """<?xml version="1.0" encoding="UTF-8"?><Response><Message>""";
        Assert.StartsWith(prefix, xml);
        Assert.EndsWith("</Message></Response>", xml);
        return System.Net.WebUtility.HtmlDecode(xml[prefix.Length..^"</Message></Response>".Length]);
    }

    static async Task<string> AppointmentStatusAsync(TestApp app, long id)
    {
        await using var c = await app.Service<Db>().OpenAsync(default);
        return await c.ExecuteScalarAsync<string>("select status from appointments where id = @id", new { id }) ?? "";
    }

    static async Task<long> BookAsync(TestApp app, string slotStart, string card = Consenting)
    {
        var (hold, _) = await HoldAsync(app, card);
        var point = await PickupPointIdAsync(app, CentralAdults);
        var booked = await ReadAsync(await (await PatronAsync(app, card)).PostAsJsonAsync("/api/appointments",
            new { pickupPointId = point, slotStart, holdIds = new[] { hold } }), HttpStatusCode.Created);
        return booked.GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task Signed_delivery_reports_move_a_message_on_and_never_back()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await TestApp.StartAsync<TDb>(Settings(twilio));
        await EnqueueAsync(app, Consenting, "Premier.");
        await EnqueueAsync(app, Consenting, "Second.");
        await DispatchAsync(app);
        var rows = await OutboxAsync(app);

        Dictionary<string, string> Report(OutboxRow row, string status, string? error = null)
        {
            var form = new Dictionary<string, string>
            {
                ["MessageSid"] = row.ProviderSid!,
                ["SmsSid"] = row.ProviderSid!,
                ["MessageStatus"] = status,
                ["SmsStatus"] = status,
                ["AccountSid"] = FakeTwilio.AccountSid,
                ["From"] = FakeTwilio.From,
                ["To"] = ConsentingPhone,
                ["ApiVersion"] = "2010-04-01",
            };
            if (error is not null) form["ErrorCode"] = error;
            return form;
        }
        foreach (var (row, status, error) in new[] { (rows[0], "sent", (string?)null), (rows[0], "delivered", null), (rows[0], "sent", null), (rows[1], "undelivered", "30003") })
        {
            var response = await PostSignedAsync(app, $"{TwilioWebhooks.StatusPath}?id={row.Id}", Report(row, status, error));
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        rows = await OutboxAsync(app);
        Assert.Equal(("delivered", "delivered"), (rows[0].Status, rows[0].ProviderStatus)); // the late "sent" changed nothing
        Assert.Equal(("undelivered", "undelivered", "30003 téléphone éteint ou injoignable"), (rows[1].Status, rows[1].ProviderStatus, rows[1].LastError));
    }

    [Fact]
    public async Task A_report_that_beats_the_dispatcher_finds_its_message_by_the_id_in_the_callback_url()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await TestApp.StartAsync<TDb>(Settings(twilio));
        await EnqueueAsync(app, Consenting, "Votre document est prêt.");
        var claimed = Assert.Single(await app.Service<DispatchStore>().ClaimAsync("busy", app.Clock.GetUtcNow(), TimeSpan.FromMinutes(2), 1, default));

        var response = await PostSignedAsync(app, $"{TwilioWebhooks.StatusPath}?id={claimed.Id}",
            new() { ["MessageSid"] = "SMearly", ["MessageStatus"] = "delivered", ["AccountSid"] = FakeTwilio.AccountSid });
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.True(await app.Service<DispatchStore>().MarkSentAsync(claimed.Id, "busy", "SMearly", "queued", app.Clock.GetUtcNow(), default));

        var row = Assert.Single(await OutboxAsync(app));
        Assert.Equal(("delivered", "SMearly", "delivered"), (row.Status, row.ProviderSid, row.ProviderStatus));
    }

    [Fact]
    public async Task Unsigned_or_forged_calls_are_refused_with_403_and_change_nothing()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await TestApp.StartAsync<TDb>(Settings(twilio));
        var form = Inbound(ConsentingPhone, "STOP");
        var signature = TwilioSigner.Sign(PublicBaseUrl + TwilioWebhooks.InboundPath, form, FakeTwilio.AuthToken);

        var unsigned = new HttpRequestMessage(HttpMethod.Post, TwilioWebhooks.InboundPath) { Content = new FormUrlEncodedContent(form) };
        await ProblemAssert.IsProblemAsync(await app.CreateClient().SendAsync(unsigned), HttpStatusCode.Forbidden, "bad_signature");
        await ProblemAssert.IsProblemAsync(await PostSignedAsync(app, TwilioWebhooks.InboundPath, form, token: "another-token"), HttpStatusCode.Forbidden, "bad_signature");
        await ProblemAssert.IsProblemAsync(await PostSignedAsync(app, TwilioWebhooks.InboundPath, form, baseUrl: "https://elsewhere.example.org"),
            HttpStatusCode.Forbidden, "bad_signature");
        await ProblemAssert.IsProblemAsync(await PostSignedAsync(app, TwilioWebhooks.InboundPath, new(form) { ["Body"] = "START" }, signature: signature),
            HttpStatusCode.Forbidden, "bad_signature");
        await ProblemAssert.IsProblemAsync(await PostSignedAsync(app, $"{TwilioWebhooks.StatusPath}?id=1",
            new() { ["MessageSid"] = "SM1", ["MessageStatus"] = "delivered" }, token: "guess"), HttpStatusCode.Forbidden, "bad_signature");

        await using var c = await app.Service<Db>().OpenAsync(default);
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("select count(*) from sms_opt_outs"));
    }

    [Fact]
    public async Task Without_an_auth_token_every_webhook_is_refused()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var form = Inbound(ConsentingPhone, "STOP");
        await ProblemAssert.IsProblemAsync(await PostSignedAsync(app, TwilioWebhooks.InboundPath, form, token: ""), HttpStatusCode.Forbidden, "bad_signature");
    }

    [Fact] // the handlers read the form themselves (#17's generated request delegates answered a non-form body with a 500)
    public async Task A_body_that_is_not_a_form_is_a_415_problem()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var client = app.CreateClient();
        foreach (var path in new[] { TwilioWebhooks.InboundPath, TwilioWebhooks.StatusPath })
            await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync(path, new { From = ConsentingPhone, Body = "STOP" }), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact] // #14 item 6: a signature proves who sent a request, not when; Twilio's MessageSid is handled once
    public async Task A_replayed_signed_ANNULER_or_OUI_does_nothing_to_a_newer_appointment()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await TestApp.StartAsync<TDb>(Settings(twilio));
        var thursday = await BookAsync(app, "2026-03-12T09:00:00+00:00");
        var annuler = Inbound(ConsentingPhone, "ANNULER");
        var oui = Inbound(ConsentingPhone, "OUI");
        Assert.Equal(HttpStatusCode.OK, (await PostSignedAsync(app, TwilioWebhooks.InboundPath, annuler)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostSignedAsync(app, TwilioWebhooks.InboundPath, oui)).StatusCode);
        Assert.Equal("cancelled", await AppointmentStatusAsync(app, thursday));

        var friday = await BookAsync(app, "2026-03-13T09:00:00+00:00");
        foreach (var replay in new[] { annuler, oui, annuler, oui })
        {
            var response = await PostSignedAsync(app, TwilioWebhooks.InboundPath, replay);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(TwilioWebhooks.EmptyTwiML, await response.Content.ReadAsStringAsync()); // no reply either
        }
        Assert.Equal("booked", await AppointmentStatusAsync(app, friday));
        Assert.StartsWith("Annuler le rendez-vous du vendredi 13 mars", await TextAsync(app, "ANNULER")); // a new message still works
    }

    [Fact] // #14 item 6
    public async Task A_delivery_report_is_handled_once_per_MessageSid_and_status()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await TestApp.StartAsync<TDb>(Settings(twilio));
        var report = new Dictionary<string, string> { ["MessageSid"] = "SMreplayed", ["MessageStatus"] = "delivered", ["AccountSid"] = FakeTwilio.AccountSid };
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.NoContent, (await PostSignedAsync(app, TwilioWebhooks.StatusPath, report)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent,
            (await PostSignedAsync(app, TwilioWebhooks.StatusPath, new(report) { ["MessageStatus"] = "read" })).StatusCode);

        await using var c = await app.Service<Db>().OpenAsync(default);
        Assert.Equal(["status:delivered", "status:read"],
            (await c.QueryAsync<string>("select event from webhook_messages where message_sid = 'SMreplayed' order by event")).ToArray());
    }

    [Fact] // #14 item 6: the signed URL is the configured public address, never the Host header a caller sends
    public async Task A_signature_over_the_address_the_caller_named_is_refused()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await TestApp.StartAsync<TDb>(Settings(twilio));
        var response = await PostSignedAsync(app, TwilioWebhooks.InboundPath, Inbound(ConsentingPhone, "aide"), baseUrl: "http://localhost");
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "bad_signature");
        Assert.Equal(HttpStatusCode.OK, (await PostSignedAsync(app, TwilioWebhooks.InboundPath, Inbound(ConsentingPhone, "aide"))).StatusCode);
    }

    [Fact]
    public async Task ICI_marks_the_arrival_for_todays_appointment_from_thirty_minutes_before()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await TestApp.StartAsync<TDb>(Settings(twilio));
        var id = await BookAsync(app, "2026-03-11T09:00:00+00:00"); // Wednesday 10:00 in Paris

        app.Clock.SetUtcNow(DateTimeOffset.Parse("2026-03-11T08:20:00Z"));
        Assert.Equal("Un peu en avance : répondez ICI à partir de 09h30.", await TextAsync(app, "Ici"));
        Assert.Equal("booked", await AppointmentStatusAsync(app, id));
        app.Clock.SetUtcNow(DateTimeOffset.Parse("2026-03-11T08:35:00Z"));
        Assert.Equal("Merci, c'est noté : nous vous apportons vos documents à la Médiathèque centrale - Adultes.", await TextAsync(app, " ici ! "));
        Assert.Equal("arrived", await AppointmentStatusAsync(app, id));
        Assert.Equal(Messages.AlreadyArrived, await TextAsync(app, "ICI"));
        app.Clock.SetUtcNow(DateTimeOffset.Parse("2026-03-12T08:35:00Z"));
        Assert.Equal(Messages.NoAppointmentToday, await TextAsync(app, "ICI"));
    }

    [Fact]
    public async Task ANNULER_asks_first_and_OUI_cancels_the_next_appointment()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await TestApp.StartAsync<TDb>(Settings(twilio));
        var thursday = await BookAsync(app, "2026-03-12T09:00:00+00:00");
        var friday = await BookAsync(app, "2026-03-13T09:00:00+00:00");

        Assert.Equal($"Annuler le rendez-vous du jeudi 12 mars à 10h00 à la Médiathèque centrale - Adultes ? Répondez OUI pour confirmer.", await TextAsync(app, "Annuler"));
        Assert.Equal("booked", await AppointmentStatusAsync(app, thursday));
        Assert.Equal("Rendez-vous du jeudi 12 mars à 10h00 annulé. Merci de nous avoir prévenus.", await TextAsync(app, "oui"));
        Assert.Equal(("cancelled", "booked"), (await AppointmentStatusAsync(app, thursday), await AppointmentStatusAsync(app, friday)));
        Assert.Equal(Messages.NothingToConfirm, await TextAsync(app, "OUI"));
        // The reply said it: no cancellation SMS on top.
        Assert.DoesNotContain(await OutboxAsync(app), r => r.Kind == SmsKinds.AppointmentCancelled);

        Assert.StartsWith("Annuler le rendez-vous du vendredi 13 mars", await TextAsync(app, "ANNULER"));
        app.Clock.Advance(TimeSpan.FromMinutes(16));              // the question expired
        Assert.Equal(Messages.NothingToConfirm, await TextAsync(app, "OUI"));
        Assert.StartsWith("Annuler le rendez-vous du vendredi 13 mars", await TextAsync(app, "annuler oui")); // asked again
        Assert.Equal("Rendez-vous du vendredi 13 mars à 10h00 annulé. Merci de nous avoir prévenus.", await TextAsync(app, "ANNULER OUI"));
        Assert.Equal("cancelled", await AppointmentStatusAsync(app, friday));
        Assert.Equal(Messages.NoAppointmentToCancel, await TextAsync(app, "ANNULER"));
    }

    [Fact]
    public async Task STOP_or_ARRET_opts_the_number_out_and_START_back_in()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await TestApp.StartAsync<TDb>(Settings(twilio));

        Assert.Equal(Messages.OptedOut, await TextAsync(app, "Arrêt"));
        await ReadyHoldAsync(app, Consenting);
        Assert.Equal(("skipped", "désinscrit par STOP"), ((await OnlyAsync(app, SmsKinds.HoldReady)).Status, (await OnlyAsync(app, SmsKinds.HoldReady)).LastError));
        Assert.Equal(Messages.OptedOut, await TextAsync(app, "STOP"));   // twice is harmless

        Assert.Equal(Messages.OptedIn, await TextAsync(app, "start"));
        await EnqueueAsync(app, Consenting, "De nouveau.");
        await DispatchAsync(app);
        Assert.Equal(["De nouveau."], twilio.Messages.Select(m => m.Body));
    }

    [Fact]
    public async Task Anything_else_gets_a_short_help_and_an_unknown_number_is_told_so()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await TestApp.StartAsync<TDb>(Settings(twilio));
        Assert.Equal(Messages.Help, await TextAsync(app, "Bonjour, mon livre est-il arrivé ?"));
        Assert.Equal(Messages.UnknownNumber, await TextAsync(app, "ICI", from: "+33699999999"));
        Assert.Equal(Messages.OptedOut, await TextAsync(app, "STOP", from: "+33699999999")); // STOP always works
        Assert.True(Messages.Help.Length <= 160);
    }
}

public sealed class TwilioWebhooksTests_Sqlite : TwilioWebhooksTests<SqliteTestDatabase>;
public sealed class TwilioWebhooksTests_Postgres : TwilioWebhooksTests<PostgresTestDatabase>;
