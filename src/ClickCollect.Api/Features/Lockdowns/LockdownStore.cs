using System.Data.Common;
using ClickCollect.Api.Features.Network;
using ClickCollect.Api.Features.Slots;
using ClickCollect.Api.Infrastructure.Caching;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Lockdowns;

/// <summary>Lockdowns and their branches. Their effects are recomputed by <see cref="LockdownEffectsStore"/>.</summary>
internal sealed class LockdownStore(Db db, PickupPointStore pickupPoints, ConfigurationCache cache)
{
    /// <summary>"Today" for a lockdown's state is the network's date (branches may have zones of their own for effects).</summary>
    static readonly TimeZoneInfo NetworkZone = TimeZoneInfo.FindSystemTimeZoneById(BranchRequest.DefaultTimeZone);

    sealed class LockdownRow
    {
        public long Id { get; init; }
        public bool NetworkWide { get; init; }
        public DateOnly StartsOn { get; init; }
        public DateOnly? EndsOn { get; init; }
        public bool SuspendFines { get; init; }
        public bool SuspendReminders { get; init; }
        public int? ShiftDueDatesDays { get; init; }
        public int SpreadDays { get; init; }
        public int? SlotCapacityCap { get; init; }
        public bool ExtendPickupDeadlines { get; init; }
        public string Note { get; init; } = "";
        public LockdownStatus Status { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
    }

    sealed class ScopeRow { public long LockdownId { get; init; } public long BranchId { get; init; } public string Name { get; init; } = ""; }

    static string ListSql(long? id, bool includeCancelled) => $"""
        select id, network_wide, starts_on, ends_on, suspend_fines, suspend_reminders, shift_due_dates_days, spread_days,
               slot_capacity_cap, extend_pickup_deadlines, note, status, created_at, updated_at
        from lockdowns
        {new SqlWhere().And(id is not null, "id = @Id").And(!includeCancelled, "status = 'active'")}
        order by starts_on desc, id desc
        """;
    const string ScopeSql = """
        select lb.lockdown_id, lb.branch_id, b.name
        from lockdown_branches lb join branches b on b.id = lb.branch_id
        order by b.name
        """;

    /// <summary>Every lockdown, newest first; cancelled ones only when asked.</summary>
    public async Task<IReadOnlyList<LockdownResponse>> ListAsync(bool includeCancelled, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await ListAsync(c, null, null, includeCancelled, now, ct);
    }

    public async Task<LockdownResponse?> GetAsync(long id, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await ListAsync(c, null, id, true, now, ct)).SingleOrDefault();
    }

    public async Task<LockdownResponse?> GetAsync(UnitOfWork uow, long id, DateTimeOffset now, CancellationToken ct) =>
        (await ListAsync(uow.Connection, uow.Transaction, id, true, now, ct)).SingleOrDefault();

    static async Task<IReadOnlyList<LockdownResponse>> ListAsync(DbConnection c, DbTransaction? tx, long? id, bool includeCancelled,
        DateTimeOffset now, CancellationToken ct)
    {
        var rows = await c.QueryAsync<LockdownRow>(new CommandDefinition(ListSql(id, includeCancelled),
            new { Id = id, IncludeCancelled = includeCancelled }, tx, cancellationToken: ct));
        var scopes = (await c.QueryAsync<ScopeRow>(new CommandDefinition(ScopeSql, transaction: tx, cancellationToken: ct))).ToLookup(s => s.LockdownId);
        var today = SlotCalculator.LocalDate(now, NetworkZone);
        return rows.Select(r => new LockdownResponse(r.Id, StateOf(r, today), r.Status, r.NetworkWide,
            r.NetworkWide ? null : scopes[r.Id].Select(s => s.BranchId).ToList(), scopes[r.Id].Select(s => s.Name).ToList(),
            r.StartsOn, r.EndsOn, r.SuspendFines, r.SuspendReminders, r.ShiftDueDatesDays, r.SpreadDays, r.SlotCapacityCap,
            r.ExtendPickupDeadlines, r.Note, r.CreatedAt, r.UpdatedAt)).ToList();
    }

    static LockdownState StateOf(LockdownRow r, DateOnly today) =>
        r.Status == LockdownStatus.Cancelled ? LockdownState.Cancelled
        : today < r.StartsOn ? LockdownState.Scheduled
        : r.EndsOn is { } end && end < today ? LockdownState.Ended
        : LockdownState.InForce;

