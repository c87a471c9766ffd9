using System.Text.Json;
using ClickCollect.Api.Features.Appointments;
using ClickCollect.Api.Features.Holds;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.PickLists;

/// <summary>A hold whose copy is to be pulled, with everything a line shows.</summary>
internal sealed class PickRow
{
    public long HoldId { get; init; }
    public string HoldStatus { get; init; } = "";
    public long CopyId { get; init; }
    public string Barcode { get; init; } = "";
    public string Title { get; init; } = "";
    public string Authors { get; init; } = "";
    public string CallNumber { get; init; } = "";
    public string ShelfLocation { get; init; } = "";
    public long OwnerBranchId { get; init; }
    public string OwnerBranchName { get; init; } = "";
    public string CardNumber { get; init; } = "";
    public string FirstName { get; init; } = "";
    public string LastName { get; init; } = "";
    public long? AppointmentId { get; init; }
    public DateTimeOffset? SlotStart { get; init; }
    public string? AppointmentStatus { get; init; }
    public long PickupPointId { get; init; }
    public string PickupPointName { get; init; } = "";
    public int StopPosition { get; init; }
}

internal sealed class PickListStore(Db db)
{
    // Allocated holds (to pick, in transit from another branch, or already picked and staged) whose
    // appointment falls on the day, or that have no appointment yet. The hold's open appointment is found by key
    // (OpenAppointmentOfHold). The list's lines are chosen first, on their own ("materialized"), and only they are
    // joined to their copy, title and patron by key: planned as one join, PostgreSQL counted every allocated hold of
    // the pickup point as a line (the day is known only once each hold's appointment is found) and hashed the whole
    // copies, titles and patrons tables for them (QueryPlanTests, 3,000 allocated holds booked on other days).
    static string RowsSql(SqlDialect dialect) => $"""
        with listed as materialized (
            select h.id, h.status, h.copy_id, h.title_id, h.patron_id, h.pickup_point_id,
                   a.id as appointment_id, a.slot_start, a.status as appointment_status
            from holds h
            {OpenAppointmentOfHold.Join(dialect)}
            where h.status in {HoldStatuses.AllocatedSql} and h.pickup_point_id = @PickupPointId
              and (a.id is null or (a.slot_start >= @DayStart and a.slot_start < @DayEnd)))
        select l.id as hold_id, l.status as hold_status, c.id as copy_id, c.barcode, t.title, t.authors, c.call_number, c.shelf_location,
               c.branch_id as owner_branch_id, ob.name as owner_branch_name, p.card_number, p.first_name, p.last_name,
               l.appointment_id, l.slot_start, l.appointment_status, l.pickup_point_id, pp.name as pickup_point_name,
               coalesce(s.position, 0) as stop_position
        from listed l
        join copies c on c.id = l.copy_id
        join titles t on t.id = l.title_id
        join patrons p on p.id = l.patron_id
        join branches ob on ob.id = c.branch_id
        join pickup_points pp on pp.id = l.pickup_point_id
        left join stops s on s.id = pp.stop_id
        """;

    public async Task<IReadOnlyList<PickRow>> RowsAsync(IEnumerable<long> pickupPointIds, DateTimeOffset dayStart, DateTimeOffset dayEnd, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = new List<PickRow>();
        var sql = RowsSql(db.Dialect);
        foreach (var id in pickupPointIds)
            rows.AddRange(await c.QueryAsync<PickRow>(new CommandDefinition(sql, new { PickupPointId = id, DayStart = dayStart, DayEnd = dayEnd }, cancellationToken: ct)));
        return rows;
    }

    sealed class ShelfRow { public long BranchId { get; init; } public string Name { get; init; } = ""; public int WalkOrder { get; init; } }

    const string ShelvesSql = "select branch_id, name, walk_order from shelf_locations order by branch_id, walk_order";

    /// <summary>The walk order of every branch's shelf locations: (branch, location) → position.</summary>
    public async Task<Dictionary<(long, string), int>> WalkOrderAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<ShelfRow>(new CommandDefinition(ShelvesSql, cancellationToken: ct));
        return rows.ToDictionary(r => (r.BranchId, r.Name), r => r.WalkOrder);
    }

    public async Task<IReadOnlyList<string>> ShelfOrderAsync(long branchId, CancellationToken ct) =>
        (await WalkOrderAsync(ct)).Where(kv => kv.Key.Item1 == branchId).OrderBy(kv => kv.Value).Select(kv => kv.Key.Item2).ToList();

    const string DeleteShelvesSql = "delete from shelf_locations where branch_id = @BranchId";
    const string InsertShelfSql = "insert into shelf_locations (branch_id, name, walk_order) values (@BranchId, @Name, @WalkOrder)";

    /// <summary>Replaces a branch's walk order with <paramref name="locations"/>, first walked first.</summary>
    public async Task SaveShelfOrderAsync(UnitOfWork uow, long branchId, IReadOnlyList<string> locations, CancellationToken ct)
    {
        await uow.ExecuteAsync(DeleteShelvesSql, new { BranchId = branchId }, ct);
        for (var i = 0; i < locations.Count; i++)
            await uow.ExecuteAsync(InsertShelfSql, new { BranchId = branchId, Name = locations[i], WalkOrder = i + 1 }, ct);
    }

    sealed class PrintRow
    {
        public DateTimeOffset PrintedAt { get; init; }
        public string DisplayName { get; init; } = "";
        public string Format { get; init; } = "";
        public string HoldIds { get; init; } = "[]";
    }

    const string PrintsSql = """
        select pr.printed_at, s.display_name, pr.format, pr.hold_ids
        from pick_list_prints pr join staff s on s.id = pr.staff_id
        where pr.kind = @Kind and pr.place_id = @PlaceId and pr.list_date = @Date
        order by pr.printed_at, pr.id
        """;
    const string RecordPrintSql = """
        insert into pick_list_prints (kind, place_id, list_date, staff_id, printed_at, format, public_variant, hold_ids)
        values (@Kind, @PlaceId, @Date, @StaffId, @Now, @Format, @PublicVariant, @HoldIds)
        """;

    /// <summary>Every printing of the list, oldest first, and the holds the last one showed.</summary>
    public async Task<(IReadOnlyList<PrintRecord> Prints, HashSet<long>? LastHoldIds)> PrintsAsync(string kind, long placeId, DateOnly date, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = (await c.QueryAsync<PrintRow>(new CommandDefinition(PrintsSql, new { Kind = kind, PlaceId = placeId, Date = date }, cancellationToken: ct))).AsList();
        var last = rows.Count == 0 ? null : JsonSerializer.Deserialize<long[]>(rows[^1].HoldIds)!.ToHashSet();
        return (rows.Select(r => new PrintRecord(r.PrintedAt, r.DisplayName, r.Format)).ToList(), last);
    }

    public Task RecordPrintAsync(string kind, long placeId, DateOnly date, long staffId, string format, bool publicVariant,
        IEnumerable<long> holdIds, DateTimeOffset now, CancellationToken ct) =>
        db.WriteAsync(uow => uow.ExecuteAsync(RecordPrintSql, new
        {
            Kind = kind,
            PlaceId = placeId,
            Date = date,
            StaffId = staffId,
            Now = now,
            Format = format,
            PublicVariant = publicVariant,
            HoldIds = JsonSerializer.Serialize(holdIds.Order()),
        }, ct), ct);
}
