using System.Diagnostics;
using ClickCollect.Api.Features.Notifications;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Xunit.Abstractions;
using static ClickCollect.Tests.Features.Notifications.SmsKit;
using Answer = ClickCollect.Tests.Support.FakeTwilio.Answer;

namespace ClickCollect.Tests.Features.Notifications;

/// <summary>Faults are retried and never doubled; refusals are final; several dispatchers share the work.</summary>
public abstract class SmsDispatcherTests<TDb>(ITestOutputHelper output) where TDb : ITestDatabase, new()
{
    static async Task<(FakeTwilio Twilio, TestApp App)> StartAsync(params (string Key, string? Value)[] settings)
    {
        var twilio = await FakeTwilio.StartAsync();
        var app = await TestApp.StartAsync<TDb>(Settings(twilio, settings));
        twilio.Clock = app.Clock.GetUtcNow;
        return (twilio, app);
    }

    [Fact]
    public async Task Busy_and_failing_answers_are_retried_with_exponential_backoff_then_the_message_goes_once()
    {
        var (twilio, app) = await StartAsync();
        await using var _ = twilio;
        await using var __ = app;
        twilio.Then(new Answer.Error(429, 20429, "Too Many Requests"), new Answer.Error(500, 20500, "Internal Server Error"),
            new Answer.Error(503, 20503, "Service Unavailable"));
        await EnqueueAsync(app, Consenting, "Votre carte expire bientôt.");
        var start = app.Clock.GetUtcNow();
        var attempts = new List<double>();
        async Task TryAsync()
        {
            var before = twilio.Posts;
            await DispatchAsync(app);
            if (twilio.Posts > before) attempts.Add((app.Clock.GetUtcNow() - start).TotalSeconds);
        }

        await TryAsync();
        var row = Assert.Single(await OutboxAsync(app));
        Assert.Equal(("pending", 1, start.AddSeconds(30)), (row.Status, row.Attempts, row.NextAttemptAt));
        Assert.Equal("20429 trop de requêtes vers Twilio (Too Many Requests)", row.LastError);
        app.Clock.Advance(TimeSpan.FromSeconds(29));
        await TryAsync();                                   // not yet
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await TryAsync();                                   // 500: it may have been taken
        row = Assert.Single(await OutboxAsync(app));
        Assert.Equal((2, start.AddSeconds(30 + 60)), (row.Attempts, row.NextAttemptAt));
        Assert.NotNull(row.DoubtSince);
        app.Clock.Advance(TimeSpan.FromSeconds(60));
        await TryAsync();                                   // asks Twilio first, then 503
        app.Clock.Advance(TimeSpan.FromSeconds(120));
        await TryAsync();                                   // asks again, then sent

        Assert.Equal([0, 30, 90, 210], attempts);
        output.WriteLine($"attempts at (s): {string.Join(", ", attempts)}");
        var sms = Assert.Single(twilio.Messages);
        row = Assert.Single(await OutboxAsync(app));
        Assert.Equal(("sent", 4, sms.Sid, (DateTimeOffset?)null), (row.Status, row.Attempts, row.ProviderSid, row.DoubtSince));
        Assert.Equal(2, twilio.Lookups);
        Assert.Empty(twilio.Complaints);
    }

    [Theory]
    [InlineData(400, 21211, "numéro de destinataire invalide")]
    [InlineData(400, 21610, "destinataire désinscrit (il a répondu STOP)")]
    [InlineData(400, 21614, "ce numéro n'est pas un mobile")]
    [InlineData(400, 21612, "numéro injoignable par SMS")]
    [InlineData(400, 21408, "pays non autorisé sur le compte Twilio")]
    [InlineData(400, 21606, "l'expéditeur (From) ne peut pas envoyer de SMS")]
    [InlineData(401, 20003, "authentification Twilio refusée (AccountSid ou AuthToken)")]
    public async Task Twilio_refusals_are_final_and_keep_their_reason(int status, int code, string french)
    {
        var (twilio, app) = await StartAsync();
        await using var _ = twilio;
        await using var __ = app;
        twilio.Then(new Answer.Error(status, code, "Twilio says no"));
        await EnqueueAsync(app, Consenting, "Votre document est prêt.");

        await DispatchAsync(app);
        app.Clock.Advance(TimeSpan.FromHours(2));
        await DispatchAsync(app);

        Assert.Equal(1, twilio.Posts);
        var row = Assert.Single(await OutboxAsync(app));
        Assert.Equal(("failed", 1, $"{code} {french} (Twilio says no)"), (row.Status, row.Attempts, row.LastError));
        // 21610: Twilio says the number answered STOP; we stop too.
        await EnqueueAsync(app, Consenting, "Et celui-ci ?");
        var next = (await OutboxAsync(app))[^1];
        Assert.Equal(code == 21610 ? "skipped" : "pending", next.Status);
    }

