using ClickCollect.Api.Infrastructure.Caching;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Network;

/// <summary>How a pickup point's slots are offered (Slots: OpeningRequest).</summary>
internal sealed record SlotSettings(int LeadTimeMinutes, int HorizonDays, int PickupOpenDays, int StopSlotMinutes, int StopSlotCapacity);

internal sealed class PickupPointStore(Db db, ConfigurationCache cache)
{
    // A stop's stock comes from its bibliobus's home branch (DESIGN: "its stock comes from there").
    const string SelectSql = """
        select p.id, p.kind, p.name, p.active, p.counter_id, p.stop_id,
               b.id as branch_id, b.name as branch_name, b.time_zone
        from pickup_points p
        left join counters c on c.id = p.counter_id
        left join stops s on s.id = p.stop_id
        left join routes r on r.id = s.route_id
        left join bibliobuses v on v.id = r.bibliobus_id
        join branches b on b.id = coalesce(c.branch_id, v.home_branch_id)
        """;

    const string ListSql = SelectSql + """

        where p.active = @Active or @All
        order by b.name, p.kind, p.name, p.id
        """;

    public async Task<IReadOnlyList<PickupPointRow>> ListAsync(bool includeInactive, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<PickupPointRow>(new CommandDefinition(ListSql, new { Active = true, All = includeInactive }, cancellationToken: ct))).AsList();
    }

    const string GetSql = SelectSql + "\nwhere p.id = @Id";

    public async Task<PickupPointRow?> GetAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<PickupPointRow>(new CommandDefinition(GetSql, new { Id = id }, cancellationToken: ct));
    }

    sealed record Branch(long Id)
    {
        public static Branch? Of(PickupPointRow? point) => point is null ? null : new(point.BranchId);
    }

    /// <summary>
    /// The branch whose stock serves the pickup point (a counter's branch, a bibliobus's home branch), or null when there
    /// is no such pickup point: read by key (the pickup_point_branches view, joined on every hold and booking, took
    /// PostgreSQL longer to plan than to run, #17) and cached with the rest of the network's configuration
    /// (<see cref="ConfigurationCache"/>), so the holds and bookings that ask it on every request run no query for it.
    /// </summary>
    public async Task<long?> BranchOfAsync(long pickupPointId, CancellationToken ct) =>
        (await cache.GetOrLoadAsync("branch", pickupPointId, async () => Branch.Of(await GetAsync(pickupPointId, ct))))?.Id;

    /// <summary>
    /// <see cref="BranchOfAsync(long, CancellationToken)"/> for a caller inside a unit of work: when the cache does not hold it,
    /// it is read through the unit of work's connection (asking the pool for a second connection while holding one could
    /// leave every request waiting for another's under load on PostgreSQL).
    /// </summary>
    public async Task<long?> BranchOfAsync(UnitOfWork uow, long pickupPointId, CancellationToken ct) =>
        (await cache.GetOrLoadAsync("branch", pickupPointId, async () =>
            Branch.Of(await uow.QuerySingleOrDefaultAsync<PickupPointRow>(GetSql, new { Id = pickupPointId }, ct))))?.Id;

    const string UpdateSql = "update pickup_points set name = @Name, active = @Active where id = @Id";

    public Task<int> UpdateAsync(UnitOfWork uow, long id, PickupPointRequest request, CancellationToken ct) =>
        uow.ExecuteAsync(UpdateSql, new { Id = id, request.Name, request.Active }, ct);

    const string SlotSettingsSql = """
        update pickup_points set lead_time_minutes = @LeadTimeMinutes, horizon_days = @HorizonDays, pickup_open_days = @PickupOpenDays,
            stop_slot_minutes = @StopSlotMinutes, stop_slot_capacity = @StopSlotCapacity
        where id = @Id
        """;

    /// <summary>The Slots feature's settings of a pickup point (saved with its opening hours). Rows affected: 0 when it does not exist.</summary>
    public Task<int> SaveSlotSettingsAsync(UnitOfWork uow, long id, SlotSettings settings, CancellationToken ct) =>
        uow.ExecuteAsync(SlotSettingsSql, new { Id = id, settings.LeadTimeMinutes, settings.HorizonDays, settings.PickupOpenDays,
            settings.StopSlotMinutes, settings.StopSlotCapacity }, ct);
}
