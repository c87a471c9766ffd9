using System.Data.Common;
using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Api.Infrastructure;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Loans;

/// <summary>The loan and fine policy table; while it is empty, <see cref="LoanPolicies.Defaults"/> apply.</summary>
internal sealed class LoanPolicyStore(Db db)
{
    const string Any = "any";

    sealed class PolicyRow
    {
        public string Format { get; init; } = Any;
        public string Audience { get; init; } = Any;
        public int LoanDays { get; init; }
        public int FineCentsPerDay { get; init; }
        public int FineGraceDays { get; init; }
        public int FineCapCents { get; init; }

        public LoanPolicy ToPolicy() => new(
            Format == Any ? null : EnumText<DocumentFormat>.TryParse(Format, out var f) ? f : throw new InvalidDataException(Format),
            Audience == Any ? null : EnumText<Audience>.TryParse(Audience, out var a) ? a : throw new InvalidDataException(Audience),
            LoanDays, FineCentsPerDay, FineGraceDays, FineCapCents);
    }

    const string ListSql = """
        select format, audience, loan_days, fine_cents_per_day, fine_grace_days, fine_cap_cents
        from loan_policies order by format, audience
        """;

    /// <summary>The policies in force, and whether they are the built-in defaults.</summary>
    public async Task<LoanPoliciesResponse> ListAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await ListAsync(c, null, ct);
    }

    public Task<LoanPoliciesResponse> ListAsync(UnitOfWork uow, CancellationToken ct) => ListAsync(uow.Connection, uow.Transaction, ct);

    static async Task<LoanPoliciesResponse> ListAsync(DbConnection c, DbTransaction? tx, CancellationToken ct)
    {
        var rows = (await c.QueryAsync<PolicyRow>(new CommandDefinition(ListSql, transaction: tx, cancellationToken: ct))).ToList();
        return rows.Count == 0 ? new(true, LoanPolicies.Defaults) : new(false, rows.Select(r => r.ToPolicy()).ToList());
    }

    const string DeleteSql = "delete from loan_policies";
    const string InsertSql = """
        insert into loan_policies (format, audience, loan_days, fine_cents_per_day, fine_grace_days, fine_cap_cents)
        values (@Format, @Audience, @LoanDays, @FineCentsPerDay, @FineGraceDays, @FineCapCents)
        """;

    /// <summary>Replaces the whole table (the request is the complete policy).</summary>
    public async Task ReplaceAsync(UnitOfWork uow, IReadOnlyList<LoanPolicy> policies, CancellationToken ct)
    {
        await uow.ExecuteAsync(DeleteSql, null, ct);
        foreach (var p in policies)
        {
            await uow.ExecuteAsync(InsertSql, new
            {
                Format = p.Format is { } f ? DapperSetup.ToDb(f) : Any,
                Audience = p.Audience is { } a ? DapperSetup.ToDb(a) : Any,
                p.LoanDays,
                p.FineCentsPerDay,
                p.FineGraceDays,
                p.FineCapCents,
            }, ct);
        }
    }
}
