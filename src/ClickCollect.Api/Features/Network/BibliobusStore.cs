using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Network;

internal sealed class BibliobusStore(Db db)
{
    sealed class BusRow { public long Id { get; init; } public long HomeBranchId { get; init; } public string Name { get; init; } = ""; }
    sealed class RouteRow { public long Id { get; init; } public long BibliobusId { get; init; } public string Name { get; init; } = ""; }
    sealed class StopRow
    {
        public long Id { get; init; }
        public long RouteId { get; init; }
        public string Name { get; init; } = "";
        public string Address { get; init; } = "";
        public int Position { get; init; }
        public long PickupPointId { get; init; }
    }
    sealed class VisitRow { public long StopId { get; init; } public int Weekday { get; init; } public TimeOnly ArrivesAt { get; init; } public TimeOnly DepartsAt { get; init; } }
    sealed class ExceptionRow
    {
        public long StopId { get; init; }
        public DateOnly OnDate { get; init; }
        public StopExceptionKind Kind { get; init; }
        public TimeOnly? ArrivesAt { get; init; }
        public TimeOnly? DepartsAt { get; init; }
        public string Note { get; init; } = "";
    }

    const string BusesSql = "select id, home_branch_id, name from bibliobuses order by name, id";
    const string RoutesSql = "select id, bibliobus_id, name from routes order by name, id";
    const string StopsSql = """
        select s.id, s.route_id, s.name, s.address, s.position, p.id as pickup_point_id
        from stops s join pickup_points p on p.stop_id = s.id
        order by s.route_id, s.position
        """;
    const string VisitsSql = "select stop_id, weekday, arrives_at, departs_at from stop_schedules order by stop_id, weekday, arrives_at";
    const string ExceptionsSql = "select stop_id, on_date, kind, arrives_at, departs_at, note from stop_exceptions order by stop_id, on_date";

    /// <summary>Every bibliobus with its routes, stops (in route order), weekly visits and date exceptions.</summary>
    public async Task<IReadOnlyList<BibliobusResponse>> ListAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var buses = await c.QueryAsync<BusRow>(new CommandDefinition(BusesSql, cancellationToken: ct));
        var routes = (await c.QueryAsync<RouteRow>(new CommandDefinition(RoutesSql, cancellationToken: ct))).ToLookup(r => r.BibliobusId);
        var stops = (await c.QueryAsync<StopRow>(new CommandDefinition(StopsSql, cancellationToken: ct))).ToLookup(s => s.RouteId);
        var visits = (await c.QueryAsync<VisitRow>(new CommandDefinition(VisitsSql, cancellationToken: ct))).ToLookup(v => v.StopId);
        var exceptions = (await c.QueryAsync<ExceptionRow>(new CommandDefinition(ExceptionsSql, cancellationToken: ct))).ToLookup(e => e.StopId);