    [Fact]
    public async Task After_the_last_attempt_the_message_is_failed_with_the_last_reason()
    {
        var (twilio, app) = await StartAsync(("Sms:MaxAttempts", "3"));
        await using var _ = twilio;
        await using var __ = app;
        twilio.Then(new Answer.Error(429, 20429, "Too Many Requests", RetryAfter: "45"), new Answer.Error(429, 20429, "Too Many Requests"),
            new Answer.Error(429, 20429, "Too Many Requests"));
        await EnqueueAsync(app, Consenting, "Votre document est prêt.");

        await DispatchAsync(app);
        Assert.Equal(app.Clock.GetUtcNow().AddSeconds(45), Assert.Single(await OutboxAsync(app)).NextAttemptAt); // Retry-After wins over 30 s
        for (var i = 0; i < 5; i++)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(10));
            await DispatchAsync(app);
        }

        Assert.Equal(3, twilio.Posts);
        var row = Assert.Single(await OutboxAsync(app));
        Assert.Equal(("failed", "abandonné après 3 tentatives : 20429 trop de requêtes vers Twilio (Too Many Requests)"), (row.Status, row.LastError));
    }

    [Fact]
    public async Task A_timeout_after_twilio_took_the_message_is_settled_by_asking_twilio_not_by_sending_again()
    {
        // 3 s, not less: on a loaded machine a shorter timeout can expire before the post even reaches the fake,
        // and a message Twilio never took is rightly sent again (that case has its own test below).
        var (twilio, app) = await StartAsync(("Twilio:Timeout", "00:00:03"), ("Sms:Lease", "00:01:00"));
        await using var _ = twilio;
        await using var __ = app;
        twilio.Then(new Answer.TakeThenHang());
        await EnqueueAsync(app, Consenting, "Votre document est prêt.");

        await DispatchAsync(app);
        Assert.True(twilio.Taken.Task.IsCompleted, "the fake Twilio took the message before the dispatcher gave up");
        var row = Assert.Single(await OutboxAsync(app));
        Assert.Equal(("pending", "pas de réponse de Twilio en 3 s"), (row.Status, row.LastError));
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        await DispatchAsync(app);

        var sms = Assert.Single(twilio.Messages);
        Assert.Equal(1, twilio.Posts);
        row = Assert.Single(await OutboxAsync(app));
        Assert.Equal(("sent", sms.Sid), (row.Status, row.ProviderSid));
    }

    [Fact]
    public async Task A_delivery_report_that_never_came_is_fetched_by_sid_after_half_an_hour()
    {
        var (twilio, app) = await StartAsync();
        await using var _ = twilio;
        await using var __ = app;
        await EnqueueAsync(app, Consenting, "Votre document vous attend.");
        await EnqueueAsync(app, Consenting, "Votre rendez-vous est demain.");
        await DispatchAsync(app);
        var (lost, pending) = (twilio.Messages[0], twilio.Messages[1]);
        twilio.Deliveries[lost.Sid] = ("undelivered", 30003);   // the callback saying so never reached us
        twilio.Deliveries[pending.Sid] = ("sent", null);         // the carrier has not answered yet

        app.Clock.Advance(TimeSpan.FromMinutes(29));
        await DispatchAsync(app);
        Assert.Equal(0, twilio.Fetches);                        // the callback still has time
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await DispatchAsync(app);
        Assert.Equal(2, twilio.Fetches);
        var rows = await OutboxAsync(app);
        var undelivered = Assert.Single(rows, r => r.ProviderSid == lost.Sid);
        Assert.Equal(("undelivered", "undelivered"), (undelivered.Status, undelivered.ProviderStatus));
        Assert.Contains("30003", undelivered.LastError);
        Assert.Equal("sent", Assert.Single(rows, r => r.ProviderSid == pending.Sid).Status);

        await DispatchAsync(app);
        Assert.Equal(2, twilio.Fetches);                        // asked again only half an hour later
        twilio.Deliveries[pending.Sid] = ("delivered", null);
        app.Clock.Advance(TimeSpan.FromMinutes(31));
        await DispatchAsync(app);
        Assert.Equal(3, twilio.Fetches);
        Assert.Equal("delivered", Assert.Single(await OutboxAsync(app), r => r.ProviderSid == pending.Sid).Status);
        Assert.Empty(twilio.Complaints);
    }

    [Fact]
    public async Task A_dropped_connection_before_or_after_twilio_took_the_message_ends_with_exactly_one_message()
    {
        var (twilio, app) = await StartAsync();
        await using var _ = twilio;
        await using var __ = app;

        twilio.Then(new Answer.Drop());                      // not taken: the retry must send
        await EnqueueAsync(app, Consenting, "Premier message.");
        await DispatchAsync(app);
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        await DispatchAsync(app);

        twilio.Then(new Answer.TakeThenDrop());              // taken: the retry must not send
        await EnqueueAsync(app, Consenting, "Second message.");
        await DispatchAsync(app);
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        await DispatchAsync(app);

        Assert.Equal(["Premier message.", "Second message."], twilio.Messages.Select(m => m.Body));
        Assert.Equal(3, twilio.Posts);
        var rows = await OutboxAsync(app);
        Assert.All(rows, r => Assert.Equal("sent", r.Status));
        Assert.Equal(twilio.Messages.Select(m => m.Sid), rows.Select(r => r.ProviderSid));
    }

    [Fact]
    public async Task A_message_with_the_same_words_sent_the_day_before_is_not_taken_for_the_one_in_doubt()
    {
        var (twilio, app) = await StartAsync();
        await using var _ = twilio;
        await using var __ = app;
        await EnqueueAsync(app, Consenting, "Votre document est prêt.");
        await DispatchAsync(app);                            // yesterday's, delivered
        app.Clock.Advance(TimeSpan.FromDays(1));

        twilio.Then(new Answer.Drop());                      // today's is not taken
        await EnqueueAsync(app, Consenting, "Votre document est prêt.");
        await DispatchAsync(app);
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        await DispatchAsync(app);                            // Twilio lists yesterday's: too old to be this one

        Assert.Equal((2, 3, 1), (twilio.Messages.Count, twilio.Posts, twilio.Lookups));
        var rows = await OutboxAsync(app);
        Assert.Equal(twilio.Messages.Select(m => m.Sid), rows.Select(r => r.ProviderSid));
    }

    [Fact]
    public async Task A_dispatcher_killed_after_claiming_before_sending_leaves_the_message_to_the_next_one_which_sends_it_once()
    {
        var (twilio, app) = await StartAsync();
        await using var _ = twilio;
        await using var __ = app;
        await EnqueueAsync(app, Consenting, "Votre document est prêt.");
        var claimed = await app.Service<DispatchStore>().ClaimAsync("killed-instance", app.Clock.GetUtcNow(), TimeSpan.FromMinutes(2), 10, default);
        Assert.Single(claimed);

        await DispatchAsync(app);
        Assert.Equal(0, twilio.Posts);                        // the lease still holds
        app.Clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        await DispatchAsync(app);

        var sms = Assert.Single(twilio.Messages);
        var row = Assert.Single(await OutboxAsync(app));
        Assert.Equal(("sent", sms.Sid, 2, app.Worker<SmsDispatcher>().Name), (row.Status, row.ProviderSid, row.Attempts, row.ClaimedBy));
        Assert.Equal(1, twilio.Lookups);                      // it asked Twilio before sending
    }

    [Fact]
    public async Task A_dispatcher_killed_while_twilio_took_the_message_does_not_get_it_sent_twice()
    {
        var (twilio, app) = await StartAsync();
        await using var _ = twilio;
        await using var __ = app;
        twilio.Then(new Answer.TakeThenHang());
        await EnqueueAsync(app, Consenting, "Votre document est prêt.");

        using var kill = new CancellationTokenSource();
        var running = app.Worker<SmsDispatcher>().RunOnceAsync(kill.Token);
        await twilio.Taken.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await kill.CancelAsync();                             // the process dies between Twilio's 201 and our UPDATE
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Equal("sending", Assert.Single(await OutboxAsync(app)).Status);

        await using var restarted = TestApp.StartOn(app, Settings(twilio));
        restarted.Clock.Advance(TimeSpan.FromMinutes(3));
        await DispatchAsync(restarted);

        var sms = Assert.Single(twilio.Messages);
        Assert.Equal(1, twilio.Posts);
        var row = Assert.Single(await OutboxAsync(restarted));
        Assert.Equal(("sent", sms.Sid, restarted.Worker<SmsDispatcher>().Name), (row.Status, row.ProviderSid, row.ClaimedBy));
    }

    [Fact]
    public async Task Two_dispatchers_on_the_same_database_send_each_message_once()
    {
        var (twilio, first) = await StartAsync();
        await using var _ = twilio;
        await using var __ = first;
        await using var second = TestApp.StartOn(first, Settings(twilio));
        await DispatchAsync(first);  // both started and connected before the race, not during it
        await DispatchAsync(second);
        twilio.Latency = TimeSpan.FromMilliseconds(10);
        const int count = 120;
        for (var i = 0; i < count; i++) await EnqueueAsync(first, Consenting, $"Message n° {i}");

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(DispatchAsync(first), DispatchAsync(second), DispatchAsync(first), DispatchAsync(second));
        clock.Stop();

        Assert.Equal(count, twilio.Posts);
        Assert.Equal(count, twilio.Messages.Select(m => m.Body).Distinct().Count());
        var rows = await OutboxAsync(first);
        Assert.All(rows, r => Assert.Equal("sent", r.Status));
        Assert.Equal(twilio.Messages.Select(m => m.Sid).Order(), rows.Select(r => r.ProviderSid!).Order());
        var byInstance = rows.GroupBy(r => r.ClaimedBy).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(2, byInstance.Count);                    // both took part
        output.WriteLine($"{count} messages, 2 dispatchers × 2 loops, 10 ms per call: {clock.ElapsedMilliseconds} ms " +
            $"({count / clock.Elapsed.TotalSeconds:0} msg/s); split {string.Join(" / ", byInstance.Values)}");
    }

    [Fact]
    public async Task Dispatch_throughput_against_the_fake_server()
    {
        var (twilio, app) = await StartAsync();
        await using var _ = twilio;
        await using var __ = app;
        const int count = 300;
        for (var i = 0; i < count; i++) await EnqueueAsync(app, Consenting, $"Message n° {i}");

        var clock = Stopwatch.StartNew();
        await DispatchAsync(app);
        clock.Stop();

        Assert.Equal(count, twilio.Messages.Count);
        output.WriteLine($"{typeof(TDb).Name}: {count} messages in {clock.ElapsedMilliseconds} ms, {count / clock.Elapsed.TotalSeconds:0} msg/s (one dispatcher, 4 at a time)");
    }

    [Fact]
    public async Task A_messaging_service_sender_goes_as_MessagingServiceSid()
    {
        var (twilio, app) = await StartAsync(("Twilio:From", "MG0000000000000000000000000000beef"));
        await using var _ = twilio;
        await using var __ = app;
        await EnqueueAsync(app, Consenting, "Votre document est prêt.");
        await DispatchAsync(app);

        var sms = Assert.Single(twilio.Messages);
        Assert.Equal(("MG0000000000000000000000000000beef", (string?)null), (sms.MessagingServiceSid, sms.From));
        Assert.Equal("accepted", Assert.Single(await OutboxAsync(app)).ProviderStatus);
        Assert.Empty(twilio.Complaints);
    }
}

public sealed class SmsDispatcherTests_Sqlite(ITestOutputHelper output) : SmsDispatcherTests<SqliteTestDatabase>(output);
public sealed class SmsDispatcherTests_Postgres(ITestOutputHelper output) : SmsDispatcherTests<PostgresTestDatabase>(output);
