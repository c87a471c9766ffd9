using System.Diagnostics;
using System.IO.Compression;
using ClickCollect.Api.Features.Catalogue.Marc;
using ClickCollect.Api.Infrastructure.Csv;
using ClickCollect.Api.Infrastructure.Database;

namespace ClickCollect.Api.Features.Catalogue;

/// <summary>
/// <c>dotnet run --project src/ClickCollect.Api -- import-catalogue &lt;file&gt; [csv|marc21|unimarc|marcxml]</c>
/// (<c>make import-catalogue FILE=… FORMAT=…</c>): migrates the configured database, imports the file
/// (same rules as the HTTP import) and prints the report. A MARC import shows its progress as it goes;
/// a file ending in .gz is read through gzip. Exit code 0 when imported (MARC: even with records left
/// out, which are listed), 1 when refused or unreadable.
/// </summary>
internal static class CatalogueImportCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, CancellationToken ct)
    {
        // "full" (or FULL=true from make): a full export, copies it does not list are withdrawn.
        var full = args.Length == 3 && args[2].Trim().ToLowerInvariant() is "full" or "true";
        if (args.Length is < 1 or > 3 || (args.Length == 3 && !full && args[2].Trim().ToLowerInvariant() is not ("false" or "")))
        {
            await output.WriteLineAsync("Usage : import-catalogue <fichier> [csv|marc21|unimarc|marcxml] [full]");
            return 1;
        }
        var path = args[0];
        var format = args.Length > 1 ? args[1].Trim().ToLowerInvariant() : "csv";
        if (format is not ("csv" or "marc21" or "unimarc" or "marcxml"))
        {
            await output.WriteLineAsync($"Format inconnu « {args[1]} » : csv, marc21, unimarc ou marcxml.");
            return 1;
        }
        if (!File.Exists(path))
        {
            await output.WriteLineAsync($"Fichier introuvable : {path}");
            return 1;
        }

        var clock = services.GetRequiredService<TimeProvider>();
        await services.GetRequiredService<Migrator>().MigrateAsync(clock.GetUtcNow(), ct);
        await using var stream = Open(path);
        return format == "csv"
            ? await ImportCsvAsync(services, stream, full, output, ct)
            : await ImportMarcAsync(services, stream, format switch { "marc21" => MarcFileFormat.Marc21, "unimarc" => MarcFileFormat.Unimarc, _ => MarcFileFormat.MarcXml }, full, output, ct);
    }

    static Stream Open(string path)
    {
        var file = File.OpenRead(path);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    static async Task<int> ImportMarcAsync(IServiceProvider services, Stream stream, MarcFileFormat format, bool full, TextWriter output, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        void Progress(int read)
        {
            var line = $"{read} notice(s) lue(s) en {watch.Elapsed.TotalSeconds:0} s ({read / Math.Max(watch.Elapsed.TotalSeconds, 0.001):0}/s)";
            if (interactive) output.Write($"\r{line}   ");
            else output.WriteLine(line);
        }
        var report = await services.GetRequiredService<MarcImport>().ImportAsync(stream, format, Progress, ct, full);
        if (interactive) await output.WriteLineAsync();
        await output.WriteLineAsync($"""
            Import terminé en {watch.Elapsed.TotalSeconds:0.00} s : {report.Read} notice(s) lue(s), {report.RecordsRejected} refusée(s).
              titres      : {report.TitlesCreated} créé(s), {report.TitlesUpdated} modifié(s), {report.TitlesUnchanged} inchangé(s)
              exemplaires : {report.CopiesCreated} créé(s), {report.CopiesUpdated} modifié(s), {report.CopiesUnchanged} inchangé(s), {report.Withdrawn} retiré(s)
            """);
        foreach (var r in report.Rejected)
            await output.WriteLineAsync($"  notice n° {r.Record} ({r.Position}{(r.RecordId is null ? "" : $", {r.RecordId}")}), {r.Field} : {r.Reason}");
        return 0;
    }

    static async Task<int> ImportCsvAsync(IServiceProvider services, Stream stream, bool full, TextWriter output, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        CatalogueFile file;
        file = await CatalogueCsv.ReadAsync(stream, ct);
        var parsed = watch.Elapsed;
        var importer = services.GetRequiredService<CatalogueImport>();
        var report = await services.GetRequiredService<Db>().WriteAsync(uow => importer.ImportAsync(uow, file, full, ct), ct);
        watch.Stop();

        if (report.Rejected.Count > 0)
        {
            await output.WriteLineAsync($"Import refusé : {report.Rejected.Select(r => r.Line).Distinct().Count()} ligne(s) en erreur, rien n'a été importé.");
            foreach (var r in report.Rejected) await output.WriteLineAsync($"  ligne {r.Line}, {r.Field} : {r.Reason}");
            return 1;
        }
        await output.WriteLineAsync($"""
            Import terminé en {watch.Elapsed.TotalSeconds:0.00} s (lecture {parsed.TotalSeconds:0.00} s) : {report.Read} ligne(s) lue(s).
              titres      : {report.TitlesCreated} créé(s), {report.TitlesUpdated} modifié(s), {report.TitlesUnchanged} inchangé(s)
              exemplaires : {report.CopiesCreated} créé(s), {report.CopiesUpdated} modifié(s), {report.CopiesUnchanged} inchangé(s), dont {report.Withdrawn} retiré(s)
            """);
        return 0;
    }
}
