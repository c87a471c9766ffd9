using System.Text.Json;
using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Api.Features.Holds;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;
using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Features.SurpriseSelections;

/// <summary>
/// What the bundle builder reads (candidates, what the patron already had) and the bundle a request
/// holds. Bundle rows are the soft reservation: the unique index on <c>selection_items(copy_id)</c>
/// makes "a copy is in one open proposal at most" a constraint, not a hope.
/// </summary>
internal sealed class ProposalStore(Db db, CatalogueStore catalogue, IOptions<SelectionOptions> options)
{
    // Hard filters that are cheap in SQL run here too; the builder applies them all again (it is
    // the one tested), so this is only about not reading copies nobody could propose.
    const string TitleFilters = """
        (@Audience is null or t.audience = @Audience) and (@AnyFormat or {0}) and (@AnyLanguage or {1})
        """;
    const string CandidateTitlesSql = """
        select t.id, t.title, t.authors, t.genres, t.audience, t.format, t.language from titles t
        where {0} and exists (select 1 from copies c where c.title_id = t.id and c.status = 'onShelf')
        """;
    const string CandidateCopiesSql = """
        select c.id, c.title_id, c.branch_id, c.status, si.request_id as reserved_for
        from copies c
        join titles t on t.id = c.title_id
        left join selection_items si on si.copy_id = c.id
        where c.status = 'onShelf' and {0}
        """;
    const string BranchesSql = "select id, name from branches";

    // Operational, not history: what the patron holds right now (a second hold on it would be refused).
    const string HeldNowSql = $"""
        select title_id from holds where patron_id = @PatronId and status in {HoldStatuses.ActiveSql}
        """;
    // The request's own record: titles confirmed in earlier occurrences of a recurring selection.
    const string EarlierOccurrencesSql = """
        select h.title_id from selection_holds sh
        join selection_requests r on r.id = sh.request_id
        join holds h on h.id = sh.hold_id
        where r.id = @SeriesId or r.first_request_id = @SeriesId
        """;
    // PAST LOANS — read only with the patron's consent (useHistory), and only as far back as
    // Selections:HistoryMonths. REVIEW(loans): today the only trace of a loan in this database is a
    // hold the patron collected; when Features/Loans lands, add its table here, e.g.
    //   union select c.title_id from loans l join copies c on c.id = l.copy_id
    //         where l.patron_id = @PatronId and l.loaned_on >= @SinceDate
    // and let its retention purge bound what this can see.
    // Loans made at the counter and loans imported from the library system alike (Features/Loans).
    const string PastLoansSql = """
        select c.title_id from loans l join copies c on c.id = l.copy_id
        where l.patron_id = @PatronId and l.loaned_on >= @Since
        """;
    const string MarksSql = "select title_id, mark from selection_title_marks where request_id = @Id";
    const string PinnedSql = "select copy_id from selection_items where request_id = @Id and pinned order by position";

    sealed class BranchName { public long Id { get; init; } public string Name { get; init; } = ""; }

