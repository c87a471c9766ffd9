using System.Data.Common;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Catalogue;

/// <summary>Reading the catalogue: search, a title with its copies, genres.</summary>
internal sealed class CatalogueStore(Db db, SearchCache cache)
{
    const string TitleColumns = "t.id, t.record_id, t.isbn, t.title, t.authors, t.publisher, t.year, t.language, t.audience, t.format, t.genres";

    // Copies on the shelf, anywhere or at one branch (the pickup point's); read through copies_title_branch.
    static string OnShelf(TitleSearch s) =>
        "from copies c where c.title_id = t.id and c.status = 'onShelf'" + (s.BranchId is null ? "" : " and c.branch_id = @BranchId");

    // Only the filters given (#17): "(@X is null or t.x = @X)" costs a test per row and keeps any index away.
    static SqlWhere Filters(TitleSearch s) => new SqlWhere()
        .And(s.Audience is not null, "t.audience = @Audience")
        .And(s.Format is not null, "t.format = @Format")
        .And(s.Language is not null, "t.language = @Language")
        .And(s.OnlyAvailable, $"exists (select 1 {OnShelf(s)})");

    static string Columns(TitleSearch s) => $"{TitleColumns}, (select count(*) {OnShelf(s)}) as available_copies";

    // Without words: the catalogue in title order (index titles_sort on both engines).
    static string ListSql(TitleSearch s) => $"""
        select {Columns(s)} from titles t
        {Filters(s)}
        order by lower(t.title), t.id
        limit @Limit offset @Offset
        """;
    static string ListCountSql(TitleSearch s) => $"select 1 from titles t {Filters(s)}";

    // With words: "matches" gives (id, rank), smaller rank first, title > authors > genres.
    // SQLite: FTS5 with bm25 column weights; unicode61 remove_diacritics folds case and accents on both sides.
    const string MatchesSqlite = """
        matches as (select rowid as id, bm25(titles_fts, 10.0, 3.0, 1.0) as rank from titles_fts where titles_fts match @Match)
        """;
    // PostgreSQL: the weighted tsvector column (A title, B authors, C genres) and ts_rank. The words go
    // through the same parser and f_unaccent as the indexed text, and each lexeme becomes a quoted
    // prefix term ('etranger':*), so nothing typed is ever read as tsquery syntax. The tsquery is made
    // first, on its own: given as a value, the planner weighs it against the GIN index (made inside the
    // search, it was unknown at planning time and titles were scanned).
    const string TsQuerySql = """
        select string_agg('''' || replace(replace(w, '\', '\\'), '''', '''''') || ''':*', ' & ')
        from unnest(tsvector_to_array(to_tsvector('simple', f_unaccent(@Match)))) w
        """;
    const string MatchesPostgres = """
        matches as (
            select t.id, -ts_rank('{0.01, 0.05, 0.3, 1.0}', t.search, cast(@TsQuery as tsquery)) as rank
            from titles t where t.search @@ cast(@TsQuery as tsquery))
        """;
    static string SearchSql(SqlDialect dialect, TitleSearch s, string? columns = null) => $"""
        with {dialect.Pick(MatchesSqlite, MatchesPostgres)}
        select {columns ?? Columns(s)}
        from matches m {Join(dialect)} titles t on t.id = m.id
        {Filters(s)}
        order by m.rank, lower(t.title), t.id
        limit @Limit offset @Offset
        """;
    // SQLite's planner may put titles first and run the full-text query once per title (minutes on 20,000
    // titles): "cross join" keeps the order as written, the index's hits first, each title read by key.
    static string Join(SqlDialect dialect) => dialect.Pick("cross join", "join");

    // Counting needs no rank: the hits alone, from the full-text index.
    static string SearchCountSql(SqlDialect dialect, TitleSearch s) => dialect.IsSqlite
        ? $"select 1 from titles_fts cross join titles t on t.id = titles_fts.rowid {Filters(s).And("titles_fts match @Match")}"
        : $"select 1 from titles t {Filters(s).And("t.search @@ cast(@TsQuery as tsquery)")}";

    /// <summary>
    /// Up to this many hits are counted exactly; past it the total is an estimate (#17: counting every title
    /// a common word finds, through its filters, cost as much as ranking the page). Nobody pages that far.
    /// </summary>
    public const int ExactCountLimit = 1000;

    // Past the limit: the hits of the words alone (the full-text index, no filter, no join), or the size of
    // the catalogue (PostgreSQL's own statistic). An upper bound when filters narrow the search.
    const string EstimateSqlite = "select count(*) from titles_fts where titles_fts match @Match";
    const string EstimatePostgres = "select count(*) from titles t where t.search @@ cast(@TsQuery as tsquery)";
    const string CatalogueSizeSqlite = "select coalesce(max(id), 0) from titles";
    const string CatalogueSizePostgres = "select greatest(reltuples, 0)::bigint from pg_class where oid = 'titles'::regclass";

    // The catalogue's version (migration 0023, bumped by CatalogueImportStore): one row, read by primary key.
    const string CatalogueVersionSql = "select version from catalogue_version where id = 1";

