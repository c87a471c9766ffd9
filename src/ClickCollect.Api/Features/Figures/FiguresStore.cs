using ClickCollect.Api.Features.Appointments;
using ClickCollect.Api.Features.Lockdowns;
using ClickCollect.Api.Features.Slots;
using ClickCollect.Api.Features.SurpriseSelections;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Figures;

/// <summary>
/// Reads what the figures count, grouped by the database (issue 11 item 4): appointments per pickup point,
/// local day and status, and per local weekday and hour; holds per pickup point, local day and channel;
/// hand-over and selection waits as counts per whole second. A year of a large network comes back as a few
/// thousand small rows, not one per appointment. Local days and hours are worked out in SQL from the offsets
/// <see cref="LocalTimeSql"/> gives, so they follow the same time-zone rules as the rest of the code.
/// </summary>
internal sealed class FiguresStore(Db db, SlotStore slots, LockdownStore lockdowns)
{
    const string PointsSql = """
        select p.id, p.kind, p.name, s.route_id, s.position
        from pickup_points p
        left join stops s on s.id = p.stop_id
        where @PickupPointId is null or p.id = @PickupPointId
        order by p.id
        """;
    const string ZoneSql = """
        select b.time_zone from branches b
        where @PickupPointId is null or b.id = (select branch_id from pickup_point_branches where pickup_point_id = @PickupPointId)
        order by b.id limit 1
        """;
    const string InRange = "slot_start >= @Start and slot_start < @End and (@PickupPointId is null or pickup_point_id = @PickupPointId)";

    static string AppointmentsSql(LocalTimeSql local) => $"""
        select pickup_point_id, status, {LocalTimeSql.Day("local_s")} as day, count(*) as n
        from (select pickup_point_id, status, {local.Local("e")} as local_s
              from (select pickup_point_id, status, {local.Epoch("slot_start")} as e from appointments where {InRange}) a) b
        group by pickup_point_id, status, {LocalTimeSql.Day("local_s")}
        """;
    static string BookedSql(LocalTimeSql local) => $"""
        select pickup_point_id, {LocalTimeSql.Weekday("local_s")} as weekday, {LocalTimeSql.Hour("local_s")} as hour, count(*) as n
        from (select pickup_point_id, {local.Local("e")} as local_s
              from (select pickup_point_id, {local.Epoch("slot_start")} as e from appointments
                    where status in {AppointmentStatuses.TakingPlaceSql} and {InRange}) a) b
        group by pickup_point_id, {LocalTimeSql.Weekday("local_s")}, {LocalTimeSql.Hour("local_s")}
        """;
    static string HoldsSql(LocalTimeSql local) => $"""
        select pickup_point_id, channel, {LocalTimeSql.Day("local_s")} as day, count(*) as n
        from (select pickup_point_id, channel, {local.Local("e")} as local_s
              from (select pickup_point_id, channel, {local.Epoch("created_at")} as e from holds
                    where created_at >= @Start and created_at < @End and (@PickupPointId is null or pickup_point_id = @PickupPointId)) h) b
        group by pickup_point_id, channel, {LocalTimeSql.Day("local_s")}
        """;
    static string HandOversSql(LocalTimeSql local) => $"""
        select {local.Seconds("arrived_at", "closed_at")} as seconds, count(*) as n from appointments
        where status = @Completed and arrived_at is not null and closed_at is not null and {InRange}
        group by {local.Seconds("arrived_at", "closed_at")}
        """;
    const string NotFoundSql = """
        select count(*) from not_found_reports
        where reported_at >= @Start and reported_at < @End and (@PickupPointId is null or pickup_point_id = @PickupPointId)
        """;
    const string SelectionWhere = "opens_at >= @Start and opens_at < @End and (@PickupPointId is null or pickup_point_id = @PickupPointId)";
    const string SelectionsSql = $"select status, count(*) as n from selection_requests where {SelectionWhere} group by status";
    static string SelectionWaitsSql(LocalTimeSql local) => $"""
        select {local.Seconds("opens_at", "confirmed_at")} as seconds, count(*) as n from selection_requests
        where status = @Confirmed and confirmed_at is not null and {SelectionWhere}
        group by {local.Seconds("opens_at", "confirmed_at")}
        """;
    // SMS belong to a branch, not a pickup point: for one pickup point, its branch's messages.
    const string SmsSql = """
        select status, count(*) as n, coalesce(sum(segments), 0) as segments from sms_outbox
        where created_at >= @Start and created_at < @End
          and (@PickupPointId is null or branch_id = (select branch_id from pickup_point_branches where pickup_point_id = @PickupPointId))
        group by status
        """;

