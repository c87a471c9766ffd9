using System.Data.Common;
using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Api.Features.Loans;
using ClickCollect.Api.Features.Lockdowns;
using ClickCollect.Api.Features.Slots;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Fines;

/// <summary>A loan with what its fine depends on: the copy's branch, format and audience.</summary>
internal sealed class FineLoan
{
    public long Id { get; init; }
    public long PatronId { get; init; }
    public string Barcode { get; init; } = "";
    public string Title { get; init; } = "";
    public long BranchId { get; init; }
    public DocumentFormat Format { get; init; }
    public Audience Audience { get; init; }
    public DateOnly LoanedOn { get; init; }
    public DateOnly OriginalDueOn { get; init; }
    public DateOnly? DueOn { get; init; }
    public DateOnly? ReturnedOn { get; init; }
}

/// <summary>
/// Everything a fine depends on besides the loan and the lockdowns: the policies, each branch's closed
/// days and time zone. Loaded once per request, then pure.
/// </summary>
internal sealed record FineContext(IReadOnlyList<LoanPolicy> Policies, IReadOnlyDictionary<long, IReadOnlyList<DateRange>> ClosedDays,
    IReadOnlyDictionary<long, TimeZoneInfo> Zones)
{
    public DateOnly Today(long branchId, DateTimeOffset now) =>
        SlotCalculator.LocalDate(now, Zones.TryGetValue(branchId, out var zone) ? zone : TimeZoneInfo.Utc);

    /// <summary>The loan's fine today, under <paramref name="lockdowns"/> (all of them; those of the copy's branch apply).</summary>
    public Fine Compute(FineLoan loan, IReadOnlyList<LockdownPeriod> lockdowns, DateTimeOffset now)
    {
        var policy = LoanPolicies.Resolve(Policies, loan.Format, loan.Audience);
        var input = new FineInput(loan.OriginalDueOn, loan.ReturnedOn, policy.Fine, lockdowns.For(loan.BranchId),
            ClosedDays.TryGetValue(loan.BranchId, out var closed) ? closed : [], loan.PatronId);
        return FineCalculator.Compute(input, Today(loan.BranchId, now));
    }
}

internal sealed class FinesStore(Db db, LoanPolicyStore policies)
{
    const string LoanColumns = """
        select l.id, l.patron_id, c.barcode, t.title, c.branch_id, t.format, t.audience, l.loaned_on, l.original_due_on, l.due_on, l.returned_on
        from loans l join copies c on c.id = l.copy_id join titles t on t.id = c.title_id
        """;
    const string PatronLoansSql = LoanColumns + "\nwhere l.patron_id = @PatronId order by l.original_due_on, l.id";
    // Loans that are or were late by their original date: the only ones a lockdown can change the fine of.
    const string LateLoansSql = LoanColumns + "\nwhere l.original_due_on < @Today and (l.returned_on is null or l.returned_on > l.original_due_on)";

    public async Task<IReadOnlyList<FineLoan>> PatronLoansAsync(long patronId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<FineLoan>(new CommandDefinition(PatronLoansSql, new { PatronId = patronId }, cancellationToken: ct))).AsList();
    }

    public async Task<IReadOnlyList<FineLoan>> PatronLoansAsync(UnitOfWork uow, long patronId, CancellationToken ct) =>
        (await uow.QueryAsync<FineLoan>(PatronLoansSql, new { PatronId = patronId }, ct)).AsList();

    /// <summary>Loans late by their original due date (<paramref name="latestToday"/>: the latest branch date today).</summary>
    public async Task<IReadOnlyList<FineLoan>> LateLoansAsync(UnitOfWork uow, DateOnly latestToday, CancellationToken ct) =>
        (await uow.QueryAsync<FineLoan>(LateLoansSql, new { Today = latestToday }, ct)).AsList();

    sealed class ClosureRow { public long BranchId { get; init; } public long PickupPointId { get; init; } public DateOnly StartsOn { get; init; } public DateOnly EndsOn { get; init; } }
    sealed class CounterRow { public long BranchId { get; init; } public long PickupPointId { get; init; } }
    sealed class ZoneRow { public long Id { get; init; } public string TimeZone { get; init; } = ""; }

    const string ClosuresSql = """
        select c.branch_id, p.id as pickup_point_id, cl.starts_on, cl.ends_on
        from closures cl join pickup_points p on p.id = cl.pickup_point_id join counters c on c.id = p.counter_id
        """;
    const string CountersSql = "select c.branch_id, p.id as pickup_point_id from counters c join pickup_points p on p.counter_id = c.id";
    const string ZonesSql = "select id, time_zone from branches";

    public async Task<FineContext> ContextAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await ContextAsync(c, null, (await policies.ListAsync(ct)).Policies, ct);
    }

    public async Task<FineContext> ContextAsync(UnitOfWork uow, CancellationToken ct) =>
        await ContextAsync(uow.Connection, uow.Transaction, (await policies.ListAsync(uow, ct)).Policies, ct);

    static async Task<FineContext> ContextAsync(DbConnection c, DbTransaction? tx, IReadOnlyList<LoanPolicy> policies, CancellationToken ct)
    {
        var closures = await c.QueryAsync<ClosureRow>(new CommandDefinition(ClosuresSql, transaction: tx, cancellationToken: ct));
        var counters = await c.QueryAsync<CounterRow>(new CommandDefinition(CountersSql, transaction: tx, cancellationToken: ct));
        var zones = await c.QueryAsync<ZoneRow>(new CommandDefinition(ZonesSql, transaction: tx, cancellationToken: ct));
        var closed = FineCalculator.BranchClosedDays(
            counters.ToLookup(r => r.BranchId, r => r.PickupPointId),
            closures.ToLookup(r => r.PickupPointId, r => new DateRange(r.StartsOn, r.EndsOn)));
        return new FineContext(policies, closed, zones.ToDictionary(z => z.Id, z => TimeZoneInfo.FindSystemTimeZoneById(z.TimeZone)));
    }
}
