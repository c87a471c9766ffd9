using System.Diagnostics;
using ClickCollect.Api.Infrastructure.Csv;
using ClickCollect.Api.Infrastructure.Database;

namespace ClickCollect.Api.Features.Catalogue;

/// <summary>
/// <c>dotnet run --project src/ClickCollect.Api -- import-catalogue &lt;file.csv&gt;</c>: migrates the
/// configured database, imports the file (same rules as the HTTP import) and prints the report or
/// every refused line. Exit code 0 when imported, 1 when refused or unreadable.
/// </summary>
internal static class CatalogueImportCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, CancellationToken ct)
    {
        if (args.Length != 1)
        {
            await output.WriteLineAsync("Usage : import-catalogue <fichier.csv>");
            return 1;
        }
        var path = args[0];
        if (!File.Exists(path))
        {
            await output.WriteLineAsync($"Fichier introuvable : {path}");
            return 1;
        }

        var clock = services.GetRequiredService<TimeProvider>();
        await services.GetRequiredService<Migrator>().MigrateAsync(clock.GetUtcNow(), ct);

        var watch = Stopwatch.StartNew();
        CatalogueFile file;
        await using (var stream = File.OpenRead(path))
        using (var reader = CsvImport.OpenReader(stream))
            file = CatalogueCsv.Parse(reader);
        var parsed = watch.Elapsed;
        var importer = services.GetRequiredService<CatalogueImport>();
        var report = await services.GetRequiredService<Db>().WriteAsync(uow => importer.ImportAsync(uow, file, ct), ct);
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
