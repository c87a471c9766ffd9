using System.Net;
using System.Net.Http.Json;
using ClickCollect.Api.Features.Notifications;
using ClickCollect.Api.Features.Patrons;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using Dapper;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Features.Notifications;

/// <summary>An outbox row as the tests read it straight from the table.</summary>
public sealed class OutboxRow
{
    public long Id { get; init; }
    public long? PatronId { get; init; }
    public string? ToNumber { get; init; }
    public string Kind { get; init; } = "";
    public string Body { get; init; } = "";
    public bool Urgent { get; init; }
    public string Status { get; init; } = "";
    public string? DedupeKey { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset NextAttemptAt { get; init; }
    public string? ClaimedBy { get; init; }
    public DateTimeOffset? ClaimedUntil { get; init; }
    public string? ProviderSid { get; init; }
    public string? ProviderStatus { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? DoubtSince { get; init; }
    public DateTimeOffset? SentAt { get; init; }
}

/// <summary>Arranging and reading SMS situations: apps wired to a <see cref="FakeTwilio"/>, events, the outbox.</summary>
internal static class SmsKit
{
    public const string PublicBaseUrl = "https://bibliotheque.example.fr";
    /// <summary>Demo patron P0002: a mobile number and SMS consent.</summary>
    public const string Consenting = "P0002";
    public const string ConsentingPhone = "+33612345602";

    /// <summary>Settings for an app that sends through <paramref name="fake"/> and asks for status callbacks.</summary>
    public static Dictionary<string, string?> Settings(FakeTwilio? fake, params (string Key, string? Value)[] more)
    {
        var settings = fake?.Settings ?? [];
        settings["Twilio:PublicBaseUrl"] = PublicBaseUrl;
        foreach (var (key, value) in more) settings[key] = value;
        return settings;
    }

    public static async Task<IReadOnlyList<OutboxRow>> OutboxAsync(TestApp app)
    {
        await using var c = await app.Service<Db>().OpenAsync(default);
        return (await c.QueryAsync<OutboxRow>("""
            select id, patron_id, to_number, kind, body, urgent, status, dedupe_key, attempts, next_attempt_at, claimed_by, claimed_until,
                   provider_sid, provider_status, last_error, doubt_since, sent_at
            from sms_outbox order by id
            """)).AsList();
    }

    public static async Task<OutboxRow> OnlyAsync(TestApp app, string kind) => Assert.Single(await OutboxAsync(app), r => r.Kind == kind);

    public static Task DispatchAsync(TestApp app) => app.Worker<SmsDispatcher>().RunOnceAsync(default);

    /// <summary>A hold on a new title with a copy at the central library, for the adult counter; returns its id and title.</summary>
    public static async Task<(long Id, string Title)> HoldAsync(TestApp app, string card)
    {
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var (title, _) = await TitleAsync(app, "CENTRALE");
        var hold = await ReadAsync(await (await PatronAsync(app, card)).PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = adults }), HttpStatusCode.Created);
        return (hold.GetProperty("id").GetInt64(), hold.GetProperty("title").GetString()!);
    }

    /// <summary>A hold picked and staged by counter staff (POST /api/holds/{id}/ready).</summary>
    public static async Task<(long Id, string Title)> ReadyHoldAsync(TestApp app, string card)
    {
        var hold = await HoldAsync(app, card);
        var staff = app.ClientAs(new Api.Infrastructure.Auth.CurrentUser(1, Api.Infrastructure.Auth.Roles.Counter, "Comptoir", null));
        await ReadAsync(await staff.PostAsync($"/api/holds/{hold.Id}/ready", null), HttpStatusCode.OK);
        return hold;
    }

    /// <summary>A message queued the way other features do (OutboxStore.EnqueueAsync in a unit of work).</summary>
    public static async Task<bool> EnqueueAsync(TestApp app, string card, string body, bool urgent = true, string kind = "test",
        string? dedupeKey = null, long? branchId = null)
    {
        var patron = (await app.Service<PatronStore>().FindByCardAsync(card, default))!;
        var now = app.Clock.GetUtcNow();
        return await app.Service<Db>().WriteAsync(uow => app.Service<OutboxStore>().EnqueueAsync(uow,
            new OutboxMessage(patron.Id, kind, body, now, urgent, dedupeKey, branchId), now, default), default);
    }

    public static async Task OptOutAsync(TestApp app, string phone) =>
        await app.Service<OutboxStore>().OptOutAsync(phone, "sms", app.Clock.GetUtcNow(), default);
}
