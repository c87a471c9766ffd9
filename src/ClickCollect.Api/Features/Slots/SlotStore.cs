using ClickCollect.Api.Features.Appointments;
using ClickCollect.Api.Features.Network;
using ClickCollect.Api.Infrastructure.Caching;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Slots;

internal sealed class SlotStore(Db db, PickupPointStore pickupPoints, ConfigurationCache cache, SlotPlacesCache places)
{
    sealed class PointRow
    {
        public long Id { get; init; }
        public PickupPointKind Kind { get; init; }
        public long? StopId { get; init; }
        public string TimeZone { get; init; } = "";
        public int LeadTimeMinutes { get; init; }
        public int HorizonDays { get; init; }
        public int PickupOpenDays { get; init; }
        public int StopSlotMinutes { get; init; }
        public int StopSlotCapacity { get; init; }
        public string ClosedWeekdays { get; init; } = "";
    }

    sealed class VisitRow { public int Weekday { get; init; } public TimeOnly ArrivesAt { get; init; } public TimeOnly DepartsAt { get; init; } }
    sealed class ExceptionRow { public DateOnly OnDate { get; init; } public string Kind { get; init; } = ""; public TimeOnly? ArrivesAt { get; init; } public TimeOnly? DepartsAt { get; init; } }
    sealed class WindowRow
    {
        public int Weekday { get; init; }
        public TimeOnly StartsAt { get; init; }
        public TimeOnly EndsAt { get; init; }
        public int SlotMinutes { get; init; }
        public int Capacity { get; init; }
        public int? MaxItems { get; init; }
    }
    sealed class ClosureRow { public long Id { get; init; } public DateOnly StartsOn { get; init; } public DateOnly EndsOn { get; init; } public string Reason { get; init; } = ""; }

    const string PointSql = """
        select p.id, p.kind, p.stop_id, b.time_zone, p.lead_time_minutes, p.horizon_days, p.pickup_open_days,
               p.stop_slot_minutes, p.stop_slot_capacity, case when p.kind = 'counter' then b.closed_weekdays else '' end as closed_weekdays
        from pickup_points p
        left join counters c on c.id = p.counter_id
        left join stops s on s.id = p.stop_id
        left join routes r on r.id = s.route_id
        left join bibliobuses v on v.id = r.bibliobus_id
        join branches b on b.id = coalesce(c.branch_id, v.home_branch_id)
        where p.id = @Id
        """;
    const string WindowsSql = """
        select weekday, starts_at, ends_at, slot_minutes, capacity, max_items from slot_templates
        where pickup_point_id = @Id order by weekday, starts_at
        """;
    const string VisitsSql = "select weekday, arrives_at, departs_at from stop_schedules where stop_id = @StopId";
    const string ExceptionsSql = "select on_date, kind, arrives_at, departs_at from stop_exceptions where stop_id = @StopId";
    const string ClosuresSql = "select id, starts_on, ends_on, reason from closures where pickup_point_id = @Id order by starts_on, id";

    /// <summary>The pickup point's calendar, from <see cref="ConfigurationCache"/> when it holds it (5 queries otherwise).</summary>
    public Task<PickupCalendar?> LoadAsync(long pickupPointId, CancellationToken ct) =>
        cache.GetOrLoadAsync("calendar", pickupPointId, () => ReadAsync(pickupPointId, ct));

    async Task<PickupCalendar?> ReadAsync(long pickupPointId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var p = await c.QuerySingleOrDefaultAsync<PointRow>(new CommandDefinition(PointSql, new { Id = pickupPointId }, cancellationToken: ct));
        if (p is null) return null;
        var args = new { p.Id, p.StopId };
        var windows = await c.QueryAsync<WindowRow>(new CommandDefinition(WindowsSql, args, cancellationToken: ct));
        var visits = p.StopId is null ? [] : await c.QueryAsync<VisitRow>(new CommandDefinition(VisitsSql, args, cancellationToken: ct));
        var exceptions = p.StopId is null ? [] : await c.QueryAsync<ExceptionRow>(new CommandDefinition(ExceptionsSql, args, cancellationToken: ct));
        var closures = await c.QueryAsync<ClosureRow>(new CommandDefinition(ClosuresSql, args, cancellationToken: ct));
        var closedWeekdays = Weekdays.Parse(p.ClosedWeekdays); // the branch's weekly closing days (counters only)
        return new PickupCalendar(p.Id, p.Kind, TimeZoneInfo.FindSystemTimeZoneById(p.TimeZone), TimeSpan.FromMinutes(p.LeadTimeMinutes),
            p.HorizonDays, p.PickupOpenDays, p.StopSlotMinutes, p.StopSlotCapacity,
            windows.Where(w => !closedWeekdays.Contains(w.Weekday))
                .Select(w => new OpeningWindow(w.Weekday, w.StartsAt, w.EndsAt, w.SlotMinutes, w.Capacity, w.MaxItems)).ToList(),
            visits.Select(v => (v.Weekday, v.ArrivesAt, v.DepartsAt)).ToList(),
            exceptions.Select(e => (e.OnDate, e.Kind == "cancelled", e.ArrivesAt, e.DepartsAt)).ToList(),
            closures.Select(x => new ClosureResponse(x.Id, x.StartsOn, x.EndsOn, x.Reason)).ToList());
    }

