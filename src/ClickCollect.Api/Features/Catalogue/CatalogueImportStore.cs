using System.Data;
using ClickCollect.Api.Infrastructure.Database;

namespace ClickCollect.Api.Features.Catalogue;

/// <summary>The import's reads and writes, all inside the caller's unit of work.</summary>
internal sealed class CatalogueImportStore(SearchCache searches)
{
    const string BranchesSql = "select id, code from branches";

    /// <summary>Branch code → id, read once per import. Codes are matched case-insensitively.</summary>
    public async Task<IReadOnlyDictionary<string, long>> BranchIdsAsync(UnitOfWork uow, CancellationToken ct)
    {
        var branches = await uow.QueryAsync<(long Id, string Code)>(BranchesSql, null, ct);
        var ids = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, code) in branches) ids.TryAdd(code, id);
        return ids;
    }

    const string TitleColumns = "record_id, isbn, title, authors, publisher, year, language, audience, format, genres";

    // All the file's keys in one parameter (SqlDialect.KeyList), one query each.
    const string ExistingTitlesSqlite = $"select {TitleColumns} from titles where record_id in (select value from json_each(@Keys))";
    const string ExistingTitlesPostgres = $"select {TitleColumns} from titles where record_id = any(@Keys)";

    public async Task<Dictionary<string, TitleData>> ExistingTitlesAsync(UnitOfWork uow, IReadOnlyCollection<string> recordIds, CancellationToken ct)
    {
        var sql = uow.Dialect.Pick(ExistingTitlesSqlite, ExistingTitlesPostgres);
        var rows = await uow.QueryAsync<ExistingTitle>(sql, new { Keys = uow.Dialect.KeyList(recordIds) }, ct);
        return rows.ToDictionary(r => r.RecordId, r => r.ToData(), StringComparer.Ordinal);
    }

    const string CopyColumns = "c.barcode, t.record_id, c.branch_id, c.shelf_location, c.call_number, c.status";
    const string ExistingCopiesSqlite = $"select {CopyColumns} from copies c join titles t on t.id = c.title_id where c.barcode in (select value from json_each(@Keys))";
    const string ExistingCopiesPostgres = $"select {CopyColumns} from copies c join titles t on t.id = c.title_id where c.barcode = any(@Keys)";

    public async Task<Dictionary<string, CopyData>> ExistingCopiesAsync(UnitOfWork uow, IReadOnlyCollection<string> barcodes, CancellationToken ct)
    {
        var sql = uow.Dialect.Pick(ExistingCopiesSqlite, ExistingCopiesPostgres);
        var rows = await uow.QueryAsync<ExistingCopy>(sql, new { Keys = uow.Dialect.KeyList(barcodes) }, ct);
        return rows.ToDictionary(r => r.Barcode, r => r.ToData(), StringComparer.Ordinal);
    }

    const string InsertTitleSql = """
        insert into titles (record_id, isbn, title, authors, publisher, year, language, audience, format, genres, created_at, updated_at)
        values (@RecordId, @Isbn, @Title, @Authors, @Publisher, @Year, @Language, @Audience, @Format, @Genres, @Now, @Now)
        """;

    const string UpdateTitleSql = """
        update titles
        set isbn = @Isbn, title = @Title, authors = @Authors, publisher = @Publisher, year = @Year, language = @Language,
            audience = @Audience, format = @Format, genres = @Genres, updated_at = @Now
        where record_id = @RecordId
        """;

    static readonly (string, DbType)[] TitleParameters =
    [
        ("RecordId", DbType.String), ("Isbn", DbType.String), ("Title", DbType.String), ("Authors", DbType.String),
        ("Publisher", DbType.String), ("Year", DbType.Int32), ("Language", DbType.String), ("Audience", DbType.String),
        ("Format", DbType.String), ("Genres", DbType.String), ("Now", DbType.DateTimeOffset),
    ];

    const string BumpCatalogueVersionSql = "update catalogue_version set version = version + 1 where id = 1";

    public async Task WriteTitlesAsync(UnitOfWork uow, CatalogueImportPlan plan, DateTimeOffset now, CancellationToken ct)
    {
        await Write(InsertTitleSql, plan.NewTitles);
        await Write(UpdateTitleSql, plan.ChangedTitles);
        // Searches ranked before these titles changed are not used again, nor those ranked before the commit: on
        // every instance through the catalogue version (committed with the titles, SearchCache's keys carry it),
        // and here at once, freeing their memory.
        if (plan.NewTitles.Count + plan.ChangedTitles.Count > 0)
        {
            await uow.ExecuteAsync(BumpCatalogueVersionSql, null, ct);
            searches.Invalidate();
            uow.AfterCommit(searches.Invalidate);
        }

        async Task Write(string sql, List<(string RecordId, TitleData Data)> titles)
        {
            if (titles.Count == 0) return;
            await using var writer = BulkWriter.Create(uow, sql, TitleParameters);
            foreach (var (recordId, t) in titles)
                await writer.WriteAsync([recordId, t.Isbn, t.Title, t.Authors, t.Publisher, t.Year, t.Language,
                    DapperSetup.ToDb(t.Audience), DapperSetup.ToDb(t.Format), t.Genres, now], ct);
            await writer.FlushAsync(ct);
        }
    }

    // Copies find their title by record identifier, so no id has to travel back from the title inserts.
    const string InsertCopySql = """
        insert into copies (title_id, barcode, branch_id, shelf_location, call_number, status, updated_at)
        values ((select id from titles where record_id = @RecordId), @Barcode, @BranchId, @ShelfLocation, @CallNumber, @Status, @Now)
        """;

    // Same rule as CatalogueImportPlan.EffectiveStatus, in the statement: a hold may have moved the copy since it was read.
    const string UpdateCopySql = """
        update copies
        set title_id = (select id from titles where record_id = @RecordId), branch_id = @BranchId,
            shelf_location = @ShelfLocation, call_number = @CallNumber,
            status = case when @Status = 'onShelf' and status in ('held', 'inTransit') then status else @Status end,
            updated_at = @Now
        where barcode = @Barcode
        """;

    static readonly (string, DbType)[] CopyParameters =
    [
        ("RecordId", DbType.String), ("Barcode", DbType.String), ("BranchId", DbType.Int64), ("ShelfLocation", DbType.String),
        ("CallNumber", DbType.String), ("Status", DbType.String), ("Now", DbType.DateTimeOffset),
    ];

    public async Task WriteCopiesAsync(UnitOfWork uow, CatalogueImportPlan plan, DateTimeOffset now, CancellationToken ct)
    {
        await Write(InsertCopySql, plan.NewCopies);
        await Write(UpdateCopySql, plan.ChangedCopies);

        async Task Write(string sql, List<CopyData> copies)
        {
            if (copies.Count == 0) return;
            await using var writer = BulkWriter.Create(uow, sql, CopyParameters);
            foreach (var c in copies)
                await writer.WriteAsync([c.RecordId, c.Barcode, c.BranchId, c.ShelfLocation, c.CallNumber, DapperSetup.ToDb(c.Status), now], ct);
            await writer.FlushAsync(ct);
        }
    }

    public Task<long> CopyIdAsync(UnitOfWork uow, string barcode, CancellationToken ct) =>
        uow.QuerySingleAsync<long>("select id from copies where barcode = @Barcode", new { Barcode = barcode }, ct);

    sealed class ExistingTitle
    {
        public string RecordId { get; init; } = "";
        public string? Isbn { get; init; }
        public string Title { get; init; } = "";
        public string Authors { get; init; } = "";
        public string Publisher { get; init; } = "";
        public int? Year { get; init; }
        public string Language { get; init; } = "";
        public Audience Audience { get; init; }
        public DocumentFormat Format { get; init; }
        public string Genres { get; init; } = "";

        public TitleData ToData() => new(Isbn, Title, Authors, Publisher, Year, Language, Audience, Format, Genres);
    }

    sealed class ExistingCopy
    {
        public string Barcode { get; init; } = "";
        public string RecordId { get; init; } = "";
        public long BranchId { get; init; }
        public string ShelfLocation { get; init; } = "";
        public string CallNumber { get; init; } = "";
        public CopyStatus Status { get; init; }

        public CopyData ToData() => new(Barcode, RecordId, BranchId, ShelfLocation, CallNumber, Status);
    }
}