    const string PeriodsSql = """
        select id, network_wide, starts_on, ends_on, suspend_fines, suspend_reminders, shift_due_dates_days, spread_days,
               slot_capacity_cap, extend_pickup_deadlines, note, status, created_at, updated_at
        from lockdowns where status = 'active'
        """;
    const string ActiveScopeSql = """
        select lb.lockdown_id, lb.branch_id from lockdown_branches lb
        join lockdowns l on l.id = lb.lockdown_id where l.status = 'active'
        """;

    /// <summary>Every lockdown that has effects (not cancelled), past, present and future, as the rules see them.</summary>
    public async Task<IReadOnlyList<LockdownPeriod>> PeriodsAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await PeriodsAsync(c, null, ct);
    }

    public Task<IReadOnlyList<LockdownPeriod>> PeriodsAsync(UnitOfWork uow, CancellationToken ct) => PeriodsAsync(uow.Connection, uow.Transaction, ct);

    static async Task<IReadOnlyList<LockdownPeriod>> PeriodsAsync(DbConnection c, DbTransaction? tx, CancellationToken ct) =>
        Periods(await c.QueryAsync<LockdownRow>(new CommandDefinition(PeriodsSql, transaction: tx, cancellationToken: ct)),
            await c.QueryAsync<ScopeRow>(new CommandDefinition(ActiveScopeSql, transaction: tx, cancellationToken: ct)));

    static List<LockdownPeriod> Periods(IEnumerable<LockdownRow> rows, IEnumerable<ScopeRow> scopeRows)
    {
        var scopes = scopeRows.ToLookup(s => s.LockdownId, s => s.BranchId);
        return rows.Select(r => new LockdownPeriod(r.Id, r.StartsOn, r.EndsOn, r.NetworkWide ? null : scopes[r.Id].ToHashSet(),
            r.SuspendFines, r.SuspendReminders, r.ShiftDueDatesDays, r.SpreadDays, r.SlotCapacityCap, r.ExtendPickupDeadlines)).ToList();
    }

    /// <summary>The lockdowns (not cancelled) that apply to the pickup point's branch: its slot caps (cached, <see cref="ConfigurationCache"/>).</summary>
    public async Task<IReadOnlyList<LockdownPeriod>> PeriodsForPickupPointAsync(long pickupPointId, CancellationToken ct) =>
        await cache.GetOrLoadAsync<IReadOnlyList<LockdownPeriod>>("lockdowns", pickupPointId, async () =>
        {
            if (await pickupPoints.BranchOfAsync(pickupPointId, ct) is not { } branch) return [];
            await using var c = await db.OpenAsync(ct);
            return (await PeriodsAsync(c, null, ct)).For(branch);
        }) ?? [];

    /// <summary>As the unit of work sees them (a booking reads them under <see cref="LockKeys.Lending"/>): one round trip (two when the pickup point's branch is not cached).</summary>
    public async Task<IReadOnlyList<LockdownPeriod>> PeriodsForPickupPointAsync(UnitOfWork uow, long pickupPointId, CancellationToken ct)
    {
        // The branch from the configuration cache (the view joined here cost PostgreSQL more to plan than to run, #17).
        var branch = await pickupPoints.BranchOfAsync(uow, pickupPointId, ct);
        await using var read = await uow.QueryMultipleAsync($"{PeriodsSql};\n{ActiveScopeSql}", null, ct);
        var periods = Periods(await read.ReadAsync<LockdownRow>(), await read.ReadAsync<ScopeRow>());
        return branch is { } b ? periods.For(b) : [];
    }

    static string UnknownBranchesSql(SqlDialect sql) => $"""
        select b.id from branches b where {sql.InKeys("b.id", "@Ids")}
        """;

    /// <summary>
    /// The lockdowns (not cancelled) in two result sets, for a caller that reads them in a round trip of its own statements
    /// (a booking, with its checks, #17); read them with <see cref="ReadPeriodsAsync"/>, then keep those of the branch (<c>For</c>).
    /// </summary>
    internal const string ActivePeriodsSql = PeriodsSql + ";\n" + ActiveScopeSql;

    /// <summary>What <see cref="ActivePeriodsSql"/> read.</summary>
    internal static async Task<IReadOnlyList<LockdownPeriod>> ReadPeriodsAsync(SqlMapper.GridReader read) =>
        Periods(await read.ReadAsync<LockdownRow>(), await read.ReadAsync<ScopeRow>());

    /// <summary>The ids among <paramref name="ids"/> that are not branches.</summary>
    public async Task<IReadOnlyList<long>> UnknownBranchesAsync(IReadOnlyList<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        await using var c = await db.OpenAsync(ct);
        var known = (await c.QueryAsync<long>(new CommandDefinition(UnknownBranchesSql(db.Dialect), new { Ids = db.Dialect.KeyList(ids) }, cancellationToken: ct))).ToHashSet();
        return ids.Where(id => !known.Contains(id)).ToList();
    }

    const string InsertSql = """
        insert into lockdowns (network_wide, starts_on, ends_on, suspend_fines, suspend_reminders, shift_due_dates_days, spread_days,
                               slot_capacity_cap, extend_pickup_deadlines, note, status, created_at, created_by_staff_id, updated_at)
        values (@NetworkWide, @StartsOn, @EndsOn, @SuspendFines, @SuspendReminders, @ShiftDueDatesDays, @SpreadDays,
                @SlotCapacityCap, @ExtendPickupDeadlines, @Note, 'active', @Now, @StaffId, @Now)
        returning id
        """;
    const string InsertScopeSql = "insert into lockdown_branches (lockdown_id, branch_id) values (@LockdownId, @BranchId)";

    public async Task<long> InsertAsync(UnitOfWork uow, LockdownRequest r, long staffId, DateTimeOffset now, CancellationToken ct)
    {
        cache.Changed();
        var id = await uow.QuerySingleAsync<long>(InsertSql, Parameters(r, 0, now, staffId), ct);
        await WriteScopeAsync(uow, id, r, ct);
        return id;
    }

    const string UpdateSql = """
        update lockdowns set network_wide = @NetworkWide, starts_on = @StartsOn, ends_on = @EndsOn, suspend_fines = @SuspendFines,
            suspend_reminders = @SuspendReminders, shift_due_dates_days = @ShiftDueDatesDays, spread_days = @SpreadDays,
            slot_capacity_cap = @SlotCapacityCap, extend_pickup_deadlines = @ExtendPickupDeadlines, note = @Note, updated_at = @Now
        where id = @Id and status = 'active'
        """;
    const string DeleteScopeSql = "delete from lockdown_branches where lockdown_id = @Id";

    /// <summary>Replaces the lockdown's dates, scope and effects; false when it does not exist or is cancelled.</summary>
    public async Task<bool> UpdateAsync(UnitOfWork uow, long id, LockdownRequest r, DateTimeOffset now, CancellationToken ct)
    {
        cache.Changed();
        if (await uow.ExecuteAsync(UpdateSql, Parameters(r, id, now, null), ct) == 0) return false;
        await uow.ExecuteAsync(DeleteScopeSql, new { Id = id }, ct);
        await WriteScopeAsync(uow, id, r, ct);
        return true;
    }

    const string CancelSql = "update lockdowns set status = 'cancelled', updated_at = @Now where id = @Id and status = 'active'";

    /// <summary>False when the lockdown does not exist or is already cancelled.</summary>
    public async Task<bool> CancelAsync(UnitOfWork uow, long id, DateTimeOffset now, CancellationToken ct)
    {
        cache.Changed();
        return await uow.ExecuteAsync(CancelSql, new { Id = id, Now = now }, ct) == 1;
    }

    async Task WriteScopeAsync(UnitOfWork uow, long id, LockdownRequest r, CancellationToken ct)
    {
        if (r.NetworkWide) return;
        foreach (var branchId in r.BranchIds!)
            await uow.ExecuteAsync(InsertScopeSql, new { LockdownId = id, BranchId = branchId }, ct);
    }

    static object Parameters(LockdownRequest r, long id, DateTimeOffset now, long? staffId) => new
    {
        Id = id,
        r.NetworkWide,
        r.StartsOn,
        r.EndsOn,
        r.SuspendFines,
        r.SuspendReminders,
        r.ShiftDueDatesDays,
        SpreadDays = r.SpreadDueDatesOverDays ?? LockdownRequest.DefaultSpreadDays,
        r.SlotCapacityCap,
        ExtendPickupDeadlines = r.ExtendPickupDeadlines ?? true,
        Note = r.Note?.Trim() ?? "",
        Now = now,
        StaffId = staffId,
    };
}