    /// <summary>PostgreSQL: at most <see cref="DatabaseGate.AtOnce"/> searches at once, on their own connections (<see cref="Db.OpenSearchAsync"/>).</summary>
    internal DatabaseGate Searching { get; } = new(db.Dialect, DatabaseGate.AtOnce);

    public Task<(IReadOnlyList<TitleRow> Items, int Total, bool Estimated)> SearchAsync(TitleSearch search, CancellationToken ct) =>
        Searching.RunAsync(() => SearchNowAsync(search, ct), ct);

    async Task<(IReadOnlyList<TitleRow> Items, int Total, bool Estimated)> SearchNowAsync(TitleSearch search, CancellationToken ct)
    {
        var dialect = db.Dialect;
        var byWords = search.Words.Count > 0;
        var (sql, hitsSql) = byWords ? (SearchSql(dialect, search), SearchCountSql(dialect, search)) : (ListSql(search), ListCountSql(search));
        var match = byWords ? dialect.Pick(SearchTerms.ToFts5(search.Words), SearchTerms.ToPostgres(search.Words)) : null;
        var offset = (long)(search.Page - 1) * search.PageSize;
        await using var c = await db.OpenSearchAsync(ct);
        var cacheable = SearchCache.Caches(search, match);
        long? catalogueVersion = null;
        // PostgreSQL, a search already ranked at the catalogue version this instance last read: one round trip, the
        // version read again in the same batch as the page, the page kept only if the version is still that one
        // (#17: the separate version read was one of a cached search's two round trips).
        if (cacheable && !dialect.IsSqlite && cache.LastCatalogueVersion is { } guess
            && cache.Get(cache.KeyFor(search, match!, guess)) is { } guessed && Serves(guessed, offset, search.PageSize))
        {
            var (read, rows) = await VersionAndPageAsync(c, guessed.Ids, offset, search, ct);
            if (read == guess) return (rows, guessed.Total, guessed.Estimated);
            catalogueVersion = read; // an import committed since: ranked again below, under the new version
        }
        // The version is read before ranking: a ranking made after an import committed may sit under the
        // version before it (one miss more), but one made before never sits under the version after.
        if (cacheable && catalogueVersion is null)
            catalogueVersion = await c.ExecuteScalarAsync<long>(new CommandDefinition(CatalogueVersionSql, cancellationToken: ct));
        if (catalogueVersion is { } v) cache.LastCatalogueVersion = v;
        var key = cacheable ? cache.KeyFor(search, match!, catalogueVersion!.Value) : null;
        if (key is not null && cache.Get(key) is { } cached && Serves(cached, offset, search.PageSize))
            return (await PageAsync(c, cached.Ids, offset, search, ct), cached.Total, cached.Estimated);

        var tsQuery = byWords && !dialect.IsSqlite
            ? await c.ExecuteScalarAsync<string?>(new CommandDefinition(TsQuerySql, new { Match = match }, cancellationToken: ct))
            : null;
        if (byWords && !dialect.IsSqlite && tsQuery is null) return ([], 0, false); // no word left once parsed
        var parameters = new
        {
            Match = match,
            TsQuery = tsQuery,
            Audience = search.Audience is { } a ? DapperSetup.ToDb(a) : null,
            Format = search.Format is { } f ? DapperSetup.ToDb(f) : null,
            search.Language,
            search.BranchId,
            Limit = key is null ? search.PageSize : ExactCountLimit,
            Offset = key is null ? offset : 0,
            CountLimit = ExactCountLimit + 1,
        };
        var countSql = $"select count(*) from ({hitsSql} limit @CountLimit) hits";
        var total = await c.ExecuteScalarAsync<long>(new CommandDefinition(countSql, parameters, cancellationToken: ct));
        var estimated = total > ExactCountLimit;
        if (estimated)
        {
            var estimateSql = byWords ? dialect.Pick(EstimateSqlite, EstimatePostgres) : dialect.Pick(CatalogueSizeSqlite, CatalogueSizePostgres);
            total = Math.Max(total, await c.ExecuteScalarAsync<long>(new CommandDefinition(estimateSql, parameters, cancellationToken: ct)));
        }
        if (key is null)
        {
            var items = total == 0 ? [] : (await c.QueryAsync<TitleRow>(new CommandDefinition(sql, parameters, cancellationToken: ct))).AsList();
            return (items, (int)total, estimated);
        }
        // Cacheable: rank once, keep the first ExactCountLimit ids in page order, read the page by key.
        var ids = total == 0 ? [] : (await c.QueryAsync<long>(new CommandDefinition(SearchSql(dialect, search, "t.id"), parameters, cancellationToken: ct))).ToArray();
        var hits = new SearchCache.Hits(ids, (int)total, estimated);
        cache.Set(key, hits);
        if (offset + search.PageSize > ids.Length && total > ids.Length) // deeper than anyone pages: ranked again, as before
            return ((await c.QueryAsync<TitleRow>(new CommandDefinition(sql, parameters with { Limit = search.PageSize, Offset = offset }, cancellationToken: ct))).AsList(),
                (int)total, estimated);
        return (await PageAsync(c, ids, offset, search, ct), (int)total, estimated);
    }

