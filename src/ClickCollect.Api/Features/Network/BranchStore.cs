using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Network;

internal sealed class BranchStore(Db db)
{
    const string ExistsSql = "select count(*) from branches where id = @Id";

    public async Task<bool> ExistsAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(ExistsSql, new { Id = id }, cancellationToken: ct)) > 0;
    }

    const string TimeZoneSql = "select time_zone from branches where id = @Id";

    /// <summary>The phone region national numbers are read in for this branch's patrons (FR without a branch).</summary>
    public async Task<string> PhoneRegionAsync(long? id, CancellationToken ct)
    {
        if (id is null) return Patrons.PhoneNumber.DefaultRegion;
        await using var c = await db.OpenAsync(ct);
        return Patrons.PhoneNumber.RegionOf(await c.ExecuteScalarAsync<string?>(new CommandDefinition(TimeZoneSql, new { Id = id }, cancellationToken: ct)));
    }

    const string ListSql = "select id, code, name, time_zone, address, phone, closed_weekdays from branches order by name, id";
    const string ListCountersSql = """
        select c.id, c.branch_id, c.name, p.id as pickup_point_id
        from counters c join pickup_points p on p.counter_id = c.id
        order by c.branch_id, c.name, c.id
        """;

    public async Task<IReadOnlyList<BranchResponse>> ListAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var branches = await c.QueryAsync<BranchRow>(new CommandDefinition(ListSql, cancellationToken: ct));
        var counters = (await c.QueryAsync<CounterRow>(new CommandDefinition(ListCountersSql, cancellationToken: ct))).ToLookup(r => r.BranchId);
        return branches.Select(b => b.ToResponse(counters[b.Id].Select(r => r.ToResponse()).ToList())).ToList();
    }

    public async Task<BranchResponse?> GetAsync(long id, CancellationToken ct) =>
        (await ListAsync(ct)).FirstOrDefault(b => b.Id == id);

    sealed class CounterClosureRow
    {
        public long CounterId { get; init; }
        public DateOnly? StartsOn { get; init; }
        public DateOnly? EndsOn { get; init; }
    }

    const string ClosedWeekdaysSql = "select closed_weekdays from branches where id = @Id";
    const string CounterClosuresSql = """
        select c.id as counter_id, cl.starts_on, cl.ends_on
        from counters c
        join pickup_points p on p.counter_id = c.id
        left join closures cl on cl.pickup_point_id = p.id and cl.ends_on >= @From
        where c.branch_id = @Id
        """;

    /// <summary>The branch's weekly closing days and its counters' closures from <paramref name="from"/> on.</summary>
    public async Task<BranchOpening> OpeningAsync(UnitOfWork uow, long id, DateOnly from, CancellationToken ct)
    {
        var weekdays = await uow.QuerySingleOrDefaultAsync<string>(ClosedWeekdaysSql, new { Id = id }, ct) ?? "";
        var rows = await uow.QueryAsync<CounterClosureRow>(CounterClosuresSql, new { Id = id, From = from }, ct);
        var perCounter = rows.GroupBy(r => r.CounterId)
            .Select(g => (IReadOnlyList<Slots.Closure>)g.Where(r => r.StartsOn is not null).Select(r => new Slots.Closure(r.StartsOn!.Value, r.EndsOn!.Value)).ToList())
            .ToList();
        return new BranchOpening(Weekdays.Parse(weekdays), perCounter);
    }

    const string InsertSql = """
        insert into branches (code, name, time_zone, address, phone, closed_weekdays)
        select @Code, @Name, @TimeZone, @Address, @Phone, coalesce(@ClosedWeekdays, '')
        where not exists (select 1 from branches where code = @Code)
        returning id
        """;

    /// <summary>Creates the branch; null when the code is taken.</summary>
    public Task<long?> CreateAsync(UnitOfWork uow, BranchRequest b, CancellationToken ct) =>
        uow.QuerySingleOrDefaultAsync<long?>(InsertSql, Parameters(b, 0), ct);

    const string UpdateSql = """
        update branches set code = @Code, name = @Name, time_zone = @TimeZone, address = @Address, phone = @Phone,
            closed_weekdays = coalesce(@ClosedWeekdays, closed_weekdays)
        where id = @Id and not exists (select 1 from branches where code = @Code and id <> @Id)
        """;

    /// <summary>Rows affected: 0 when the branch does not exist or the new code belongs to another branch.</summary>
    public Task<int> UpdateAsync(UnitOfWork uow, long id, BranchRequest b, CancellationToken ct) =>
        uow.ExecuteAsync(UpdateSql, Parameters(b, id), ct);

    static object Parameters(BranchRequest b, long id) => new
    {
        Id = id,
        b.Code,
        b.Name,
        TimeZone = string.IsNullOrEmpty(b.TimeZone) ? BranchRequest.DefaultTimeZone : b.TimeZone,
        Address = b.Address ?? "",
        Phone = b.Phone ?? "",
        ClosedWeekdays = b.ClosedWeekdays is null ? null : Weekdays.Format(b.ClosedWeekdays),
    };

    const string InsertCounterSql = "insert into counters (branch_id, name) values (@BranchId, @Name) returning id";
    const string InsertCounterPickupSql = """
        insert into pickup_points (kind, counter_id, name, active) values ('counter', @CounterId, @Name, @Active) returning id
        """;

    /// <summary>A counter is where patrons collect: it comes with its pickup point.</summary>
    public async Task<CounterResponse> CreateCounterAsync(UnitOfWork uow, long branchId, string name, string pickupPointName, CancellationToken ct)
    {
        var id = await uow.QuerySingleAsync<long>(InsertCounterSql, new { BranchId = branchId, Name = name }, ct);
        var pickupPointId = await uow.QuerySingleAsync<long>(InsertCounterPickupSql, new { CounterId = id, Name = pickupPointName, Active = true }, ct);
        return new CounterResponse(id, branchId, name, pickupPointId);
    }

    const string UpdateCounterSql = "update counters set name = @Name where id = @Id";

    public Task<int> UpdateCounterAsync(UnitOfWork uow, long id, string name, CancellationToken ct) =>
        uow.ExecuteAsync(UpdateCounterSql, new { Id = id, Name = name }, ct);

    const string BranchNameSql = "select name from branches where id = @Id";

    public Task<string?> NameAsync(UnitOfWork uow, long id, CancellationToken ct) =>
        uow.QuerySingleOrDefaultAsync<string>(BranchNameSql, new { Id = id }, ct);
}
