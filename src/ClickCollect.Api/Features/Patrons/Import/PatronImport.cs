using System.Data;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;

namespace ClickCollect.Api.Features.Patrons.Import;

/// <summary>
/// What a patron import did. <c>deactivated</c>: patrons a full export no longer lists (never deleted);
/// <c>reactivated</c>: deactivated patrons the file lists again (also counted in <c>updated</c>).
/// </summary>
internal sealed record PatronImportReport(int Read, int Created, int Updated, int Unchanged, int Deactivated, int Reactivated,
    bool Full, IReadOnlyList<ImportRejection> Rejected);

/// <summary>
/// Brings the library system's patrons over (issue 12, item 5): every line is checked first and nothing
/// is written if one is bad (a full export with a bad line must not deactivate the reader on it); then
/// patrons are created (without a PIN: they set one with a code from the library, <see cref="PinSetup"/>)
/// or updated. A phone or email left empty in the file keeps the one ClickCollect has (a reader may
/// have given it here). A full export (<c>full</c>) also deactivates every patron it does not list:
/// they can no longer sign in, and keep their holds, loans and history for staff to settle.
/// </summary>
internal sealed class PatronImport(TimeProvider clock)
{
    // Two imports at once would both create the same new card.
    const long ImportLockKey = 0x506174496d70;

    /// <summary>The text of a block that came from the library system's export (cleared when it lifts the block).</summary>
    public const string BlockedByLibrarySystem = "Carte bloquée dans le système de la bibliothèque.";

    sealed class Existing
    {
        public long Id { get; init; }
        public string CardNumber { get; init; } = "";
        public string FirstName { get; init; } = "";
        public string LastName { get; init; } = "";
        public string? Phone { get; init; }
        public string? Email { get; init; }
        public long? HomeBranchId { get; init; }
        public DateOnly? ExpiresOn { get; init; }
        public string? BlockedReason { get; init; }
        public DateTimeOffset? DeactivatedAt { get; init; }
    }

    sealed class BranchKey { public long Id { get; init; } public string Code { get; init; } = ""; public string TimeZone { get; init; } = ""; }

    const string ExistingSql = """
        select id, upper(card_number) as card_number, first_name, last_name, phone, email, home_branch_id, expires_on, blocked_reason, deactivated_at
        from patrons where not anonymous
        """;
    const string BranchesSql = "select id, upper(code) as code, time_zone from branches";
    const string InsertSql = """
        insert into patrons (card_number, pin_hash, first_name, last_name, phone, email, home_branch_id, expires_on, blocked_reason, created_at)
        values (@CardNumber, '', @FirstName, @LastName, @Phone, @Email, @HomeBranchId, @ExpiresOn, @BlockedReason, @Now)
        """;
    const string UpdateSql = """
        update patrons set first_name = @FirstName, last_name = @LastName, phone = @Phone, email = @Email, home_branch_id = @HomeBranchId,
                           expires_on = @ExpiresOn, blocked_reason = @BlockedReason, deactivated_at = null
        where id = @Id
        """;
    const string DeactivateSql = "update patrons set deactivated_at = @Now where id = @Id and deactivated_at is null";

    public async Task<PatronImportReport> ImportAsync(UnitOfWork uow, PatronFile file, bool full, CancellationToken ct)
    {
        await uow.LockAsync(ImportLockKey, ct);
        var now = clock.GetUtcNow();
        var existing = (await uow.QueryAsync<Existing>(ExistingSql, null, ct)).ToDictionary(p => p.CardNumber, StringComparer.Ordinal);
        var branches = (await uow.QueryAsync<BranchKey>(BranchesSql, null, ct)).ToDictionary(b => b.Code, StringComparer.Ordinal);

        var rejected = file.Rejected.ToList();
        var rows = new List<(PatronImportRow Row, long? BranchId, string? Phone)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in file.Rows)
        {
            var before = rejected.Count;
            if (!seen.TryAdd(row.CardNumber.ToUpperInvariant(), row.Line))
                rejected.Add(new(row.Line, "cardNumber", $"La carte « {row.CardNumber} » figure déjà ligne {seen[row.CardNumber.ToUpperInvariant()]}."));
            BranchKey? branch = null;
            if (row.HomeBranchCode is { } code && !branches.TryGetValue(code, out branch))
                rejected.Add(new(row.Line, "homeBranchCode", $"Bibliothèque inconnue « {code} ». Codes connus : {string.Join(", ", branches.Keys.Order())}."));
            string? phone = null;
            if (row.Phone is { } written && !PhoneNumber.TryNormalise(written, out phone, PhoneNumber.RegionOf(branch?.TimeZone)))
                rejected.Add(new(row.Line, "phone", $"« {written} » : {PhoneNumber.NotRecognised}"));
            if (rejected.Count == before) rows.Add((row, branch?.Id, phone));
        }
        if (full && file.Read == 0 && rejected.Count == 0)
            rejected.Add(new(1, "file", "Un export complet sans aucun lecteur désactiverait tout le monde : rien n'a été importé."));
        if (rejected.Count > 0) return new PatronImportReport(file.Read, 0, 0, 0, 0, 0, full, rejected.OrderBy(r => r.Line).ToList());