    /// <summary>Whether a cached ranking holds the page asked for (or every hit there is).</summary>
    static bool Serves(SearchCache.Hits hits, long offset, int pageSize) => offset + pageSize <= hits.Ids.Length || hits.Total <= hits.Ids.Length;

    static List<long> PageOf(long[] ranked, long offset, int pageSize) => ranked.Skip((int)Math.Min(offset, ranked.Length)).Take(pageSize).ToList();

    string PageSql(TitleSearch search) => $"select {Columns(search)} from titles t where {db.Dialect.InKeys("t.id", "@Ids")}";

    static IReadOnlyList<TitleRow> InRankOrder(List<long> page, IEnumerable<TitleRow> rows)
    {
        var byId = rows.ToDictionary(r => r.Id);
        return page.Where(byId.ContainsKey).Select(id => byId[id]).ToList();
    }

    /// <summary>The titles of one page of ranked ids, in that order, each with its copies on the shelf counted now.</summary>
    async Task<IReadOnlyList<TitleRow>> PageAsync(DbConnection c, long[] ranked, long offset, TitleSearch search, CancellationToken ct)
    {
        var page = PageOf(ranked, offset, search.PageSize);
        if (page.Count == 0) return [];
        return InRankOrder(page, await c.QueryAsync<TitleRow>(new CommandDefinition(PageSql(search), new { Ids = db.Dialect.KeyList(page), search.BranchId }, cancellationToken: ct)));
    }

    /// <summary>The catalogue's version and, in the same batch after it, the page as <see cref="PageAsync"/> reads it.</summary>
    async Task<(long Version, IReadOnlyList<TitleRow> Rows)> VersionAndPageAsync(DbConnection c, long[] ranked, long offset, TitleSearch search, CancellationToken ct)
    {
        var page = PageOf(ranked, offset, search.PageSize);
        var sql = page.Count == 0 ? CatalogueVersionSql : $"{CatalogueVersionSql};\n{PageSql(search)}";
        await using var grid = await c.QueryMultipleAsync(new CommandDefinition(sql, new { Ids = db.Dialect.KeyList(page), search.BranchId }, cancellationToken: ct));
        var version = await grid.ReadSingleAsync<long>();
        return (version, page.Count == 0 ? [] : InRankOrder(page, await grid.ReadAsync<TitleRow>()));
    }

    // A counter's branch, or the home branch of the bibliobus serving a stop: where its copies come from.
    const string PickupBranchSql = """
        select coalesce(c.branch_id, b.home_branch_id)
        from pickup_points p
        left join counters c on c.id = p.counter_id
        left join stops s on s.id = p.stop_id
        left join routes r on r.id = s.route_id
        left join bibliobuses b on b.id = r.bibliobus_id
        where p.id = @Id
        """;

    /// <summary>The branch whose copies a pickup point hands out; null when there is no such pickup point.</summary>
    public async Task<long?> PickupPointBranchAsync(long pickupPointId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(PickupBranchSql, new { Id = pickupPointId }, cancellationToken: ct));
    }

    const string TitleSql = $"select {TitleColumns} from titles t where t.id = @Id";

    const string CopiesSql = """
        select c.id, c.barcode, c.branch_id, b.name as branch_name, c.shelf_location, c.call_number, c.status
        from copies c join branches b on b.id = c.branch_id
        where c.title_id = @Id
        order by b.name, c.shelf_location, c.call_number, c.barcode
        """;

    public async Task<(TitleRow Title, IReadOnlyList<CopyRow> Copies)?> GetAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var title = await c.QuerySingleOrDefaultAsync<TitleRow>(new CommandDefinition(TitleSql, new { Id = id }, cancellationToken: ct));
        if (title is null) return null;
        var copies = await c.QueryAsync<CopyRow>(new CommandDefinition(CopiesSql, new { Id = id }, cancellationToken: ct));
        return (title, copies.AsList());
    }

    // Genres are stored joined with "|"; splitting in C# keeps the SQL portable, and there are far
    // fewer distinct combinations than titles.
    const string GenreCombinationsSql = "select genres, count(*) as titles from titles where genres <> '' group by genres";

    public async Task<IReadOnlyList<GenreCount>> GenresAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var combinations = await c.QueryAsync<(string Genres, long Titles)>(new CommandDefinition(GenreCombinationsSql, cancellationToken: ct));
        // One entry per genre whatever its case, spelt as most titles spell it.
        return combinations
            .SelectMany(g => CatalogueText.SplitGenres(g.Genres).Select(genre => (Genre: genre, g.Titles)))
            .GroupBy(g => g.Genre, StringComparer.OrdinalIgnoreCase)
            .Select(g => new GenreCount(
                g.GroupBy(x => x.Genre).OrderByDescending(s => s.Sum(x => x.Titles)).ThenBy(s => s.Key, StringComparer.Ordinal).First().Key,
                (int)g.Sum(x => x.Titles)))
            .OrderByDescending(g => g.Titles).ThenBy(g => g.Genre, CatalogueText.FrenchOrder)
            .ToList();
    }
}
