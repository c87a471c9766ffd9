using ClickCollect.Api.Infrastructure.Database;
using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Features.Catalogue.Marc;

internal enum MarcFileFormat { Marc21, Unimarc, MarcXml }

/// <summary>A record, or a copy of it, left out of a MARC import: where it is in the file (rank from 1, and byte or line) and why.</summary>
internal sealed record RecordRejection(int Record, string Position, string? RecordId, string Field, string Reason);

/// <summary>
/// What an import did (the 200 answer of every format). <c>read</c> counts records (CSV: rows);
/// <c>recordsRejected</c>, records left out whole; copies left out are in <c>rejected</c> too, with
/// their field (e.g. "852$p"). <c>withdrawn</c>: existing copies withdrawn, by the file or because a
/// full export no longer lists them. A CSV import is all or nothing: its refusals are a 422 problem.
/// </summary>
internal sealed record CatalogueImportReport(string Format, int Read, int RecordsRejected, int TitlesCreated, int TitlesUpdated, int TitlesUnchanged,
    int CopiesCreated, int CopiesUpdated, int CopiesUnchanged, int Withdrawn, IReadOnlyList<RecordRejection> Rejected)
{
    public static CatalogueImportReport FromCsv(ImportReport r) => new("csv", r.Read, 0, r.TitlesCreated, r.TitlesUpdated, r.TitlesUnchanged,
        r.CopiesCreated, r.CopiesUpdated, r.CopiesUnchanged, r.Withdrawn, []);
}