        int created = 0, updated = 0, unchanged = 0, reactivated = 0;
        await using var inserts = BulkWriter.Create(uow, InsertSql, ("CardNumber", DbType.String), ("FirstName", DbType.String), ("LastName", DbType.String),
            ("Phone", DbType.String), ("Email", DbType.String), ("HomeBranchId", DbType.Int64), ("ExpiresOn", DbType.Date), ("BlockedReason", DbType.String),
            ("Now", DbType.DateTimeOffset));
        await using var updates = BulkWriter.Create(uow, UpdateSql, ("FirstName", DbType.String), ("LastName", DbType.String), ("Phone", DbType.String),
            ("Email", DbType.String), ("HomeBranchId", DbType.Int64), ("ExpiresOn", DbType.Date), ("BlockedReason", DbType.String), ("Id", DbType.Int64));
        foreach (var (row, branchId, phone) in rows)
        {
            if (!existing.TryGetValue(row.CardNumber.ToUpperInvariant(), out var patron))
            {
                await inserts.WriteAsync([row.CardNumber, row.FirstName, row.LastName, phone, row.Email, branchId, row.ExpiresOn,
                    row.Blocked ? BlockedByLibrarySystem : null, now], ct);
                created++;
                continue;
            }
            var next = (First: row.FirstName, Last: row.LastName, Phone: phone ?? patron.Phone, Email: row.Email ?? patron.Email,
                Branch: branchId ?? patron.HomeBranchId, row.ExpiresOn, Blocked: BlockedReason(row.Blocked, patron.BlockedReason));
            if (patron.DeactivatedAt is null && next == (patron.FirstName, patron.LastName, patron.Phone, patron.Email, patron.HomeBranchId, patron.ExpiresOn, patron.BlockedReason))
            {
                unchanged++;
                continue;
            }
            await updates.WriteAsync([next.First, next.Last, next.Phone, next.Email, next.Branch, next.ExpiresOn, next.Blocked, patron.Id], ct);
            updated++;
            if (patron.DeactivatedAt is not null) reactivated++;
        }
        await inserts.FlushAsync(ct);
        await updates.FlushAsync(ct);

        var deactivated = 0;
        if (full)
        {
            await using var deactivations = BulkWriter.Create(uow, DeactivateSql, ("Now", DbType.DateTimeOffset), ("Id", DbType.Int64));
            foreach (var patron in existing.Values.Where(p => p.DeactivatedAt is null && !seen.ContainsKey(p.CardNumber)))
                await deactivations.WriteAsync([now, patron.Id], ct);
            await deactivations.FlushAsync(ct);
            deactivated = deactivations.RowsAffected;
        }
        return new PatronImportReport(file.Read, created, updated, unchanged, deactivated, reactivated, full, []);
    }

    /// <summary>
    /// The library system blocks: its block (a reason staff set here stays). It no longer blocks: its own
    /// earlier block is lifted, whether it came from an export or from a SIP2 sign-in; one set here stays.
    /// </summary>
    static string? BlockedReason(bool blocked, string? current)
    {
        var fromLibrarySystem = current is not null
            && (current == BlockedByLibrarySystem || current.StartsWith("Système de la bibliothèque", StringComparison.Ordinal));
        if (blocked) return current ?? BlockedByLibrarySystem;
        return fromLibrarySystem ? null : current;
    }
}
