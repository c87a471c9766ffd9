using ClickCollect.Api.Features.Network;
using ClickCollect.Api.Features.Slots;

namespace ClickCollect.Api.Features.PickLists;

/// <summary>Builds a day's pick list for a pickup point, or a route day's load list for a bibliobus.</summary>
internal sealed class PickListService(PickListStore store, PickupPointStore points, BibliobusStore bibliobuses, SlotStore slots, TimeProvider clock)
{
    public const string Pick = "pick", Load = "load";

    public async Task<PickListResponse?> PickListAsync(long pickupPointId, DateOnly date, bool publicVariant, CancellationToken ct)
    {
        if (await points.GetAsync(pickupPointId, ct) is not { } point) return null;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(point.TimeZone);
        var (start, end) = Day(date, zone);
        var rows = await store.RowsAsync([pickupPointId], start, end, ct);
        var (prints, last) = await store.PrintsAsync(Pick, pickupPointId, date, ct);
        var groups = PickListBuilder.PickGroups(rows, await store.WalkOrderAsync(ct), last, publicVariant, zone);
        return Response("Liste de retrait", Pick, pickupPointId, null, point.Name, point.BranchName, date, point.TimeZone, publicVariant, groups, prints);
    }

    public async Task<PickListResponse?> LoadListAsync(long routeId, DateOnly date, bool publicVariant, CancellationToken ct)
    {
        var buses = await bibliobuses.ListAsync(ct);
        var bus = buses.FirstOrDefault(b => b.Routes.Any(r => r.Id == routeId));
        if (bus is null) return null;
        var route = bus.Routes.Single(r => r.Id == routeId);
        var home = (await points.GetAsync(route.Stops.FirstOrDefault()?.PickupPointId ?? 0, ct));
        var zoneId = home?.TimeZone ?? BranchRequest.DefaultTimeZone;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var (start, end) = Day(date, zone);

        // Only the stops the bibliobus visits that day (weekly visits, date exceptions, closures).
        var visited = new List<long>();
        foreach (var stop in route.Stops)
            if (await slots.LoadAsync(stop.PickupPointId, ct) is { } calendar && calendar.IsOpen(date)) visited.Add(stop.PickupPointId);
        var rows = await store.RowsAsync(visited, start, end, ct);
        var (prints, last) = await store.PrintsAsync(Load, routeId, date, ct);
        var groups = PickListBuilder.LoadGroups(rows, last, publicVariant, zone);
        return Response("Liste de chargement", Load, null, routeId, $"{bus.Name} — {route.Name}", home?.BranchName ?? "", date, zoneId, publicVariant, groups, prints);
    }

    PickListResponse Response(string title, string kind, long? pickupPointId, long? routeId, string place, string branch, DateOnly date, string zone,
        bool publicVariant, IReadOnlyList<PickListGroup> groups, IReadOnlyList<PrintRecord> prints) =>
        new(kind, title, pickupPointId, routeId, place, branch, date, zone, clock.GetUtcNow(), publicVariant, groups,
            groups.Sum(g => g.Lines.Count), groups.Sum(g => g.Lines.Count(l => l.Picked)), prints);

    static (DateTimeOffset Start, DateTimeOffset End) Day(DateOnly date, TimeZoneInfo zone) =>
        (SlotCalculator.ToUtc(date.ToDateTime(TimeOnly.MinValue), zone), SlotCalculator.ToUtc(date.AddDays(1).ToDateTime(TimeOnly.MinValue), zone));
}