/// <summary>
/// Streams a MARC file into the catalogue: records are read one at a time, mapped, checked, and written
/// in batches of <see cref="MarcImportOptions.BatchSize"/> through <see cref="CatalogueImport"/> (the
/// same writes as the CSV import), one transaction per batch. Unlike the CSV import, a faulty record
/// does not refuse the file: it is reported with its position and skipped, the rest is imported.
/// Memory holds one batch, whatever the size of the file: the record identifiers and barcodes already
/// seen, needed to catch duplicates and for a full export's withdrawals, wait in a temporary file
/// (<see cref="SeenKeys"/>).
/// </summary>
internal sealed class MarcImport(CatalogueImport importer, CatalogueImportStore store, FullExportWithdrawal fullExport, Db db,
    IOptions<MarcImportOptions> options, TimeProvider clock)
{
    const int MaxRejectionsListed = 1000;

    public static IAsyncEnumerable<MarcEntry> Read(Stream stream, MarcFileFormat format, CancellationToken ct) =>
        format == MarcFileFormat.MarcXml ? MarcXmlReader.ReadAsync(stream, ct) : Iso2709Reader.ReadAsync(stream, format == MarcFileFormat.Unimarc, ct);

    /// <summary>
    /// Imports the file; a full export (<paramref name="full"/>) then withdraws, in one unit of work, every
    /// copy no record of the file names, refused records included (<see cref="FullExportWithdrawal"/>).
    /// </summary>
    public async Task<CatalogueImportReport> ImportAsync(Stream stream, MarcFileFormat format, Action<int>? progress, CancellationToken ct,
        bool full = false)
    {
        var o = options.Value;
        var flavour = format == MarcFileFormat.Unimarc ? MarcFlavour.Unimarc : MarcFlavour.Marc21;
        var year = clock.GetUtcNow().Year;
        IReadOnlyDictionary<string, long> branchIds;
        await using (var uow = await db.WriteAsync(ct)) branchIds = await store.BranchIdsAsync(uow, ct);

        var tally = new Tally();
        using var seen = new SeenKeys();
        var batch = new List<CatalogueRow>();
        var inBatch = 0;
        await foreach (var entry in Read(stream, format, ct))
        {
            tally.Read++;
            if (entry.Record is null)
            {
                tally.Refuse(entry, null, "record", entry.Error!);
            }
            else if (Check(MarcMapping.Map(entry.Record, flavour, o, year), entry, branchIds, year, seen, tally) is { } rows)
            {
                batch.AddRange(rows);
                inBatch++;
            }
            if (inBatch >= o.BatchSize)
            {
                await WriteAsync(batch, tally, ct);
                inBatch = 0;
                progress?.Invoke(tally.Read);
            }
        }
        await WriteAsync(batch, tally, ct);
        progress?.Invoke(tally.Read);
        if (full && seen.Count(SeenKeys.Kind.Barcode) == 0)
            tally.Refuse(new MarcEntry(0, "", null, null), null, "file", FullExportWithdrawal.NothingListed, copy: true);
        else if (full)
            tally.AddWithdrawn((await db.WriteAsync(uow => fullExport.WithdrawMissingAsync(uow, barcode => seen.Contains(SeenKeys.Kind.Barcode, barcode), ct), ct)).Withdrawn);
        return tally.Report(format);
    }

    /// <summary>The rows to write for one mapped record, or null when the whole record is refused.</summary>
    static List<CatalogueRow>? Check(MappedRecord mapped, MarcEntry entry, IReadOnlyDictionary<string, long> branchIds, int year,
        SeenKeys seen, Tally tally)
    {
        if (mapped.Title is null)
        {
            var why = mapped.Problems.First(p => p.Barcode is null);
            tally.Refuse(entry, mapped.RecordId, why.Field, why.Reason);
        }
        else
        {
            foreach (var p in mapped.Problems) tally.Refuse(entry, mapped.RecordId, p.Field, p.Reason, copy: true);
        }
        // Barcodes of refused records and refused copies are still "seen": a full export must not withdraw them.
        foreach (var barcode in mapped.Barcodes) seen.TryAdd(SeenKeys.Kind.Barcode, barcode, entry.Number);
        if (mapped.Title is not { } title) return null;

        if (seen.FirstRecord(SeenKeys.Kind.Record, title.RecordId) is { } first)
        {
            tally.Refuse(entry, title.RecordId, "record", $"Identifiant {title.RecordId} déjà lu (notice n° {first}) : notice ignorée.");
            return null;
        }
        seen.TryAdd(SeenKeys.Kind.Record, title.RecordId, entry.Number);

        var copies = new List<CatalogueRow>();
        foreach (var copy in mapped.Copies)
        {
            if (seen.FirstRecord(SeenKeys.Kind.Barcode, copy.Barcode!) is { } owner && owner != entry.Number)
            {
                tally.Refuse(entry, title.RecordId, "barcode", $"Code-barres {copy.Barcode} déjà lu dans la notice n° {owner} : exemplaire ignoré.", copy: true);
                continue;
            }
            copies.Add(copy with { Line = copies.Count + 1 });
        }

        var rows = copies.Count > 0 ? copies : [title];
        var problems = CatalogueRules.Check(rows, branchIds, year);
        if (problems.Any(p => !CopyFields.Contains(p.Field)))
        {
            foreach (var p in problems) tally.Refuse(entry, title.RecordId, p.Field, p.Reason);
            return null;
        }
        foreach (var p in problems) tally.Refuse(entry, title.RecordId, p.Field, $"{rows[p.Line - 1].Barcode} : {p.Reason} Exemplaire ignoré.", copy: true);
        var bad = problems.Select(p => p.Line).ToHashSet();
        var kept = rows.Where(r => !bad.Contains(r.Line)).ToList();
        return kept.Count > 0 ? kept : [title];
    }

    static readonly HashSet<string> CopyFields = ["barcode", "branchCode", "shelfLocation", "callNumber", "status"];

    async Task WriteAsync(List<CatalogueRow> batch, Tally tally, CancellationToken ct)
    {
        if (batch.Count == 0) return;
        var report = await db.WriteAsync(uow => importer.ImportAsync(uow, batch, ct), ct);
        tally.Add(report);
        batch.Clear();
    }

    sealed class Tally
    {
        public int Read;
        int recordsRejected, titlesCreated, titlesUpdated, titlesUnchanged, copiesCreated, copiesUpdated, copiesUnchanged, withdrawn;
        readonly List<RecordRejection> rejected = [];
        int lastRefusedRecord;

        public void Refuse(MarcEntry entry, string? recordId, string field, string reason, bool copy = false)
        {
            if (!copy && lastRefusedRecord != entry.Number)
            {
                recordsRejected++;
                lastRefusedRecord = entry.Number;
            }
            if (rejected.Count < MaxRejectionsListed) rejected.Add(new RecordRejection(entry.Number, entry.Position, recordId, field, reason));
        }

        public void Add(ImportReport r)
        {
            titlesCreated += r.TitlesCreated;
            titlesUpdated += r.TitlesUpdated;
            titlesUnchanged += r.TitlesUnchanged;
            copiesCreated += r.CopiesCreated;
            copiesUpdated += r.CopiesUpdated;
            copiesUnchanged += r.CopiesUnchanged;
            withdrawn += r.Withdrawn;
        }

        public void AddWithdrawn(int count) => withdrawn += count;

        public CatalogueImportReport Report(MarcFileFormat format) => new(format.ToString().ToLowerInvariant(), Read, recordsRejected, titlesCreated, titlesUpdated,
            titlesUnchanged, copiesCreated, copiesUpdated, copiesUnchanged, withdrawn, rejected);
    }
}