    /// <summary>Everything the builder needs for this request, read in the caller's unit of work (so reservations are as they stand now).</summary>
    public async Task<BundleInput> LoadInputAsync(UnitOfWork uow, SelectionRow row, int seed, DateTimeOffset now, CancellationToken ct)
    {
        var tastes = row.ToTastes();
        var dialect = uow.Dialect;
        var filters = string.Format(System.Globalization.CultureInfo.InvariantCulture, TitleFilters,
            dialect.InKeys("t.format", "@Formats"), dialect.InKeys("t.language", "@Languages"));
        var parameters = new
        {
            Audience = tastes.Audience is { } a ? DapperSetup.ToDb(a) : null,
            AnyFormat = tastes.Formats.Count == 0,
            Formats = dialect.KeyList(tastes.Formats.Select(DapperSetup.ToDb).ToList()),
            AnyLanguage = tastes.Languages.Count == 0,
            Languages = dialect.KeyList(tastes.Languages.Select(l => l.ToLowerInvariant()).ToList()),
        };
        var titles = (await uow.QueryAsync<CandidateTitle>(string.Format(System.Globalization.CultureInfo.InvariantCulture, CandidateTitlesSql, filters), parameters, ct)).AsList();
        var copies = (await uow.QueryAsync<CandidateCopy>(string.Format(System.Globalization.CultureInfo.InvariantCulture, CandidateCopiesSql, filters), parameters, ct)).AsList();
        var branches = (await uow.QueryAsync<BranchName>(BranchesSql, null, ct)).ToDictionary(b => b.Id, b => b.Name);

        var had = new HashSet<long>(await uow.QueryAsync<long>(HeldNowSql, new { row.PatronId }, ct));
        had.UnionWith(await uow.QueryAsync<long>(EarlierOccurrencesSql, new { row.SeriesId }, ct));
        if (row.UseHistory)
            had.UnionWith(await uow.QueryAsync<long>(PastLoansSql, new { row.PatronId, Since = DateOnly.FromDateTime(now.AddMonths(-options.Value.HistoryMonths).UtcDateTime) }, ct));
        var marks = (await uow.QueryAsync<(long TitleId, string Mark)>(MarksSql, new { row.Id }, ct)).ToList();
        var pinned = (await uow.QueryAsync<long>(PinnedSql, new { row.Id }, ct)).AsList();

        return new BundleInput
        {
            Tastes = tastes,
            RequestId = row.Id,
            PickupBranchId = row.PickupBranchId,
            BranchNames = branches,
            Titles = titles,
            Copies = copies,
            Anchors = await AnchorsAsync(tastes, ct),
            AlreadyHad = had,
            Removed = marks.Where(m => m.Mark == "removed").Select(m => m.TitleId).ToHashSet(),
            Shown = marks.Where(m => m.Mark == "shown").Select(m => m.TitleId).ToHashSet(),
            Pinned = pinned,
            Seed = seed,
        };
    }

    /// <summary>
    /// Records by the liked authors and with the liked titles, on the shelf or not: the catalogue's own
    /// search (accents and case folded on both engines) finds them; the builder decides what matches.
    /// </summary>
    async Task<IReadOnlyList<CandidateTitle>> AnchorsAsync(Tastes tastes, CancellationToken ct)
    {
        var anchors = new List<CandidateTitle>();
        foreach (var term in tastes.LikedAuthors.Concat(tastes.LikedTitles))
        {
            var words = SearchTerms.Words(term);
            if (words.Count == 0) continue;
            var (rows, _, _) = await catalogue.SearchAsync(new TitleSearch(words, null, null, null, null, false, 1, 50), ct);
            anchors.AddRange(rows.Select(t => new CandidateTitle
            {
                Id = t.Id,
                Title = t.Title,
                Authors = t.Authors,
                Genres = t.Genres,
                Audience = t.Audience,
                Format = t.Format,
                Language = t.Language,
            }));
        }
        return anchors;
    }

    const string DropUnpinnedSql = "delete from selection_items where request_id = @Id and not pinned";
    const string DropAllSql = "delete from selection_items where request_id = @Id";
    const string InsertItemSql = """
        insert into selection_items (request_id, copy_id, title_id, position, pinned, score, explanation)
        values (@RequestId, @CopyId, @TitleId, @Position, @Pinned, @Score, @Explanation)
        on conflict (copy_id) do nothing
        """;
    const string MarkSql = """
        insert into selection_title_marks (request_id, title_id, mark) values (@RequestId, @TitleId, @Mark)
        on conflict (request_id, title_id) do update set mark = case when selection_title_marks.mark = 'removed' then 'removed' else excluded.mark end
        """;
    const string ProposedSql = """
        update selection_requests set status = 'proposed', proposal_seed = @Seed, proposal_summary = @Summary, updated_at = @Now where id = @Id
        """;

    /// <summary>Replaces the request's bundle. False when a copy was reserved by another request meanwhile (nothing should be kept then).</summary>
    public async Task<bool> SaveAsync(UnitOfWork uow, long requestId, Bundle bundle, int seed, DateTimeOffset now, CancellationToken ct)
    {
        await uow.ExecuteAsync(DropAllSql, new { Id = requestId }, ct);
        var position = 0;
        foreach (var item in bundle.Items)
        {
            if (!await InsertAsync(uow, requestId, item, ++position, ct)) return false;
            await MarkAsync(uow, requestId, item.TitleId, "shown", ct);
        }
        var summary = JsonSerializer.Serialize(new ProposalSummary(bundle.Unmatched, bundle.Excluded, bundle.Shortfall, bundle.DroppedPins), Json);
        await uow.ExecuteAsync(ProposedSql, new { Id = requestId, Seed = seed, Summary = summary, Now = now }, ct);
        return true;
    }

