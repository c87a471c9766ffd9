using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Privacy;

/// <summary>What a staff member did with a patron's record.</summary>
internal enum PatronAccess { Open, Export, Erase }

internal sealed record PatronAccessEntry(long Id, DateTimeOffset OccurredAt, long StaffId, string StaffName, long PatronId, string? CardNumber,
    PatronAccess Action, string Page);

/// <summary>
/// The staff access log (issue 16): every staff endpoint that opens, exports or erases a patron's record
/// calls <see cref="RecordAsync"/>, so a director can see who looked at whom, when, and from which page.
/// Entries name the patron by internal id only, and are kept a year (the retention job removes older ones).
/// </summary>
internal sealed class PatronAccessLog(Db db, TimeProvider clock)
{
    /// <summary>The header staff pages send to say which page the call comes from (else the Referer's path).</summary>
    public const string PageHeader = "X-Staff-Page";

    const string InsertSql = """
        insert into patron_access_log (occurred_at, staff_id, patron_id, action, page)
        values (@Now, @StaffId, @PatronId, @Action, @Page)
        """;

    /// <summary>Logs the access when <paramref name="staff"/> is staff (a patron reading their own record is not logged).</summary>
    public async Task RecordAsync(CurrentUser staff, long patronId, PatronAccess action, string page, CancellationToken ct)
    {
        if (!staff.IsStaff) return;
        await db.WriteAsync(uow => RecordAsync(uow, staff, patronId, action, page, ct), ct);
    }

    /// <summary>The same inside a unit of work, so the entry commits with the change it describes (erasure).</summary>
    public async Task<int> RecordAsync(UnitOfWork uow, CurrentUser staff, long patronId, PatronAccess action, string page, CancellationToken ct)
    {
        if (!staff.IsStaff) return 0;
        return await uow.ExecuteAsync(InsertSql, new
        {
            Now = clock.GetUtcNow(),
            StaffId = staff.Id,
            PatronId = patronId,
            Action = DapperSetup.ToDb(action),
            Page = page.Length > 200 ? page[..200] : page,
        }, ct);
    }

    /// <summary>The page a call comes from: the <see cref="PageHeader"/> header, else the Referer's path and fragment.</summary>
    public static string PageOf(HttpContext http)
    {
        var page = http.Request.Headers[PageHeader].ToString();
        if (page.Length > 0) return page;
        return Uri.TryCreate(http.Request.Headers.Referer.ToString(), UriKind.Absolute, out var referer) ? referer.PathAndQuery + referer.Fragment : "";
    }

    sealed class Row
    {
        public long Id { get; init; }
        public DateTimeOffset OccurredAt { get; init; }
        public long StaffId { get; init; }
        public string? StaffName { get; init; }
        public long PatronId { get; init; }
        public string? CardNumber { get; init; }
        public string Action { get; init; } = "";
        public string Page { get; init; } = "";
    }

    static string ListSql(long? patronId, long? staffId) => $"""
        select a.id, a.occurred_at, a.staff_id, s.display_name as staff_name, a.patron_id, p.card_number, a.action, a.page
        from patron_access_log a
        left join staff s on s.id = a.staff_id
        left join patrons p on p.id = a.patron_id
        {new SqlWhere().And(patronId is not null, "a.patron_id = @PatronId").And(staffId is not null, "a.staff_id = @StaffId")}
        order by a.occurred_at desc, a.id desc
        limit @Limit
        """;

    public async Task<IReadOnlyList<PatronAccessEntry>> ListAsync(long? patronId, long? staffId, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<Row>(new CommandDefinition(ListSql(patronId, staffId), new { PatronId = patronId, StaffId = staffId, Limit = limit }, cancellationToken: ct));
        return rows.Select(r => new PatronAccessEntry(r.Id, r.OccurredAt, r.StaffId, r.StaffName ?? $"#{r.StaffId}", r.PatronId, r.CardNumber,
            Enum.Parse<PatronAccess>(r.Action, ignoreCase: true), r.Page)).ToList();
    }
}
