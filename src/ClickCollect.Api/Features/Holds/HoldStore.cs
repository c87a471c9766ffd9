using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Api.Features.Appointments;
using ClickCollect.Api.Features.Notifications;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Holds;

internal sealed record NewHold(long PatronId, long? TitleId, long? CopyId, long PickupPointId, HoldChannel Channel, long? StaffId, DateTimeOffset Now);

internal sealed record HoldFilter(long? PatronId = null, HoldStatus? Status = null, long? PickupPointId = null, long? HoldId = null, int Limit = 200);

/// <summary>
/// Holds and their copies. Allocation and release run inside the caller's unit of work, under a
/// lock on the title (PostgreSQL; on SQLite the single writer already excludes everyone), so a
/// released copy can never miss a hold being queued at the same moment. The partial unique index
/// on holds(copy_id) is the last word: a copy is never given twice.
/// </summary>
internal sealed class HoldStore(Db db, HoldAllocator allocator, Notify notify, AppointmentStore appointments, CopyStatusStore copies)
{
    // The hold's open appointment by key (OpenAppointmentOfHold): joined as "a.id in (the hold's appointments)", PostgreSQL
    // read a hold by id by walking the whole holds_created index (QueryPlanTests, 63,000 holds).
    static string SelectSql(SqlDialect dialect) => $"""
        select h.id, h.patron_id, pa.card_number, h.title_id, t.title, t.authors, h.requested_copy_id, h.copy_id, c.barcode,
               h.pickup_point_id, pp.name as pickup_point_name, h.status, h.channel, h.created_at, h.ready_at, h.pickup_deadline,
               a.id as appointment_id, a.slot_start,
               (select count(*) from holds q where q.title_id = h.title_id and q.status = 'queued'
                  and (q.created_at < h.created_at or (q.created_at = h.created_at and q.id <= h.id))) as queue_position
        from holds h
        join patrons pa on pa.id = h.patron_id
        join titles t on t.id = h.title_id
        join pickup_points pp on pp.id = h.pickup_point_id
        left join copies c on c.id = h.copy_id
        {OpenAppointmentOfHold.Join(dialect)}
        """;

    // Only the filters given, so each list reads through an index (#17); by id it is a read by key.
    static string ListSql(SqlDialect dialect, HoldFilter f) => $"""
        {SelectSql(dialect)}
        {new SqlWhere()
            .And(f.HoldId is not null, "h.id = @HoldId")
            .And(f.PatronId is not null, "h.patron_id = @PatronId")
            .And(f.Status is not null, "h.status = @Status")
            .And(f.PickupPointId is not null, "h.pickup_point_id = @PickupPointId")}
        order by h.created_at desc, h.id desc
        limit @Limit
        """;

