using System.Data;
using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Api.Features.Lockdowns;
using ClickCollect.Api.Features.Slots;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;

namespace ClickCollect.Api.Features.Loans;

/// <summary>
/// Brings the library system's current loans over: every line is checked first and nothing is written
/// if one is bad; then loans are created (the copies become onLoan) or, for a loan already here
/// (same copy, same patron), updated. Importing the same file twice changes nothing. Due dates are
/// those of the file, shifted by any lockdown of the copy's branch (the file's date is kept as the original).
/// </summary>
internal sealed class LoanImport(LockdownStore lockdowns, CopyStatusStore copyStatuses, TimeProvider clock)
{
    // Two imports at once would both see a copy as free and both insert its loan.
    const long ImportLockKey = 0x4c6f616e496d70;

    sealed class PatronKey { public long Id { get; init; } public string CardNumber { get; init; } = ""; }

    sealed class CopyState
    {
        public long Id { get; init; }
        public string Barcode { get; init; } = "";
        public long BranchId { get; init; }
        public string Status { get; init; } = "";
        public string TimeZone { get; init; } = "";
        public long? LoanId { get; init; }
        public long? LoanPatronId { get; init; }
        public DateOnly? LoanedOn { get; init; }
        public DateOnly? OriginalDueOn { get; init; }
        public DateOnly? DueOn { get; init; }
    }

    static string PatronsSql(SqlDialect sql) => $"""
        select id, upper(card_number) as card_number from patrons where {sql.InKeys("upper(card_number)", "@Keys")}
        """;
    static string CopiesSql(SqlDialect sql) => $"""
        select c.id, c.barcode, c.branch_id, c.status, b.time_zone,
               l.id as loan_id, l.patron_id as loan_patron_id, l.loaned_on, l.original_due_on, l.due_on
        from copies c
        join branches b on b.id = c.branch_id
        left join loans l on l.copy_id = c.id and l.returned_on is null
        where {sql.InKeys("c.barcode", "@Keys")}
        """;
    const string InsertSql = """
        insert into loans (patron_id, copy_id, loaned_on, original_due_on, due_on, source, created_at, updated_at)
        values (@PatronId, @CopyId, @LoanedOn, @OriginalDueOn, @DueOn, 'import', @Now, @Now)
        """;
    const string UpdateSql = """
        update loans set loaned_on = @LoanedOn, original_due_on = @OriginalDueOn, due_on = @DueOn, updated_at = @Now
        where id = @Id and returned_on is null
        """;

    public async Task<LoanImportReport> ImportAsync(UnitOfWork uow, LoanFile file, CancellationToken ct)
    {
        await uow.LockAsync(ImportLockKey, ct);
        await uow.LockSharedAsync(LockKeys.Lending, ct);
        var now = clock.GetUtcNow();
        var rows = file.Rows;
        var patrons = (await uow.QueryAsync<PatronKey>(PatronsSql(uow.Dialect),
                new { Keys = uow.Dialect.KeyList(rows.Select(r => r.CardNumber.ToUpperInvariant()).Distinct().ToList()) }, ct))
            .ToDictionary(p => p.CardNumber, p => p.Id, StringComparer.Ordinal);
        var copies = (await uow.QueryAsync<CopyState>(CopiesSql(uow.Dialect),
                new { Keys = uow.Dialect.KeyList(rows.Select(r => r.Barcode).Distinct().ToList()) }, ct))
            .ToDictionary(c => c.Barcode, StringComparer.Ordinal);

        var rejected = file.Rejected.Concat(Check(rows, patrons, copies, now)).OrderBy(r => r.Line).ToList();
        if (rejected.Count > 0) return new LoanImportReport(file.Read, 0, 0, 0, 0, rejected);

        var periods = await lockdowns.PeriodsAsync(uow, ct);
        int created = 0, updated = 0, unchanged = 0, shifted = 0;
        await using var inserts = BulkWriter.Create(uow, InsertSql, ("PatronId", DbType.Int64), ("CopyId", DbType.Int64),
            ("LoanedOn", DbType.Date), ("OriginalDueOn", DbType.Date), ("DueOn", DbType.Date), ("Now", DbType.DateTimeOffset));
        await using var updates = BulkWriter.Create(uow, UpdateSql, ("LoanedOn", DbType.Date), ("OriginalDueOn", DbType.Date),
            ("DueOn", DbType.Date), ("Now", DbType.DateTimeOffset), ("Id", DbType.Int64));
        var lent = new List<long>();
        foreach (var row in rows)
        {
            var patronId = patrons[row.CardNumber.ToUpperInvariant()];
            var copy = copies[row.Barcode];
            var due = LockdownRules.ShiftDueDate(row.DueOn, periods.For(copy.BranchId), patronId);
            if (due != row.DueOn) shifted++;
            if (copy.LoanId is { } loanId)
            {
                if (copy.LoanedOn == row.LoanedOn && copy.OriginalDueOn == row.DueOn && copy.DueOn == due) { unchanged++; continue; }
                await updates.WriteAsync([row.LoanedOn, row.DueOn, due, now, loanId], ct);
                updated++;
                continue;
            }
            await inserts.WriteAsync([patronId, copy.Id, row.LoanedOn, row.DueOn, due, now], ct);
            lent.Add(copy.Id);
            created++;
        }
        await inserts.FlushAsync(ct);
        await updates.FlushAsync(ct);
        await copyStatuses.LendAllAsync(uow, lent, now, ct);
        return new LoanImportReport(file.Read, created, updated, unchanged, shifted, []);
    }

    /// <summary>Why lines cannot be imported: unknown card or copy, a copy not lendable, lent to someone else, twice in the file.</summary>
    static IEnumerable<ImportRejection> Check(IReadOnlyList<LoanImportRow> rows, Dictionary<string, long> patrons,
        Dictionary<string, CopyState> copies, DateTimeOffset now)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var knownPatron = patrons.TryGetValue(row.CardNumber.ToUpperInvariant(), out var patronId);
            if (!knownPatron) yield return new(row.Line, "cardNumber", $"La carte « {row.CardNumber} » n'existe pas.");
            if (!seen.TryAdd(row.Barcode, row.Line))
                yield return new(row.Line, "barcode", $"L'exemplaire « {row.Barcode} » figure déjà ligne {seen[row.Barcode]}.");
            if (!copies.TryGetValue(row.Barcode, out var copy))
            {
                yield return new(row.Line, "barcode", $"L'exemplaire « {row.Barcode} » n'existe pas au catalogue.");
                continue;
            }
            if (copy.Status is "lost" or "withdrawn")
                yield return new(row.Line, "barcode", $"L'exemplaire « {row.Barcode} » est {(copy.Status == "lost" ? "perdu" : "retiré")} : il ne peut pas être en prêt.");
            else if (copy.Status is "held" or "inTransit")
                yield return new(row.Line, "barcode", $"L'exemplaire « {row.Barcode} » est réservé pour un lecteur ClickCollect : rendez-le disponible avant de l'importer en prêt.");
            else if (knownPatron && copy.LoanPatronId is { } holder && holder != patronId)
                yield return new(row.Line, "barcode", $"L'exemplaire « {row.Barcode} » est déjà en prêt à une autre carte.");
            var today = SlotCalculator.LocalDate(now, TimeZoneInfo.FindSystemTimeZoneById(copy.TimeZone));
            if (row.LoanedOn > today)
                yield return new(row.Line, "loanedOn", $"La date de prêt ({row.LoanedOn:yyyy-MM-dd}) est dans le futur.");
        }
    }
}
