using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Catalogue;

/// <summary>Reading the catalogue: search, a title with its copies, genres.</summary>
internal sealed class CatalogueStore(Db db)
{
    const string TitleColumns = "t.id, t.record_id, t.isbn, t.title, t.authors, t.publisher, t.year, t.language, t.audience, t.format, t.genres";

    // Copies on the shelf, anywhere or at one branch (the pickup point's).
    const string AvailableCopies = """
        (select count(*) from copies c
         where c.title_id = t.id and c.status = 'onShelf' and (@BranchId is null or c.branch_id = @BranchId))
        """;

    const string Filters = $"""
        (@Audience is null or t.audience = @Audience) and (@Format is null or t.format = @Format)
        and (@Language is null or t.language = @Language) and (not @OnlyAvailable or {AvailableCopies} > 0)
        """;

    // Without words: the catalogue in title order (index titles_sort on both engines).
    const string ListSql = $"""
        select {TitleColumns}, {AvailableCopies} as available_copies from titles t
        where {Filters}
        order by lower(t.title), t.id
        limit @Limit offset @Offset
        """;
    const string ListCountSql = $"select count(*) from titles t where {Filters}";

    // With words: "matches" gives (id, rank), smaller rank first, title > authors > genres.
    // SQLite: FTS5 with bm25 column weights; unicode61 remove_diacritics folds case and accents on both sides.
    const string MatchesSqlite = """
        matches as (select rowid as id, bm25(titles_fts, 10.0, 3.0, 1.0) as rank from titles_fts where titles_fts match @Match)
        """;
    // PostgreSQL: the weighted tsvector column (A title, B authors, C genres) and ts_rank. The words go
    // through the same parser and f_unaccent as the indexed text, and each lexeme becomes a quoted
    // prefix term ('etranger':*), so nothing typed is ever read as tsquery syntax.
    const string MatchesPostgres = """
        query as (
            select string_agg('''' || replace(replace(w, '\', '\\'), '''', '''''') || ''':*', ' & ')::tsquery as q
            from unnest(tsvector_to_array(to_tsvector('simple', f_unaccent(@Match)))) w),
        matches as (
            select t.id, -ts_rank('{0.01, 0.05, 0.3, 1.0}', t.search, query.q) as rank
            from titles t, query where t.search @@ query.q)
        """;
    const string SearchTail = $"""
        select {TitleColumns}, {AvailableCopies} as available_copies
        from matches m join titles t on t.id = m.id
        where {Filters}
        order by m.rank, lower(t.title), t.id
        limit @Limit offset @Offset
        """;
    const string SearchCountTail = $"select count(*) from matches m join titles t on t.id = m.id where {Filters}";

    const string SearchSqlite = $"with {MatchesSqlite} {SearchTail}";
    const string SearchPostgres = $"with {MatchesPostgres} {SearchTail}";
    const string SearchCountSqlite = $"with {MatchesSqlite} {SearchCountTail}";
    const string SearchCountPostgres = $"with {MatchesPostgres} {SearchCountTail}";

    public async Task<(IReadOnlyList<TitleRow> Items, int Total)> SearchAsync(TitleSearch search, CancellationToken ct)
    {
        var dialect = db.Dialect;
        var byWords = search.Words.Count > 0;
        var (sql, countSql) = byWords
            ? (dialect.Pick(SearchSqlite, SearchPostgres), dialect.Pick(SearchCountSqlite, SearchCountPostgres))
            : (ListSql, ListCountSql);
        var parameters = new
        {
            Match = byWords ? dialect.Pick(SearchTerms.ToFts5(search.Words), SearchTerms.ToPostgres(search.Words)) : null,
            Audience = search.Audience is { } a ? DapperSetup.ToDb(a) : null,
            Format = search.Format is { } f ? DapperSetup.ToDb(f) : null,
            search.Language,
            search.BranchId,
            search.OnlyAvailable,
            Limit = search.PageSize,
            Offset = (long)(search.Page - 1) * search.PageSize,
        };
        await using var c = await db.OpenAsync(ct);
        var total = await c.ExecuteScalarAsync<long>(new CommandDefinition(countSql, parameters, cancellationToken: ct));
        var items = total == 0 ? [] : (await c.QueryAsync<TitleRow>(new CommandDefinition(sql, parameters, cancellationToken: ct))).AsList();
        return (items, (int)total);
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