    public async Task<IReadOnlyList<HoldRow>> ListAsync(HoldFilter f, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<HoldRow>(new CommandDefinition(ListSql(db.Dialect, f), Parameters(f), cancellationToken: ct))).AsList();
    }

    public async Task<HoldRow?> GetAsync(long id, CancellationToken ct) => (await ListAsync(new HoldFilter(HoldId: id), ct)).SingleOrDefault();

    static object Parameters(HoldFilter f) => new
    {
        f.PatronId,
        f.PickupPointId,
        f.HoldId,
        f.Limit,
        Status = f.Status is { } s ? DapperSetup.ToDb(s) : null,
    };

    const string TitleOfCopySql = "select title_id from copies where id = @Id and status not in ('lost', 'withdrawn')";
    const string TitleExistsSql = "select count(*) from titles where id = @Id";
    const string ActiveCountSql = $"select count(*) from holds where patron_id = @PatronId and status in {HoldStatuses.ActiveSql}";
    const string SameTitleSql = $"""
        select id from holds where patron_id = @PatronId and title_id = @TitleId and status in {HoldStatuses.ActiveSql}
        """;
    const string InsertSql = """
        insert into holds (patron_id, title_id, requested_copy_id, pickup_point_id, status, channel, placed_by_staff_id, created_at, updated_at)
        values (@PatronId, @TitleId, @CopyId, @PickupPointId, 'queued', @Channel, @StaffId, @Now, @Now)
        returning id
        """;

    /// <summary>
    /// Places the hold and gives it a copy at once when one is on a shelf; otherwise it queues. Nothing
    /// is written unless the outcome is <see cref="PlaceHoldOutcome.Placed"/>.
    /// </summary>
    public async Task<PlaceHoldOutcome> PlaceAsync(UnitOfWork uow, NewHold hold, int maxActive, CancellationToken ct)
    {
        long titleId;
        if (hold.CopyId is { } copyId)
        {
            var title = await uow.QuerySingleOrDefaultAsync<long?>(TitleOfCopySql, new { Id = copyId }, ct);
            if (title is null) return new PlaceHoldOutcome.UnknownCopy();
            titleId = title.Value;
        }
        else
        {
            titleId = hold.TitleId!.Value;
            if (await uow.QuerySingleAsync<long>(TitleExistsSql, new { Id = titleId }, ct) == 0) return new PlaceHoldOutcome.UnknownTitle();
        }

        // Each lock is taken by the round trip of the statements it guards (#17).
        uow.LockWithNextStatement(LockKeys.Patron(hold.PatronId));
        long? existing;
        long active;
        await using (var read = await uow.QueryMultipleAsync($"{SameTitleSql};\n{ActiveCountSql}", new { hold.PatronId, TitleId = titleId }, ct))
        {
            existing = await read.ReadSingleOrDefaultAsync<long?>();
            active = await read.ReadSingleAsync<long>();
        }
        if (existing is { } held) return new PlaceHoldOutcome.AlreadyHeld(held);
        if (active >= maxActive) return new PlaceHoldOutcome.LimitReached(maxActive);

        uow.LockWithNextStatement(LockKeys.Title(titleId));
        var id = await uow.QuerySingleAsync<long>(InsertSql, new
        {
            hold.PatronId,
            TitleId = titleId,
            hold.CopyId,
            hold.PickupPointId,
            hold.Channel,
            hold.StaffId,
            hold.Now,
        }, ct);
        await allocator.AllocateAsync(uow, id, titleId, hold.CopyId, hold.PickupPointId, hold.Now, ct);
        return new PlaceHoldOutcome.Placed(id);
    }

    const string CloseSql = $"""
        update holds set status = @Status, closed_at = @Now, updated_at = @Now
        where id = @Id and status in {HoldStatuses.ActiveSql}
        returning copy_id, title_id
        """;

    sealed class Closed { public long? CopyId { get; init; } public long TitleId { get; init; } }

    /// <summary>
    /// Cancels or expires an active hold (never deletes it), passes its copy on, and has the Appointments
    /// feature take it out of its open appointment: one left with nothing to collect is cancelled there
    /// (the place freed, the patron told as for any cancellation, <paramref name="by"/> deciding how).
    /// False when the hold is not active any more.
    /// </summary>
    public async Task<bool> CloseAsync(UnitOfWork uow, long holdId, HoldStatus status, CancelledBy by, DateTimeOffset now, CancellationToken ct)
    {
        var closed = await uow.QuerySingleOrDefaultAsync<Closed>(CloseSql, new { Id = holdId, Status = status, Now = now }, ct);
        if (closed is null) return false;
        await appointments.ReleaseHoldAsync(uow, holdId, by, now, ct);
        if (closed.CopyId is { } copyId)
        {
            await uow.LockAsync(LockKeys.Title(closed.TitleId), ct);
            await allocator.ReleaseAsync(uow, copyId, now, ct);
        }
        return true;
    }

    const string ReadySql = """
        update holds set status = 'ready', ready_at = @Now, pickup_deadline = @Deadline, updated_at = @Now
        where id = @Id and status = 'toPick'
        """;
    const string ReceivedSql = "update holds set status = 'toPick', updated_at = @Now where id = @Id and status = 'inTransit' returning copy_id";

    /// <summary>
    /// Picked and staged: the hold waits for its patron until the deadline, and the patron's SMS is
    /// queued in the same unit of work. False unless it was ToPick.
    /// </summary>
    public async Task<bool> MarkReadyAsync(UnitOfWork uow, long holdId, DateOnly deadline, DateTimeOffset now, CancellationToken ct)
    {
        if (await uow.ExecuteAsync(ReadySql, new { Id = holdId, Deadline = deadline, Now = now }, ct) != 1) return false;
        await notify.HoldReadyAsync(uow, holdId, now, ct);
        return true;
    }

    /// <summary>The copy sent from another branch has arrived: the hold is to pick. False unless it was InTransit.</summary>
    public async Task<bool> ReceiveAsync(UnitOfWork uow, long holdId, DateTimeOffset now, CancellationToken ct)
    {
        var copyId = await uow.QuerySingleOrDefaultAsync<long?>(ReceivedSql, new { Id = holdId, Now = now }, ct);
        if (copyId is null) return false;
        await copies.SetAsync(uow, copyId.Value, CopyStatus.Held, now, ct);
        return true;
    }

    const string CollectSql = """
        update holds set status = 'collected', closed_at = @Now, updated_at = @Now where id = @Id and status = 'ready'
        """;

    /// <summary>Handed over: the hold is done (its copy is now on loan). False unless it was Ready.</summary>
    public async Task<bool> CollectAsync(UnitOfWork uow, long holdId, DateTimeOffset now, CancellationToken ct) =>
        await uow.ExecuteAsync(CollectSql, new { Id = holdId, Now = now }, ct) == 1;

    const string FindOnListSql = $"""
        select h.id from holds h join copies c on c.id = h.copy_id
        where c.barcode = @Barcode and h.pickup_point_id = @PickupPointId and h.status in {HoldStatuses.AllocatedSql}
        """;

    /// <summary>The active hold for which the copy with this barcode was allocated, at this pickup point.</summary>
    public async Task<long?> FindByBarcodeAsync(long pickupPointId, string barcode, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(FindOnListSql, new { Barcode = barcode, PickupPointId = pickupPointId }, cancellationToken: ct));
    }

    const string AllocatedCopySql = $"select copy_id from holds where id = @Id and status in {HoldStatuses.PreparingSql}";
    const string MissingCopySql = $"""
        update holds set copy_id = null, status = 'queued', allocated_at = null, updated_at = @Now
        where id = @Id and status in {HoldStatuses.PreparingSql} and copy_id = @CopyId
        returning title_id, requested_copy_id, pickup_point_id
        """;
    const string NotFoundReportSql = """
        insert into not_found_reports (hold_id, copy_id, pickup_point_id, reported_at) values (@HoldId, @CopyId, @PickupPointId, @Now)
        """;

    sealed class Unallocated { public long TitleId { get; init; } public long? RequestedCopyId { get; init; } public long PickupPointId { get; init; } }

    /// <summary>
    /// The copy is not on the shelf: it is marked lost and the hold, keeping its place in the queue,
    /// gets another copy if one is free. Null when the hold was not waiting to be picked; otherwise
    /// whether it was re-allocated.
    /// </summary>
    public async Task<bool?> ReportMissingAsync(UnitOfWork uow, long holdId, DateTimeOffset now, CancellationToken ct)
    {
        var copyId = await uow.QuerySingleOrDefaultAsync<long?>(AllocatedCopySql, new { Id = holdId }, ct);
        if (copyId is null) return null;
        var hold = await uow.QuerySingleOrDefaultAsync<Unallocated>(MissingCopySql, new { Id = holdId, Now = now, CopyId = copyId }, ct);
        if (hold is null) return null;
        await copies.SetAsync(uow, copyId.Value, CopyStatus.Lost, now, ct);
        // Kept apart from the hold (which may later lose its patron) for the "not found on the shelf" figure.
        await uow.ExecuteAsync(NotFoundReportSql, new { HoldId = holdId, CopyId = copyId, hold.PickupPointId, Now = now }, ct);
        await uow.LockAsync(LockKeys.Title(hold.TitleId), ct);
        return await allocator.AllocateAsync(uow, holdId, hold.TitleId, hold.RequestedCopyId, hold.PickupPointId, now, ct);
    }

    const string QueueLengthSql = "select count(*) from holds where title_id = @Id and status = 'queued'";

    /// <summary>How many holds wait for a copy of the title (staff's title page).</summary>
    public async Task<int> QueueLengthAsync(long titleId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (int)await c.ExecuteScalarAsync<long>(new CommandDefinition(QueueLengthSql, new { Id = titleId }, cancellationToken: ct));
    }

    /// <summary>How long staff can take back a "not on the shelf" report; the patron's SMS waits as long.</summary>
    public static readonly TimeSpan NotFoundUndoWindow = TimeSpan.FromMinutes(5);

    sealed class NotFoundReport { public long Id { get; init; } public long CopyId { get; init; } }
    sealed class HoldNow { public long TitleId { get; init; } public long? CopyId { get; init; } public HoldStatus Status { get; init; } public long PickupPointId { get; init; } }

    const string LastReportSql = """
        select id, copy_id from not_found_reports where hold_id = @Id and reported_at >= @Since order by id desc limit 1
        """;
    const string HoldNowSql = "select title_id, copy_id, status, pickup_point_id from holds where id = @Id";
    const string RequeueSql = $"""
        update holds set copy_id = null, status = 'queued', allocated_at = null, updated_at = @Now
        where id = @Id and status in {HoldStatuses.PreparingSql}
        """;
    const string DeleteReportSql = "delete from not_found_reports where id = @Id";

    /// <summary>
    /// Takes back a "not on the shelf" report made in the last few minutes (the copy was there after all):
    /// the copy is on the shelf again, the hold goes back to it, and a copy it took meanwhile passes on.
    /// Returns the copy found again, or null when there is no recent report or the copy or hold has moved on
    /// (then the unit of work must not be committed).
    /// </summary>
    public async Task<long?> UndoMissingAsync(UnitOfWork uow, long holdId, DateTimeOffset now, CancellationToken ct)
    {
        if (await uow.QuerySingleOrDefaultAsync<NotFoundReport>(LastReportSql, new { Id = holdId, Since = now - NotFoundUndoWindow }, ct) is not { } report)
            return null;
        if (await uow.QuerySingleOrDefaultAsync<HoldNow>(HoldNowSql, new { Id = holdId }, ct) is not { } hold
            || (hold.Status != HoldStatus.Queued && !HoldStatuses.Preparing.Contains(hold.Status)))
            return null;
        await uow.LockAsync(LockKeys.Title(hold.TitleId), ct);
        if (!await copies.ChangeAsync(uow, report.CopyId, CopyStatus.Lost, CopyStatus.OnShelf, now, ct)) return null;
        if (hold.CopyId is not null) await uow.ExecuteAsync(RequeueSql, new { Id = holdId, Now = now }, ct);
        if (!await allocator.AllocateAsync(uow, holdId, hold.TitleId, report.CopyId, hold.PickupPointId, now, ct)) return null;
        if (hold.CopyId is { } meanwhile) await allocator.ReleaseAsync(uow, meanwhile, now, ct);
        await uow.ExecuteAsync(DeleteReportSql, new { report.Id }, ct);
        return report.CopyId;
    }

    sealed class DueRow { public long Id { get; init; } public long PatronId { get; init; } public DateOnly PickupDeadline { get; init; } public string TimeZone { get; init; } = ""; }

    const string DueSql = """
        select h.id, h.patron_id, h.pickup_deadline, b.time_zone
        from holds h
        join pickup_point_branches pb on pb.pickup_point_id = h.pickup_point_id
        join branches b on b.id = pb.branch_id
        where h.status = 'ready' and h.pickup_deadline < @Latest
        """;

    /// <summary>Expires Ready holds whose deadline has passed in their branch's zone; their copies pass on. Returns how many.</summary>
    public async Task<int> ExpireDueAsync(DateTimeOffset now, CancellationToken ct)
    {
        // Superset first (no zone is more than a day ahead of UTC), then each hold against its own zone.
        IEnumerable<DueRow> due;
        await using (var c = await db.OpenAsync(ct))
            due = await c.QueryAsync<DueRow>(new CommandDefinition(DueSql, new { Latest = DateOnly.FromDateTime(now.UtcDateTime).AddDays(1) }, cancellationToken: ct));
        var expired = 0;
        foreach (var hold in due.Where(h => h.PickupDeadline < DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(h.TimeZone)).DateTime)))
            if (await db.WriteAsync(uow => CloseAsync(uow, hold.Id, HoldStatus.Expired, CancelledBy.Staff, now, ct), ct)) expired++;
        return expired;
    }

    const string PickupDeadlineSql = """
        update holds set pickup_deadline = @Deadline, original_pickup_deadline = @Original, updated_at = @Now
        where id = @Id and status = 'ready'
        """;

    /// <summary>
    /// A Ready hold's pickup deadline moved by a lockdown (the Lockdowns feature decides it), with the deadline
    /// it had before any lockdown, or null when it is back at it (nothing left to restore).
    /// </summary>
    public Task SetPickupDeadlineAsync(UnitOfWork uow, long holdId, DateOnly? deadline, DateOnly? original, DateTimeOffset now, CancellationToken ct) =>
        uow.ExecuteAsync(PickupDeadlineSql, new { Id = holdId, Deadline = deadline, Original = original, Now = now }, ct);

    // -- Retention and erasure (Privacy, issue 16): the owner unlinks its own rows ---------------------------------

    static string UnlinkFinishedSql(long? patronId) => $"""
        update holds set patron_id = @Anonymous
        where patron_id <> @Anonymous {(patronId is null ? "" : "and patron_id = @PatronId")}
          and status in {HoldStatuses.FinishedSql} and coalesce(closed_at, updated_at) < @Before
        """;

    /// <summary>Finished holds closed before <paramref name="before"/> (of one patron, or of everybody) pass to the anonymous patron.</summary>
    public static Task<int> UnlinkFinishedAsync(UnitOfWork uow, long anonymous, DateTimeOffset before, long? patronId, CancellationToken ct) =>
        uow.ExecuteAsync(UnlinkFinishedSql(patronId), new { Anonymous = anonymous, Before = before, PatronId = patronId }, ct);

    // -- Past activity (Features/Demo writes four weeks of history into an empty database) --------------------------

    /// <summary>A hold that ended in the past, as it ended (the demo's history; no rule runs on it).</summary>
    internal sealed record PastHold(long PatronId, long TitleId, long CopyId, long PickupPointId, string Status, string Channel, long? PlacedByStaffId,
        DateTimeOffset Placed, DateTimeOffset Closed);

    const string PastHoldSql = """
        insert into holds (patron_id, title_id, copy_id, pickup_point_id, status, channel, placed_by_staff_id, created_at, allocated_at, closed_at, updated_at)
        values (@PatronId, @TitleId, @CopyId, @PickupPointId, @Status, @Channel, @PlacedByStaffId, @Placed, @Placed, @Closed, @Closed)
        returning id
        """;

    public static Task<long> InsertPastAsync(UnitOfWork uow, PastHold hold, CancellationToken ct) => uow.QuerySingleAsync<long>(PastHoldSql, hold, ct);

    const string PastNotFoundSql = """
        insert into not_found_reports (hold_id, copy_id, pickup_point_id, staff_id, reported_at) values (@HoldId, @CopyId, @PickupPointId, @StaffId, @At)
        """;

    /// <summary>A copy reported missing from the shelf in the past.</summary>
    public static Task<int> InsertPastNotFoundAsync(UnitOfWork uow, long holdId, long copyId, long pickupPointId, long staffId, DateTimeOffset at,
        CancellationToken ct) =>
        uow.ExecuteAsync(PastNotFoundSql, new { HoldId = holdId, CopyId = copyId, PickupPointId = pickupPointId, StaffId = staffId, At = at }, ct);
}