        StopResponse Stop(StopRow s) => new(s.Id, s.RouteId, s.Name, s.Address, s.Position, s.PickupPointId,
            visits[s.Id].Select(v => new StopVisit(v.Weekday, v.ArrivesAt, v.DepartsAt)).ToList(),
            exceptions[s.Id].Select(e => new StopException(e.OnDate, e.Kind, e.ArrivesAt, e.DepartsAt, e.Note)).ToList());
        return buses.Select(b => new BibliobusResponse(b.Id, b.HomeBranchId, b.Name,
            routes[b.Id].Select(r => new RouteResponse(r.Id, r.BibliobusId, r.Name, stops[r.Id].Select(Stop).ToList())).ToList())).ToList();
    }

    public async Task<StopResponse?> GetStopAsync(long stopId, CancellationToken ct) =>
        (await ListAsync(ct)).SelectMany(b => b.Routes).SelectMany(r => r.Stops).FirstOrDefault(s => s.Id == stopId);

    const string InsertBusSql = "insert into bibliobuses (home_branch_id, name) values (@HomeBranchId, @Name) returning id";
    const string UpdateBusSql = "update bibliobuses set home_branch_id = @HomeBranchId, name = @Name where id = @Id";

    public Task<long> CreateAsync(UnitOfWork uow, BibliobusRequest bus, CancellationToken ct) =>
        uow.QuerySingleAsync<long>(InsertBusSql, bus, ct);

    public Task<int> UpdateAsync(UnitOfWork uow, long id, BibliobusRequest bus, CancellationToken ct) =>
        uow.ExecuteAsync(UpdateBusSql, new { Id = id, bus.HomeBranchId, bus.Name }, ct);

    const string InsertRouteSql = "insert into routes (bibliobus_id, name) select id, @Name from bibliobuses where id = @BibliobusId returning id";
    const string UpdateRouteSql = "update routes set name = @Name where id = @Id";

    /// <summary>Null when the bibliobus does not exist.</summary>
    public Task<long?> CreateRouteAsync(UnitOfWork uow, long bibliobusId, string name, CancellationToken ct) =>
        uow.QuerySingleOrDefaultAsync<long?>(InsertRouteSql, new { BibliobusId = bibliobusId, Name = name }, ct);

    public Task<int> UpdateRouteAsync(UnitOfWork uow, long id, string name, CancellationToken ct) =>
        uow.ExecuteAsync(UpdateRouteSql, new { Id = id, Name = name }, ct);

    const string PositionTakenSql = "select count(*) from stops where route_id = @RouteId and position = @Position and id <> @Id";
    const string InsertStopSql = """
        insert into stops (route_id, name, address, position) select id, @Name, @Address, @Position from routes where id = @RouteId returning id
        """;
    const string InsertStopPickupSql = """
        insert into pickup_points (kind, stop_id, name, active) values ('bibliobusStop', @StopId, @Name, @Active) returning id
        """;
    const string UpdateStopSql = "update stops set name = @Name, address = @Address, position = @Position where id = @Id";
    const string StopRouteSql = "select route_id from stops where id = @Id";
    const string DeleteVisitsSql = "delete from stop_schedules where stop_id = @StopId";
    const string InsertVisitSql = """
        insert into stop_schedules (stop_id, weekday, arrives_at, departs_at) values (@StopId, @Weekday, @ArrivesAt, @DepartsAt)
        """;

    internal abstract record StopOutcome
    {
        public sealed record Saved(long StopId) : StopOutcome;
        public sealed record NotFound : StopOutcome;
        public sealed record PositionTaken : StopOutcome;
    }

    /// <summary>A stop is where patrons collect from the bibliobus: it comes with its pickup point.</summary>
    public async Task<StopOutcome> CreateStopAsync(UnitOfWork uow, long routeId, StopRequest stop, string pickupPointName, CancellationToken ct)
    {
        if (await uow.QuerySingleAsync<long>(PositionTakenSql, new { RouteId = routeId, stop.Position, Id = 0L }, ct) > 0)
            return new StopOutcome.PositionTaken();
        var id = await uow.QuerySingleOrDefaultAsync<long?>(InsertStopSql,
            new { RouteId = routeId, stop.Name, Address = stop.Address ?? "", stop.Position }, ct);
        if (id is null) return new StopOutcome.NotFound();
        await uow.ExecuteAsync(InsertStopPickupSql, new { StopId = id, Name = pickupPointName, Active = true }, ct);
        await ReplaceScheduleAsync(uow, id.Value, stop.Schedule ?? [], ct);
        return new StopOutcome.Saved(id.Value);
    }

    public async Task<StopOutcome> UpdateStopAsync(UnitOfWork uow, long id, StopRequest stop, CancellationToken ct)
    {
        var routeId = await uow.QuerySingleOrDefaultAsync<long?>(StopRouteSql, new { Id = id }, ct);
        if (routeId is null) return new StopOutcome.NotFound();
        if (await uow.QuerySingleAsync<long>(PositionTakenSql, new { RouteId = routeId, stop.Position, Id = id }, ct) > 0)
            return new StopOutcome.PositionTaken();
        await uow.ExecuteAsync(UpdateStopSql, new { Id = id, stop.Name, Address = stop.Address ?? "", stop.Position }, ct);
        if (stop.Schedule is not null) await ReplaceScheduleAsync(uow, id, stop.Schedule, ct);
        return new StopOutcome.Saved(id);
    }

    async Task ReplaceScheduleAsync(UnitOfWork uow, long stopId, IReadOnlyList<StopVisit> schedule, CancellationToken ct)
    {
        await uow.ExecuteAsync(DeleteVisitsSql, new { StopId = stopId }, ct);
        foreach (var v in schedule)
            await uow.ExecuteAsync(InsertVisitSql, new { StopId = stopId, v.Weekday, v.ArrivesAt, v.DepartsAt }, ct);
    }

    const string UpsertExceptionSql = """
        insert into stop_exceptions (stop_id, on_date, kind, arrives_at, departs_at, note)
        select id, @Date, @Kind, @ArrivesAt, @DepartsAt, @Note from stops where id = @StopId
        on conflict (stop_id, on_date) do update
        set kind = excluded.kind, arrives_at = excluded.arrives_at, departs_at = excluded.departs_at, note = excluded.note
        """;
    const string DeleteExceptionSql = "delete from stop_exceptions where stop_id = @StopId and on_date = @Date";

    /// <summary>Rows affected: 0 when the stop does not exist.</summary>
    public Task<int> SetExceptionAsync(UnitOfWork uow, long stopId, StopException e, CancellationToken ct) =>
        uow.ExecuteAsync(UpsertExceptionSql, new
        {
            StopId = stopId,
            e.Date,
            e.Kind,
            ArrivesAt = e.Kind == StopExceptionKind.Changed ? e.ArrivesAt : null,
            DepartsAt = e.Kind == StopExceptionKind.Changed ? e.DepartsAt : null,
            Note = e.Note ?? "",
        }, ct);

    public Task<int> DeleteExceptionAsync(UnitOfWork uow, long stopId, DateOnly date, CancellationToken ct) =>
        uow.ExecuteAsync(DeleteExceptionSql, new { StopId = stopId, Date = date }, ct);
}
