using ClickCollect.Api.Features.Appointments;
using ClickCollect.Api.Features.Lockdowns;
using ClickCollect.Api.Features.Slots;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Figures;

/// <summary>
/// Reads what the figures count, already grouped by the database where it can (per slot and status,
/// per UTC hour and channel), so a year of a large network comes back as tens of thousands of small
/// rows, not one per appointment. Local dates are worked out in C# (<see cref="FiguresCalculator"/>),
/// where the time-zone rules are.
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
    const string AppointmentsSql = """
        select pickup_point_id, slot_start, status, count(*) as n
        from appointments
        where slot_start >= @Start and slot_start < @End and (@PickupPointId is null or pickup_point_id = @PickupPointId)
        group by pickup_point_id, slot_start, status
        """;
    static string HoldsSql(SqlDialect sql) => $"""
        select pickup_point_id, {sql.Pick("substr(created_at, 1, 13)", "to_char(created_at at time zone 'UTC', 'YYYY-MM-DD HH24')")} as hour,
               channel, count(*) as n
        from holds
        where created_at >= @Start and created_at < @End and (@PickupPointId is null or pickup_point_id = @PickupPointId)
        group by pickup_point_id, {sql.Pick("substr(created_at, 1, 13)", "to_char(created_at at time zone 'UTC', 'YYYY-MM-DD HH24')")}, channel
        """;
    const string HandOversSql = """
        select arrived_at, closed_at from appointments
        where status = @Completed and arrived_at is not null and closed_at is not null
          and slot_start >= @Start and slot_start < @End and (@PickupPointId is null or pickup_point_id = @PickupPointId)
        """;
    const string NotFoundSql = """
        select count(*) from not_found_reports
        where reported_at >= @Start and reported_at < @End and (@PickupPointId is null or pickup_point_id = @PickupPointId)
        """;
    const string SelectionsSql = """
        select opens_at, confirmed_at, status from selection_requests
        where opens_at >= @Start and opens_at < @End and (@PickupPointId is null or pickup_point_id = @PickupPointId)
        """;
    // SMS belong to a branch, not a pickup point: for one pickup point, its branch's messages.
    const string SmsSql = """
        select status, count(*) as n, coalesce(sum(segments), 0) as segments from sms_outbox
        where created_at >= @Start and created_at < @End
          and (@PickupPointId is null or branch_id = (select branch_id from pickup_point_branches where pickup_point_id = @PickupPointId))
        group by status
        """;

    sealed class HandOverRow { public DateTimeOffset ArrivedAt { get; init; } public DateTimeOffset ClosedAt { get; init; } }
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
        var args = new
        {
            PickupPointId = pickupPointId,
            Start = SlotCalculator.ToUtc(from.ToDateTime(TimeOnly.MinValue), zone),
            End = SlotCalculator.ToUtc(to.AddDays(1).ToDateTime(TimeOnly.MinValue), zone),
            Completed = DapperSetup.ToDb(AppointmentStatus.Completed),
        };
        List<FigurePoint> points;
        List<AppointmentCount> appointments;
        List<HoldCount> holds;
        List<TimeSpan> handOvers;
        int notFound;
        List<SelectionRow> selections;
        List<SmsCount> sms;
        await using (var c = await db.OpenAsync(ct))
        {
            CommandDefinition Command(string sql) => new(sql, args, cancellationToken: ct);
            points = (await c.QueryAsync<PointRow>(Command(PointsSql))).Select(p => new FigurePoint(p.Id, p.Kind, p.Name, p.RouteId, p.Position)).ToList();
            appointments = (await c.QueryAsync<AppointmentCount>(Command(AppointmentsSql))).AsList();
            holds = (await c.QueryAsync<HoldCount>(Command(HoldsSql(db.Dialect)))).AsList();
            handOvers = (await c.QueryAsync<HandOverRow>(Command(HandOversSql))).Select(h => h.ClosedAt - h.ArrivedAt).ToList();
            notFound = await c.ExecuteScalarAsync<int>(Command(NotFoundSql));
            selections = (await c.QueryAsync<SelectionRow>(Command(SelectionsSql))).AsList();
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
        return new FiguresData(zone, points, appointments, holds, handOvers, notFound, selections, sms, offered);
    }
}
