using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.SurpriseSelections;

internal sealed record NewSelection(long PatronId, CreateSelectionRequest Request, SelectionChannel Channel, long? StaffId, DateTimeOffset Now);

internal sealed record SelectionFilter(long? PatronId = null, long? PickupPointId = null, bool WaitingOnly = false, long? Id = null, int Limit = 200);

/// <summary>
/// Selection requests: the queue, claims, the librarian's note, cancelling. Claims are conditional
/// updates (two librarians never both hold one request); a claim lapses at <c>claimed_until</c> and
/// <see cref="SweepLapsedAsync"/> then gives the request back to the queue and its copies back to
/// everyone.
/// </summary>
internal sealed class SelectionStore(Db db)
{
    const string InsertSql = """
        insert into selection_requests (patron_id, pickup_point_id, item_count, audience, formats, languages, genres, liked_authors,
            liked_titles, avoid, notes, use_history, repeat_every_weeks, repeat_times, occurrence, opens_at, status, channel,
            placed_by_staff_id, created_at, updated_at)
        values (@PatronId, @PickupPointId, @Count, @Audience, @Formats, @Languages, @Genres, @LikedAuthors,
            @LikedTitles, @Avoid, @Notes, @UseHistory, @RepeatEveryWeeks, @RepeatTimes, 1, @Now, 'open', @Channel,
            @StaffId, @Now, @Now)
        returning id
        """;

    public Task<long> CreateAsync(UnitOfWork uow, NewSelection s, CancellationToken ct)
    {
        var r = s.Request;
        return uow.QuerySingleAsync<long>(InsertSql, new
        {
            s.PatronId,
            r.PickupPointId,
            r.Count,
            Audience = r.Audience is { } a ? DapperSetup.ToDb(a) : null,
            Formats = SelectionRow.Json(r.Formats?.Select(DapperSetup.ToDb)),
            Languages = SelectionRow.Json(r.Languages?.Select(l => l.ToLowerInvariant())),
            Genres = SelectionRow.Json(r.Genres),
            LikedAuthors = SelectionRow.Json(r.LikedAuthors),
            LikedTitles = SelectionRow.Json(r.LikedTitles),
            Avoid = SelectionRow.Json(r.Avoid),
            Notes = r.Notes?.Trim() ?? "",
            UseHistory = r.UseHistory == true,
            r.RepeatEveryWeeks,
            r.RepeatTimes,
            Channel = DapperSetup.ToDb(s.Channel),
            s.StaffId,
            s.Now,
        }, ct);
    }

    const string SelectSql = """
        select r.id, r.patron_id, pa.card_number, pa.first_name, r.pickup_point_id, pp.name as pickup_point_name,
               pb.branch_id as pickup_branch_id, br.time_zone, r.item_count, r.audience, r.formats, r.languages, r.genres, r.liked_authors,
               r.liked_titles, r.avoid, r.notes, r.use_history, r.repeat_every_weeks, r.repeat_times, r.occurrence, r.first_request_id,
               r.opens_at, r.status, r.channel, r.claimed_by_staff_id, s.display_name as claimed_by_name, r.claimed_until,
               r.proposal_seed, r.proposal_summary, r.librarian_note, r.created_at, r.confirmed_at, r.cancelled_at
        from selection_requests r
        join patrons pa on pa.id = r.patron_id
        join pickup_points pp on pp.id = r.pickup_point_id
        join pickup_point_branches pb on pb.pickup_point_id = r.pickup_point_id
        join branches br on br.id = pb.branch_id
        left join staff s on s.id = r.claimed_by_staff_id
        """;

    // The queue: oldest first, and only occurrences that are due.
    static string ListSql(SelectionFilter f) => $"""
        {SelectSql}
        {new SqlWhere()
            .And(f.Id is not null, "r.id = @Id")
            .And(f.PatronId is not null, "r.patron_id = @PatronId")
            .And(f.PickupPointId is not null, "r.pickup_point_id = @PickupPointId")
            .And(f.WaitingOnly, "r.status in ('open', 'claimed', 'proposed') and r.opens_at <= @Now")}
        order by r.opens_at, r.id
        limit @Limit
        """;