    const string DeleteWindowsSql = "delete from slot_templates where pickup_point_id = @Id";
    const string InsertWindowSql = """
        insert into slot_templates (pickup_point_id, weekday, starts_at, ends_at, slot_minutes, capacity, max_items)
        values (@Id, @Weekday, @StartsAt, @EndsAt, @SlotMinutes, @Capacity, @MaxItems)
        """;

    /// <summary>Rows affected: 0 when the pickup point does not exist.</summary>
    public async Task<int> SaveOpeningAsync(UnitOfWork uow, long id, OpeningRequest r, CancellationToken ct)
    {
        cache.Changed();
        var updated = await pickupPoints.SaveSlotSettingsAsync(uow, id,
            new SlotSettings(r.LeadTimeMinutes, r.HorizonDays, r.PickupOpenDays, r.StopSlotMinutes, r.StopSlotCapacity), ct);
        if (updated == 0) return 0;
        await uow.ExecuteAsync(DeleteWindowsSql, new { Id = id }, ct);
        foreach (var w in r.Windows)
            await uow.ExecuteAsync(InsertWindowSql, new { Id = id, w.Weekday, w.StartsAt, w.EndsAt, w.SlotMinutes, w.Capacity, w.MaxItems }, ct);
        return updated;
    }

    const string InsertClosureSql = """
        insert into closures (pickup_point_id, starts_on, ends_on, reason)
        select id, @StartsOn, @EndsOn, @Reason from pickup_points where id = @Id
        returning id
        """;
    const string DeleteClosureSql = "delete from closures where id = @ClosureId and pickup_point_id = @Id";

    public Task<long?> AddClosureAsync(UnitOfWork uow, long id, ClosureRequest r, CancellationToken ct)
    {
        cache.Changed();
        return uow.QuerySingleOrDefaultAsync<long?>(InsertClosureSql, new { Id = id, r.StartsOn, r.EndsOn, Reason = r.Reason ?? "" }, ct);
    }

    public Task<int> DeleteClosureAsync(UnitOfWork uow, long id, long closureId, CancellationToken ct)
    {
        cache.Changed();
        return uow.ExecuteAsync(DeleteClosureSql, new { Id = id, ClosureId = closureId }, ct);
    }

    sealed class BookedRow { public DateTimeOffset SlotStart { get; init; } public int Taken { get; init; } }

    // The places taken per slot as AppointmentStore keeps them (slot_places, #17): one row per slot read by its key,
    // where counting the fortnight's appointments grew with the bookings.
    const string BookedSql = """
        select slot_start, taken from slot_places
        where pickup_point_id = @Id and slot_start >= @From and slot_start < @To and taken > 0
        """;

    /// <summary>
    /// Appointments holding a place (<see cref="AppointmentStatuses.TakingPlace"/>), per slot start, in [from, to): from
    /// <see cref="SlotPlacesCache"/> while it is exact, else from the database.
    /// </summary>
    public Task<Dictionary<DateTimeOffset, int>> BookedAsync(long id, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        places.GetOrReadAsync(id, from, to, () => ReadBookedAsync(id, from, to, ct));

    async Task<Dictionary<DateTimeOffset, int>> ReadBookedAsync(long id, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<BookedRow>(new CommandDefinition(BookedSql, new { Id = id, From = from, To = to }, cancellationToken: ct));
        return rows.ToDictionary(r => r.SlotStart, r => r.Taken);
    }
}
