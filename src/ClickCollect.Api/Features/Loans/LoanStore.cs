using System.Data;
using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Api.Features.Holds;
using ClickCollect.Api.Features.Lockdowns;
using ClickCollect.Api.Features.Network;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Loans;

internal sealed record LoanFilter(long? PatronId = null, bool IncludeReturned = false, long? LoanId = null, int Limit = 500);

/// <summary>
/// Loans: made at the counter (<see cref="CreateAsync"/>), imported (<see cref="LoanImport"/>), returned.
/// A loan's due date always follows the lockdowns in force for the copy's branch; the due date before
/// any lockdown is kept in <c>original_due_on</c>.
/// </summary>
internal sealed class LoanStore(Db db, LoanPolicyStore policies, LockdownStore lockdowns, HoldAllocator allocator, BranchStore branches, CopyStatusStore copies, TimeProvider clock)
{
    const string SelectSql = """
        select l.id, l.patron_id, p.card_number, l.copy_id, c.barcode, c.title_id, t.title, c.branch_id,
               l.loaned_on, l.original_due_on, l.due_on, l.returned_on, l.source
        from loans l
        join patrons p on p.id = l.patron_id
        join copies c on c.id = l.copy_id
        join titles t on t.id = c.title_id
        """;
    static string ListSql(LoanFilter f) => $"""
        {SelectSql}
        {new SqlWhere()
            .And(f.LoanId is not null, "l.id = @LoanId")
            .And(f.PatronId is not null, "l.patron_id = @PatronId")
            .And(!f.IncludeReturned, "l.returned_on is null")}
        order by l.returned_on is not null, coalesce(l.due_on, l.original_due_on), l.id
        limit @Limit
        """;

