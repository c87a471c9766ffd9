using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.Tests.Support;

namespace ClickCollect.BrowserTests.Support;

/// <summary>
/// Situations the journeys start from, arranged through the real API as other patrons and staff would
/// (holds placed, slots booked, holds made ready), so the page is checked against what the app really does.
/// </summary>
static class Arrange
{
    /// <summary><paramref name="day"/> March 2026 at <paramref name="hour"/>:<paramref name="minute"/> in Paris (UTC+1 until the 29th).</summary>
    public static DateTimeOffset Paris(int day, int hour, int minute = 0) => new(2026, 3, day, hour, minute, 0, TimeSpan.FromHours(1));

    public static async Task<JsonElement> HoldAsync(TestApp app, string cardNumber, long titleId, long pickupPointId)
    {
        var patron = await Library.PatronAsync(app, cardNumber);
        return await Library.ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId, pickupPointId }), HttpStatusCode.Created);
    }

    public static async Task<JsonElement> BookAsync(TestApp app, string cardNumber, long pickupPointId, DateTimeOffset slotStart, params long[] holdIds)
    {
        var patron = await Library.PatronAsync(app, cardNumber);
        return await Library.ReadAsync(await patron.PostAsJsonAsync("/api/appointments", new { pickupPointId, slotStart, holdIds }),
            HttpStatusCode.Created);
    }

    /// <summary>Patrons <paramref name="cards"/> each reserve a copy of a new title and all book <paramref name="slotStart"/>.</summary>
    public static async Task FillAsync(TestApp app, long pickupPointId, DateTimeOffset slotStart, params string[] cards)
    {
        var (title, _) = await Library.TitleAsync(app, cards.Select(_ => "CENTRALE").ToArray());
        foreach (var card in cards)
        {
            var hold = await HoldAsync(app, card, title, pickupPointId);
            await BookAsync(app, card, pickupPointId, slotStart, Id(hold));
        }
    }

    public static async Task<JsonElement> ReadyAsync(TestApp app, long holdId)
    {
        var staff = await app.StaffClientAsync("counter");
        return await Library.ReadAsync(await staff.PostAsync($"/api/holds/{holdId}/ready", null), HttpStatusCode.OK);
    }

    public static long Id(JsonElement element) => element.GetProperty("id").GetInt64();

    public static string Status(JsonElement element) => element.GetProperty("status").GetString()!;
}