    async Task<bool> InsertAsync(UnitOfWork uow, long requestId, BundleItem item, int position, CancellationToken ct) =>
        await uow.ExecuteAsync(InsertItemSql, new
        {
            RequestId = requestId,
            item.CopyId,
            item.TitleId,
            Position = position,
            item.Pinned,
            item.Score,
            Explanation = JsonSerializer.Serialize(new ItemExplanation(item.Reasons, item.Signals), Json),
        }, ct) == 1;

    Task MarkAsync(UnitOfWork uow, long requestId, long titleId, string mark, CancellationToken ct) =>
        uow.ExecuteAsync(MarkSql, new { RequestId = requestId, TitleId = titleId, Mark = mark }, ct);

    const string PinSql = "update selection_items set pinned = @Pinned where request_id = @Id and copy_id = @CopyId";

    public async Task<bool> PinAsync(UnitOfWork uow, long requestId, long copyId, bool pinned, CancellationToken ct) =>
        await uow.ExecuteAsync(PinSql, new { Id = requestId, CopyId = copyId, Pinned = pinned }, ct) == 1;

    const string RemoveSql = "delete from selection_items where request_id = @Id and copy_id = @CopyId returning title_id, position";

    sealed class Removed { public long TitleId { get; init; } public int Position { get; init; } }

    /// <summary>Takes an item out of the bundle (its copy is free again) and never proposes its title to this request again.</summary>
    public async Task<bool> RemoveAsync(UnitOfWork uow, long requestId, long copyId, CancellationToken ct) =>
        await RemoveItemAsync(uow, requestId, copyId, ct) is not null;

    async Task<Removed?> RemoveItemAsync(UnitOfWork uow, long requestId, long copyId, CancellationToken ct)
    {
        var removed = await uow.QuerySingleOrDefaultAsync<Removed>(RemoveSql, new { Id = requestId, CopyId = copyId }, ct);
        if (removed is not null) await MarkAsync(uow, requestId, removed.TitleId, "removed", ct);
        return removed;
    }

    /// <summary>
    /// Swaps an item for a copy the librarian chose (already checked available by the builder); the new
    /// item takes the old one's place, pinned. Null when the old copy is not in the bundle; false when
    /// the new copy was reserved meanwhile.
    /// </summary>
    public async Task<bool?> SwapAsync(UnitOfWork uow, long requestId, long copyId, BundleItem replacement, CancellationToken ct)
    {
        if (await RemoveItemAsync(uow, requestId, copyId, ct) is not { } removed) return null;
        if (!await InsertAsync(uow, requestId, replacement with { Pinned = true }, removed.Position, ct)) return false;
        await MarkAsync(uow, requestId, replacement.TitleId, "shown", ct);
        return true;
    }

    const string BundleTitlesSql = "select title_id from selection_items where request_id = @Id";

    /// <summary>The titles in the request's bundle now (a swap search leaves them out).</summary>
    public async Task<IReadOnlySet<long>> BundleTitlesAsync(UnitOfWork uow, long requestId, CancellationToken ct) =>
        (await uow.QueryAsync<long>(BundleTitlesSql, new { Id = requestId }, ct)).ToHashSet();

    const string ReservedElsewhereSql = "select copy_id from selection_items where request_id <> @Id and {0}";

    /// <summary>Of these copies, those another request's open proposal reserves.</summary>
    public async Task<IReadOnlySet<long>> ReservedElsewhereAsync(UnitOfWork uow, long requestId, IReadOnlyCollection<long> copyIds, CancellationToken ct) =>
        (await uow.QueryAsync<long>(string.Format(System.Globalization.CultureInfo.InvariantCulture, ReservedElsewhereSql, uow.Dialect.InKeys("copy_id", "@CopyIds")),
            new { Id = requestId, CopyIds = uow.Dialect.KeyList(copyIds) }, ct)).ToHashSet();