    sealed class PointRow
    {
        public long Id { get; init; }
        public Network.PickupPointKind Kind { get; init; }
        public string Name { get; init; } = "";
        public long? RouteId { get; init; }
        public int? Position { get; init; }
    }

    /// <summary>The zone a range is read in: the pickup point's branch, else the network's first branch; null for an unknown pickup point.</summary>
    public async Task<TimeZoneInfo?> ZoneAsync(long? pickupPointId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var id = await c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(ZoneSql, new { PickupPointId = pickupPointId }, cancellationToken: ct));
        if (id is null) return pickupPointId is null ? TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris") : null;
        return TimeZoneInfo.FindSystemTimeZoneById(id);
    }

    public async Task<FiguresData> LoadAsync(TimeZoneInfo zone, DateOnly from, DateOnly to, long? pickupPointId, CancellationToken ct)
    {
        var start = SlotCalculator.ToUtc(from.ToDateTime(TimeOnly.MinValue), zone);
        var end = SlotCalculator.ToUtc(to.AddDays(1).ToDateTime(TimeOnly.MinValue), zone);
        var local = new LocalTimeSql(db.Dialect, zone, start, end);
        var args = new DynamicParameters(new
        {
            PickupPointId = pickupPointId,
            Start = start,
            End = end,
            Completed = DapperSetup.ToDb(AppointmentStatus.Completed),
            Confirmed = DapperSetup.ToDb(SelectionStatus.Confirmed),
        });
        local.AddTo(args);
        List<FigurePoint> points;
        List<AppointmentCount> appointments;
        List<BookedCount> booked;
        List<HoldCount> holds;
        List<DurationCount> handOvers;
        int notFound;
        List<SelectionCount> selections;
        List<DurationCount> waits;
        List<SmsCount> sms;
        await using (var c = await db.OpenAsync(ct))
        {
            CommandDefinition Command(string sql) => new(sql, args, cancellationToken: ct);
            points = (await c.QueryAsync<PointRow>(Command(PointsSql))).Select(p => new FigurePoint(p.Id, p.Kind, p.Name, p.RouteId, p.Position)).ToList();
            appointments = (await c.QueryAsync<AppointmentCount>(Command(AppointmentsSql(local)))).AsList();
            booked = (await c.QueryAsync<BookedCount>(Command(BookedSql(local)))).AsList();
            holds = (await c.QueryAsync<HoldCount>(Command(HoldsSql(local)))).AsList();
            handOvers = (await c.QueryAsync<DurationCount>(Command(HandOversSql(local)))).AsList();
            notFound = await c.ExecuteScalarAsync<int>(Command(NotFoundSql));
            selections = (await c.QueryAsync<SelectionCount>(Command(SelectionsSql))).AsList();
            waits = (await c.QueryAsync<DurationCount>(Command(SelectionWaitsSql(local)))).AsList();
            sms = (await c.QueryAsync<SmsCount>(Command(SmsSql))).AsList();
        }
        var offered = new Dictionary<long, IReadOnlyList<Slot>>();
        foreach (var point in points)
        {
            if (await slots.LoadAsync(point.Id, ct) is not { } calendar) continue;
            var periods = await lockdowns.PeriodsForPickupPointAsync(point.Id, ct);
            offered[point.Id] = calendar.Slots(from, to)
                .Select(s => s with { Capacity = LockdownRules.CappedCapacity(s.Capacity, SlotCalculator.LocalDate(s.Start, calendar.Zone), periods) })
                .ToList();
        }
        return new FiguresData(zone, points, appointments, booked, holds, handOvers, notFound, selections, waits, sms, offered);
    }
}