    public async Task<IReadOnlyList<LoanRow>> ListAsync(LoanFilter f, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<LoanRow>(new CommandDefinition(ListSql(f), f, cancellationToken: ct))).AsList();
    }

    sealed class CopyRow
    {
        public long Id { get; init; }
        public long TitleId { get; init; }
        public long BranchId { get; init; }
        public string Status { get; init; } = "";
        public DocumentFormat Format { get; init; }
        public Audience Audience { get; init; }
    }

    const string CopySql = """
        select c.id, c.title_id, c.branch_id, c.status, t.format, t.audience
        from copies c join titles t on t.id = c.title_id where c.id = @Id
        """;
    // The partial unique index loans_one_open_per_copy is the last word; this keeps the usual case an outcome.
    const string InsertSql = """
        insert into loans (patron_id, copy_id, loaned_on, original_due_on, due_on, source, created_at, updated_at)
        select @PatronId, @CopyId, @LoanedOn, @OriginalDueOn, @DueOn, @Source, @Now, @Now
        where not exists (select 1 from loans where copy_id = @CopyId and returned_on is null)
        returning id
        """;

    /// <summary>
    /// Lends the copy to the patron from <paramref name="loanedOn"/> (the branch's local date), for the
    /// loan policy's length of its format and audience, the due date shifted by any lockdown in force and
    /// moved to the next day the copy's branch is open (weekly closing days, closures of all its counters);
    /// the copy becomes onLoan. Null when the copy does not exist, is lost or withdrawn, or is already on loan.
    /// For the hand-over at the counter: call it in the unit of work that collects the hold, before
    /// writing anything else, because it takes <see cref="LockKeys.Lending"/> shared and a lockdown change
    /// holding it exclusively may be waiting for rows that unit of work has already updated.
    /// </summary>
    /// With <paramref name="libraryDueOn"/> (the due date the library system gave at checkout, issue #13)
    /// that date is the loan's, as the library system keeps the record of loans.
    public async Task<CreatedLoan?> CreateAsync(UnitOfWork uow, long patronId, long copyId, DateOnly loanedOn, CancellationToken ct,
        DateOnly? libraryDueOn = null)
    {
        await uow.LockSharedAsync(LockKeys.Lending, ct);
        var copy = await uow.QuerySingleOrDefaultAsync<CopyRow>(CopySql, new { Id = copyId }, ct);
        if (copy is null || copy.Status is "lost" or "withdrawn") return null;
        var policy = LoanPolicies.Resolve((await policies.ListAsync(uow, ct)).Policies, copy.Format, copy.Audience);
        var opening = libraryDueOn is null ? await branches.OpeningAsync(uow, copy.BranchId, loanedOn, ct) : null;
        var original = libraryDueOn ?? opening!.OnOrAfter(loanedOn.AddDays(policy.LoanDays));
        var shifted = LockdownRules.ShiftDueDate(original, (await lockdowns.PeriodsAsync(uow, ct)).For(copy.BranchId), patronId);
        var due = libraryDueOn ?? (shifted is { } d ? opening!.OnOrAfter(d) : null);
        var now = clock.GetUtcNow();
        var id = await uow.QuerySingleOrDefaultAsync<long?>(InsertSql, new
        {
            PatronId = patronId,
            CopyId = copyId,
            LoanedOn = loanedOn,
            OriginalDueOn = original,
            DueOn = due,
            Source = LoanSource.Counter,
            Now = now,
        }, ct);
        if (id is null) return null;
        await copies.LendAsync(uow, copyId, now, ct);
        return new CreatedLoan(id.Value, original, due);
    }

    sealed class ScannedCopy
    {
        public long Id { get; init; }
        public long TitleId { get; init; }
        public string Title { get; init; } = "";
        public string Status { get; init; } = "";
        public string TimeZone { get; init; } = "";
        public long? LoanId { get; init; }
        public DateOnly? LoanedOn { get; init; }
    }

    const string ScannedSql = """
        select c.id, c.title_id, t.title, c.status, b.time_zone, l.id as loan_id, l.loaned_on
        from copies c
        join titles t on t.id = c.title_id
        join branches b on b.id = c.branch_id
        left join loans l on l.copy_id = c.id and l.returned_on is null
        where c.barcode = @Barcode
        """;
    const string ReturnSql = """
        update loans set returned_on = @ReturnedOn, returned_at = @Now, returned_by_staff_id = @StaffId, updated_at = @Now
        where id = @Id and returned_on is null
        """;
    const string CopyAfterSql = $"""
        select c.status, (select h.id from holds h where h.copy_id = c.id and h.status in {HoldStatuses.AllocatedSql}) as hold_id
        from copies c where c.id = @Id
        """;

    sealed class CopyAfter { public string Status { get; init; } = ""; public long? HoldId { get; init; } }

    /// <summary>
    /// The copy scanned at the counter is back: its open loan ends today (the copy's branch date), and
    /// the copy goes to the oldest queued hold that can use it, or back on the shelf. A copy the
    /// catalogue marked on loan without a loan here is put back in circulation the same way.
    /// </summary>
    public async Task<ReturnOutcome> ReturnAsync(UnitOfWork uow, string barcode, long? staffId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var copy = await uow.QuerySingleOrDefaultAsync<ScannedCopy>(ScannedSql, new { Barcode = barcode }, ct);
        if (copy is null) return new ReturnOutcome.UnknownBarcode();
        if (copy.LoanId is null && copy.Status != "onLoan") return new ReturnOutcome.NotOnLoan(copy.Status);

        if (copy.LoanId is { } loanId)
        {
            var today = Slots.SlotCalculator.LocalDate(now, TimeZoneInfo.FindSystemTimeZoneById(copy.TimeZone));
            // A loan imported with a later start than today's date cannot end before it began.
            var returnedOn = copy.LoanedOn > today ? copy.LoanedOn.Value : today;
            if (await uow.ExecuteAsync(ReturnSql, new { Id = loanId, ReturnedOn = returnedOn, Now = now, StaffId = staffId }, ct) == 0)
                return new ReturnOutcome.NotOnLoan(copy.Status);
        }
        await uow.LockAsync(LockKeys.Title(copy.TitleId), ct);
        await allocator.ReleaseAsync(uow, copy.Id, now, ct);
        var after = await uow.QuerySingleAsync<CopyAfter>(CopyAfterSql, new { copy.Id }, ct);
        return new ReturnOutcome.Returned(copy.LoanId, copy.Title, after.Status, after.HoldId);
    }
    const string DueOnSql = "update loans set due_on = @To, updated_at = @Now where id = @Id and returned_on is null";

    /// <summary>
    /// Due dates a lockdown change moved (null: until an open-ended lockdown ends), for the Lockdowns feature.
    /// Batched: a network-wide lockdown moves thousands of them, one round trip per thousand on PostgreSQL.
    /// </summary>
    public async Task SetDueDatesAsync(UnitOfWork uow, IEnumerable<(long LoanId, DateOnly? DueOn)> dates, DateTimeOffset now, CancellationToken ct)
    {
        await using var loans = BulkWriter.Create(uow, DueOnSql, ("To", DbType.Date), ("Now", DbType.DateTimeOffset), ("Id", DbType.Int64));
        foreach (var (id, due) in dates) await loans.WriteAsync([due, now, id], ct);
        await loans.FlushAsync(ct);
    }

    // -- Retention and erasure (Privacy, issue 16): the owner unlinks its own rows ---------------------------------

    static string UnlinkSql(SqlDialect sql) => $"update loans set patron_id = @Anonymous where patron_id = @PatronId and {sql.InKeys("id", "@Ids")}";

    /// <summary>The patron's loans <paramref name="loanIds"/> pass to the anonymous patron (the caller chose which: returned, old enough).</summary>
    public static async Task<int> UnlinkAsync(UnitOfWork uow, long anonymous, long patronId, IReadOnlyList<long> loanIds, CancellationToken ct) =>
        loanIds.Count == 0 ? 0
            : await uow.ExecuteAsync(UnlinkSql(uow.Dialect), new { Anonymous = anonymous, PatronId = patronId, Ids = uow.Dialect.KeyList(loanIds) }, ct);

    // -- Past activity (Features/Demo writes four weeks of history into an empty database) --------------------------

    const string PastSql = """
        insert into loans (patron_id, copy_id, loaned_on, original_due_on, due_on, returned_on, source, created_at, updated_at)
        values (@PatronId, @CopyId, @LoanedOn, @DueOn, @DueOn, @ReturnedOn, 'counter', @At, @At)
        """;

    /// <summary>A loan lent and returned in the past.</summary>
    public static Task<int> InsertPastAsync(UnitOfWork uow, long patronId, long copyId, DateOnly loanedOn, DateOnly dueOn, DateOnly returnedOn,
        DateTimeOffset at, CancellationToken ct) =>
        uow.ExecuteAsync(PastSql, new { PatronId = patronId, CopyId = copyId, LoanedOn = loanedOn, DueOn = dueOn, ReturnedOn = returnedOn, At = at }, ct);
}

internal abstract record ReturnOutcome
{
    public sealed record Returned(long? LoanId, string Title, string CopyStatus, long? NextHoldId) : ReturnOutcome;
    public sealed record UnknownBarcode : ReturnOutcome;
    public sealed record NotOnLoan(string CopyStatus) : ReturnOutcome;
}
