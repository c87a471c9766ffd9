using ClickCollect.Api.Features.Notifications;
using ClickCollect.Tests.Support;
using Microsoft.Extensions.Options;
using static ClickCollect.Tests.Features.Notifications.SmsKit;

namespace ClickCollect.Tests.Features.Notifications;

public sealed class SmsOptionsTests
{
    [Fact]
    public async Task Quiet_hours_and_delays_are_read_from_configuration()
    {
        await using var app = await TestApp.StartAsync(new()
        {
            ["Sms:QuietHoursStart"] = "21:30",
            ["Sms:QuietHoursEnd"] = "07:45",
            ["Sms:RetryBaseDelay"] = "00:01:00",
        });
        var o = app.Service<IOptions<SmsOptions>>().Value;
        Assert.Equal((new TimeOnly(21, 30), new TimeOnly(7, 45), TimeSpan.FromMinutes(1)), (o.QuietHoursStart, o.QuietHoursEnd, o.RetryBaseDelay));
        Assert.False(app.Service<IOptions<TwilioOptions>>().Value.IsConfigured);
    }

    [Theory]
    [InlineData("Twilio:AccountSid", "AC123", "set all three, or none")]
    [InlineData("Twilio:BaseUrl", "api.twilio.com", "Twilio:BaseUrl must be an http(s) URL")]
    [InlineData("Twilio:PublicBaseUrl", "/clickcollect", "Twilio:PublicBaseUrl must be an http(s) URL")]
    [InlineData("Sms:Lease", "00:00:30", "Sms:Lease must be at least three times Twilio:Timeout")]
    [InlineData("Sms:MaxAttempts", "0", "Sms:MaxAttempts and Sms:Parallelism must be positive")]
    public async Task A_wrong_setting_stops_the_start_and_says_which(string key, string value, string message)
    {
        await using var app = await TestApp.StartAsync(new() { [key] = value });
        var error = Assert.ThrowsAny<Exception>(() => app.Services);
        Assert.Contains(message, error is AggregateException a ? string.Join(" ", a.InnerExceptions.Select(e => e.Message)) : error.Message);
    }

    [Fact] // #14 item 6: without it, signatures would be checked against the Host header a caller sends
    public async Task Twilio_without_a_public_address_stops_the_start()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        var settings = twilio.Settings;
        settings.Remove("Twilio:PublicBaseUrl");
        await using var app = await TestApp.StartAsync(settings);
        var error = Assert.ThrowsAny<Exception>(() => app.Services);
        Assert.Contains("Twilio:PublicBaseUrl is required", error is AggregateException a ? string.Join(" ", a.InnerExceptions.Select(e => e.Message)) : error.Message);
    }

    [Fact]
    public async Task In_the_background_the_dispatcher_sends_what_is_due_at_each_tick()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await TestApp.StartAsync(Settings(twilio, ("Sms:RunInBackground", "true")));
        _ = app.Services; // the host starts; the dispatcher's first run finds nothing
        await EnqueueAsync(app, Consenting, "Envoyé sans qu'on le demande.");

        app.Clock.Advance(TimeSpan.FromSeconds(10));
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (twilio.Messages.Count == 0 && waited.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(50);

        Assert.Equal(["Envoyé sans qu'on le demande."], twilio.Messages.Select(m => m.Body));
    }
}
