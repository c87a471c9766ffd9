using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using ClickCollect.Api.Features.Lockdowns;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Features.Slots;

/// <summary>
/// The slot calendar's answer as far as the configuration decides it, computed once per pickup point and period (#17:
/// each GET derived some 300 slots from the templates, converted each to UTC, applied the lockdown caps and wrote every
/// date out again, 60 % of the request). A window is built from a <see cref="PickupCalendar"/> and lockdown periods,
/// the very objects <see cref="Infrastructure.Caching.ConfigurationCache"/> hands out, and is used only with those same
/// objects: once the configuration changes (or the cache's entry expires) the cache hands out new ones and the window
/// is built again, so a closure, an opening or a lockdown shows at once. The places taken are not part of it: they come
/// from the per-slot counts the bookings keep in the database (slot_places), through <see cref="SlotPlacesCache"/>, which
/// every booking, move and cancellation invalidates (on PostgreSQL on every app instance, by NOTIFY), so a booked place
/// shows at once here and as soon as the notification arrives on another instance.
/// </summary>
internal sealed class SlotWindows(IOptions<JsonOptions> json)
{
    const int MaxEntries = 1_000;

    readonly ConcurrentDictionary<(long PickupPointId, DateOnly First, DateOnly End), SlotWindow> windows = new();

    /// <summary>The slots of the local dates <paramref name="first"/> to <paramref name="end"/>, with their capacity under the lockdowns.</summary>
    public SlotWindow For(PickupCalendar calendar, IReadOnlyList<LockdownPeriod> periods, DateOnly first, DateOnly end)
    {
        var key = (calendar.PickupPointId, first, end);
        if (windows.TryGetValue(key, out var window) && ReferenceEquals(window.Calendar, calendar) && ReferenceEquals(window.Periods, periods))
            return window;
        window = new SlotWindow(calendar, periods, first, end, json.Value.SerializerOptions);
        if (windows.Count >= MaxEntries) windows.Clear(); // old periods and pickup points no one asks for any more
        windows[key] = window;
        return window;
    }
}

/// <summary>
/// The slots of one window, each with its capacity (a lockdown's cap shows as the slot's capacity, issue 5) and its
/// <see cref="SlotResponse"/> already in JSON but for the two counts that change with every booking.
/// </summary>
internal sealed class SlotWindow
{
    // Serialized with these two in place of the counts, then cut there: the rest is the options' own output.
    const int BookedMark = int.MinValue, RemainingMark = int.MinValue + 1;

    readonly byte[][] heads, middles, tails;

    public SlotWindow(PickupCalendar calendar, IReadOnlyList<LockdownPeriod> periods, DateOnly first, DateOnly end, JsonSerializerOptions options)
    {
        (Calendar, Periods) = (calendar, periods);
        Slots = calendar.Slots(first, end);
        Capacities = new int[Slots.Count];
        (heads, middles, tails) = (new byte[Slots.Count][], new byte[Slots.Count][], new byte[Slots.Count][]);
        byte[] booked = Utf8(BookedMark), remaining = Utf8(RemainingMark);
        for (var i = 0; i < Slots.Count; i++)
        {
            var s = Slots[i];
            Capacities[i] = LockdownRules.CappedCapacity(s.Capacity, SlotCalculator.LocalDate(s.Start, calendar.Zone), periods);
            ReadOnlySpan<byte> whole = JsonSerializer.SerializeToUtf8Bytes(new SlotResponse(s.Start, s.End, Capacities[i], BookedMark, RemainingMark, s.MaxItems), options);
            var atBooked = whole.IndexOf(booked);
            var afterBooked = atBooked + booked.Length;
            var atRemaining = afterBooked + whole[afterBooked..].IndexOf(remaining);
            if (atBooked < 0 || atRemaining < afterBooked) throw new InvalidOperationException("A slot's JSON lost its counts: " + System.Text.Encoding.UTF8.GetString(whole));
            heads[i] = whole[..atBooked].ToArray();
            middles[i] = whole[afterBooked..atRemaining].ToArray();
            tails[i] = whole[(atRemaining + remaining.Length)..].ToArray();
        }
    }

    public PickupCalendar Calendar { get; }

    public IReadOnlyList<LockdownPeriod> Periods { get; }

    /// <summary>Every slot of the window, bookable now or not (<see cref="PickupCalendar.IsBookable"/>), in time order.</summary>
    public IReadOnlyList<Slot> Slots { get; }

    /// <summary>The capacity of each slot of <see cref="Slots"/>, capped by the lockdowns in force that day.</summary>
    public int[] Capacities { get; }

    /// <summary>The positions in <see cref="Slots"/> of the slots a patron may book <paramref name="now"/>.</summary>
    public List<int> Bookable(DateTimeOffset now)
    {
        var bookable = new List<int>(Slots.Count);
        for (var i = 0; i < Slots.Count; i++)
            if (Calendar.IsBookable(Slots[i], now)) bookable.Add(i);
        return bookable;
    }

    static byte[] Utf8(int value) => System.Text.Encoding.UTF8.GetBytes(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>The JSON array of <see cref="SlotResponse"/> of the slots at <paramref name="indexes"/>, with these places taken.</summary>
    internal byte[] Json(IReadOnlyList<int> indexes, IReadOnlyDictionary<DateTimeOffset, int> taken)
    {
        var length = 2 + Math.Max(0, indexes.Count - 1);
        foreach (var i in indexes)
        {
            var booked = taken.GetValueOrDefault(Slots[i].Start);
            length += heads[i].Length + middles[i].Length + tails[i].Length + Digits(booked) + Digits(Math.Max(0, Capacities[i] - booked));
        }
        var json = new byte[length];
        var at = 0;
        json[at++] = (byte)'[';
        for (var n = 0; n < indexes.Count; n++)
        {
            var i = indexes[n];
            if (n > 0) json[at++] = (byte)',';
            var booked = taken.GetValueOrDefault(Slots[i].Start);
            Append(heads[i]);
            AppendNumber(booked);
            Append(middles[i]);
            AppendNumber(Math.Max(0, Capacities[i] - booked));
            Append(tails[i]);
        }
        json[at++] = (byte)']';
        return json;

        void Append(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(json.AsSpan(at));
            at += bytes.Length;
        }

        void AppendNumber(int value)
        {
            value.TryFormat(json.AsSpan(at), out var written, default, CultureInfo.InvariantCulture);
            at += written;
        }
    }

    static int Digits(int value)
    {
        var digits = 1;
        for (; value >= 10; value /= 10) digits++;
        return digits;
    }
}

/// <summary>
/// A JSON body written as is (the slot calendar's, <see cref="SlotWindow.Json"/>), documented in OpenAPI as the
/// <typeparamref name="T"/> it holds, exactly as <c>TypedResults.Ok&lt;T&gt;</c> would be.
/// </summary>
internal sealed class PreparedJson<T>(byte[] utf8) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public int? StatusCode => StatusCodes.Status200OK;

    public string ContentType => "application/json; charset=utf-8";

    internal byte[] Utf8 => utf8;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.ContentLength = utf8.Length;
        await response.Body.WriteAsync(utf8, httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
}