    public async Task<IReadOnlyList<SelectionRow>> ListAsync(SelectionFilter f, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<SelectionRow>(new CommandDefinition(ListSql(f), Parameters(f, now), cancellationToken: ct))).AsList();
    }

    public async Task<SelectionRow?> GetAsync(long id, DateTimeOffset now, CancellationToken ct) =>
        (await ListAsync(new SelectionFilter(Id: id), now, ct)).SingleOrDefault();

    /// <summary>The request as the unit of work sees it (after its own claim).</summary>
    public async Task<SelectionRow?> GetAsync(UnitOfWork uow, long id, DateTimeOffset now, CancellationToken ct) =>
        (await uow.QueryAsync<SelectionRow>(ListSql(new SelectionFilter(Id: id)), Parameters(new SelectionFilter(Id: id), now), ct)).SingleOrDefault();

    static object Parameters(SelectionFilter f, DateTimeOffset now) => new { f.Id, f.PatronId, f.PickupPointId, f.WaitingOnly, f.Limit, Now = now };

    const string ReleaseLapsedItemsSql = """
        delete from selection_items where request_id in
            (select id from selection_requests where status in ('claimed', 'proposed') and claimed_until < @Now)
        """;
    const string ReopenLapsedSql = """
        update selection_requests set status = 'open', claimed_by_staff_id = null, claimed_until = null, updated_at = @Now
        where status in ('claimed', 'proposed') and claimed_until < @Now
        """;

    /// <summary>Lapsed claims: the requests go back to the queue, their copies back to everyone.</summary>
    public async Task SweepLapsedAsync(UnitOfWork uow, DateTimeOffset now, CancellationToken ct)
    {
        await uow.ExecuteAsync(ReleaseLapsedItemsSql, new { Now = now }, ct);
        await uow.ExecuteAsync(ReopenLapsedSql, new { Now = now }, ct);
    }

    // One statement decides: open, or already this librarian's, or a lapsed claim. Concurrent
    // claims on PostgreSQL wait on the row and re-check this condition, so exactly one wins.
    const string ClaimSql = """
        update selection_requests
        set status = case when status = 'open' then 'claimed' else status end,
            claimed_by_staff_id = @StaffId, claimed_until = @Until, updated_at = @Now
        where id = @Id and opens_at <= @Now
          and (status = 'open' or (status in ('claimed', 'proposed') and (claimed_by_staff_id = @StaffId or claimed_until < @Now)))
        """;

    public async Task<bool> ClaimAsync(UnitOfWork uow, long id, long staffId, DateTimeOffset now, DateTimeOffset until, CancellationToken ct) =>
        await uow.ExecuteAsync(ClaimSql, new { Id = id, StaffId = staffId, Now = now, Until = until }, ct) == 1;

    const string DropItemsSql = "delete from selection_items where request_id = @Id";
    const string ReleaseSql = """
        update selection_requests set status = 'open', claimed_by_staff_id = null, claimed_until = null, updated_at = @Now
        where id = @Id and status in ('claimed', 'proposed') and claimed_by_staff_id = @StaffId
        """;

    /// <summary>The librarian gives the request back to the queue; its bundle's copies are free again.</summary>
    public async Task<bool> ReleaseAsync(UnitOfWork uow, long id, long staffId, DateTimeOffset now, CancellationToken ct)
    {
        if (await uow.ExecuteAsync(ReleaseSql, new { Id = id, StaffId = staffId, Now = now }, ct) == 0) return false;
        await uow.ExecuteAsync(DropItemsSql, new { Id = id }, ct);
        return true;
    }

    const string CancelSql = """
        update selection_requests set status = 'cancelled', cancelled_at = @Now, claimed_by_staff_id = null, claimed_until = null, updated_at = @Now
        where id = @Id and status in ('open', 'claimed', 'proposed')
        """;

    /// <summary>Cancels (never deletes) a request not yet confirmed, and frees its bundle's copies.</summary>
    public async Task<bool> CancelAsync(UnitOfWork uow, long id, DateTimeOffset now, CancellationToken ct)
    {
        if (await uow.ExecuteAsync(CancelSql, new { Id = id, Now = now }, ct) == 0) return false;
        await uow.ExecuteAsync(DropItemsSql, new { Id = id }, ct);
        return true;
    }

    const string NoteSql = "update selection_requests set librarian_note = @Note, updated_at = @Now where id = @Id";

    public Task<int> SetNoteAsync(UnitOfWork uow, long id, string note, DateTimeOffset now, CancellationToken ct) =>
        uow.ExecuteAsync(NoteSql, new { Id = id, Note = note.Trim(), Now = now }, ct);

    const string ConfirmSql = """
        update selection_requests
        set status = 'confirmed', confirmed_at = @Now, confirmed_by_staff_id = @StaffId, claimed_until = null, updated_at = @Now
        where id = @Id and status in ('open', 'claimed', 'proposed')
        """;
    const string LinkHoldSql = "insert into selection_holds (request_id, hold_id) values (@Id, @HoldId)";

    /// <summary>Records the holds the request became and closes it; its bundle rows go (the holds now keep the copies).</summary>
    public async Task<bool> ConfirmAsync(UnitOfWork uow, long id, long staffId, IReadOnlyList<long> holdIds, DateTimeOffset now, CancellationToken ct)
    {
        if (await uow.ExecuteAsync(ConfirmSql, new { Id = id, StaffId = staffId, Now = now }, ct) == 0) return false;
        foreach (var holdId in holdIds) await uow.ExecuteAsync(LinkHoldSql, new { Id = id, HoldId = holdId }, ct);
        await uow.ExecuteAsync(DropItemsSql, new { Id = id }, ct);
        return true;
    }

    const string NextOccurrenceSql = """
        insert into selection_requests (patron_id, pickup_point_id, item_count, audience, formats, languages, genres, liked_authors,
            liked_titles, avoid, notes, use_history, repeat_every_weeks, repeat_times, occurrence, first_request_id, opens_at, status,
            channel, placed_by_staff_id, created_at, updated_at)
        select patron_id, pickup_point_id, item_count, audience, formats, languages, genres, liked_authors,
            liked_titles, avoid, notes, use_history, repeat_every_weeks, repeat_times, occurrence + 1, coalesce(first_request_id, id), @OpensAt, 'open',
            channel, placed_by_staff_id, @Now, @Now
        from selection_requests
        where id = @Id and repeat_times is not null and occurrence < repeat_times
        returning id
        """;

    /// <summary>A recurring request's next occurrence, due <c>repeat_every_weeks</c> after this one; null after the last.</summary>
    public Task<long?> ScheduleNextAsync(UnitOfWork uow, SelectionRow row, DateTimeOffset now, CancellationToken ct) =>
        row.RepeatEveryWeeks is not { } weeks
            ? Task.FromResult<long?>(null)
            : uow.QuerySingleOrDefaultAsync<long?>(NextOccurrenceSql, new { row.Id, Now = now, OpensAt = now.AddDays(7 * weeks) }, ct);

    const string HoldIdsSql = "select hold_id from selection_holds where request_id = @Id order by hold_id";

    public async Task<IReadOnlyList<long>> HoldIdsAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<long>(new CommandDefinition(HoldIdsSql, new { Id = id }, cancellationToken: ct))).AsList();
    }

    /// <summary>Registers the enums this feature stores (once per process: Dapper's handlers are global).</summary>
    public static void RegisterEnums()
    {
        DapperSetup.AddEnum<SelectionStatus>();
        DapperSetup.AddEnum<SelectionChannel>();
        DapperSetup.AddEnum<Audience>();
        DapperSetup.AddEnum<DocumentFormat>();
        DapperSetup.AddEnum<CopyStatus>();
    }

    // -- Retention and erasure (Privacy, issue 16): the owner unlinks its own rows ---------------------------------

    // The tastes and notes go; pickup point, count, audience, formats, languages, dates and status stay for the figures.
    static string UnlinkFinishedSql(long? patronId) => $"""
        update selection_requests
        set patron_id = @Anonymous, genres = '[]', liked_authors = '[]', liked_titles = '[]', avoid = '[]', notes = '',
            librarian_note = '', proposal_summary = null
        where patron_id <> @Anonymous {(patronId is null ? "" : "and patron_id = @PatronId")}
          and status in ('confirmed', 'cancelled') and coalesce(confirmed_at, cancelled_at, updated_at) < @Before
        """;

    /// <summary>Confirmed or cancelled requests finished before <paramref name="before"/> lose their patron and their tastes.</summary>
    public static Task<int> UnlinkFinishedAsync(UnitOfWork uow, long anonymous, DateTimeOffset before, long? patronId, CancellationToken ct) =>
        uow.ExecuteAsync(UnlinkFinishedSql(patronId), new { Anonymous = anonymous, Before = before, PatronId = patronId }, ct);

    // -- Past activity (Features/Demo writes four weeks of history into an empty database) --------------------------

    /// <summary>A surprise-selection request confirmed or cancelled in the past (the demo's history).</summary>
    internal sealed record PastRequest(long PatronId, long PickupPointId, int ItemCount, string Audience, string Genres, string Notes,
        DateTimeOffset Opens, string Status, DateTimeOffset At, DateTimeOffset? ConfirmedAt, DateTimeOffset? CancelledAt);

    const string PastSql = """
        insert into selection_requests (patron_id, pickup_point_id, item_count, audience, genres, notes, opens_at, status, channel, created_at, updated_at, confirmed_at, cancelled_at)
        values (@PatronId, @PickupPointId, @ItemCount, @Audience, @Genres, @Notes, @Opens, @Status, 'web', @Opens, @At, @ConfirmedAt, @CancelledAt)
        """;

    public static Task<int> InsertPastAsync(UnitOfWork uow, PastRequest request, CancellationToken ct) => uow.ExecuteAsync(PastSql, request, ct);
}