    const string HoldGotCopySql = $"select count(*) from holds where id = @Id and copy_id = @CopyId and status in {HoldStatuses.PreparingSql}";

    /// <summary>True when the hold was given that very copy (not queued behind whoever holds it now).</summary>
    public async Task<bool> HoldGotCopyAsync(UnitOfWork uow, long holdId, long copyId, CancellationToken ct) =>
        await uow.QuerySingleAsync<long>(HoldGotCopySql, new { Id = holdId, CopyId = copyId }, ct) == 1;

    const string DescribeCopySql = "select t.title, c.barcode from copies c join titles t on t.id = c.title_id where c.id = @Id";

    /// <summary>"« Title » (barcode)" for a refusal, or "#id" for a copy that does not exist.</summary>
    public async Task<string> DescribeCopyAsync(UnitOfWork uow, long copyId, CancellationToken ct) =>
        await uow.QuerySingleOrDefaultAsync<CopyLabel>(DescribeCopySql, new { Id = copyId }, ct) is { } c
            ? $"« {c.Title} » (exemplaire {c.Barcode})"
            : $"L'exemplaire {copyId}";

    sealed class CopyLabel { public string Title { get; init; } = ""; public string Barcode { get; init; } = ""; }

    const string ItemsSql = """
        select si.copy_id, si.title_id, si.pinned, si.score, si.explanation, t.title, t.authors, t.genres, t.audience, t.format,
               t.language, t.year, c.branch_id, b.name as branch_name, c.barcode, c.shelf_location, c.call_number
        from selection_items si
        join titles t on t.id = si.title_id
        join copies c on c.id = si.copy_id
        join branches b on b.id = c.branch_id
        where si.request_id = @Id
        order by si.position, si.copy_id
        """;

    sealed class ItemRow
    {
        public long CopyId { get; init; }
        public long TitleId { get; init; }
        public bool Pinned { get; init; }
        public double Score { get; init; }
        public string Explanation { get; init; } = "";
        public string Title { get; init; } = "";
        public string Authors { get; init; } = "";
        public string Genres { get; init; } = "";
        public Audience Audience { get; init; }
        public DocumentFormat Format { get; init; }
        public string Language { get; init; } = "";
        public int? Year { get; init; }
        public long BranchId { get; init; }
        public string BranchName { get; init; } = "";
        public string Barcode { get; init; } = "";
        public string ShelfLocation { get; init; } = "";
        public string CallNumber { get; init; } = "";
    }

    /// <summary>The request's bundle as the workbench shows it; null when none was ever proposed.</summary>
    public async Task<ProposalResponse?> ReadAsync(SelectionRow row, DateTimeOffset now, CancellationToken ct)
    {
        List<ItemRow> items;
        await using (var c = await db.OpenAsync(ct))
            items = (await c.QueryAsync<ItemRow>(new CommandDefinition(ItemsSql, new { row.Id }, cancellationToken: ct))).AsList();
        if (row.ProposalSummary is null && items.Count == 0) return null;
        var summary = row.ProposalSummary is null ? null : JsonSerializer.Deserialize<ProposalSummary>(row.ProposalSummary, Json);
        return new ProposalResponse(row.Id, row.StatusAt(now), row.ProposalSeed, row.ClaimedUntil, items.Select(i =>
        {
            var why = JsonSerializer.Deserialize<ItemExplanation>(i.Explanation, Json)!;
            return new ProposalItemResponse(i.CopyId, i.TitleId, i.Title, CatalogueText.SplitAuthors(i.Authors), CatalogueText.SplitGenres(i.Genres),
                i.Audience, i.Format, i.Language, i.Year, i.BranchId, i.BranchName, i.Barcode, i.ShelfLocation, i.CallNumber,
                i.BranchId == row.PickupBranchId, i.Pinned, i.Score, why.Reasons, why.Signals);
        }).ToList(), summary?.Unmatched ?? [], summary?.Excluded ?? new Dictionary<string, int>(), summary?.Shortfall ?? 0, summary?.DroppedPins ?? []);
    }

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
