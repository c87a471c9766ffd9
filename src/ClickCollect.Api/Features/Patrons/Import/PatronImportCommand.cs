using ClickCollect.Api.Infrastructure.Database;

namespace ClickCollect.Api.Features.Patrons.Import;

/// <summary>
/// <c>dotnet run --project src/ClickCollect.Api -- import-patrons &lt;file.csv&gt; [full]</c>
/// (<c>make import-patrons FILE=… [FULL=true]</c>): migrates the configured database, imports the file
/// with the rules of <c>POST /api/patrons/import</c> and prints the report. Exit code 0 when imported,
/// 1 when refused (every bad line is listed) or unreadable.
/// </summary>
internal static class PatronImportCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, CancellationToken ct)
    {
        var full = args.Length == 2 && args[1].Trim().ToLowerInvariant() is "full" or "true";
        if (args.Length is < 1 or > 2 || (args.Length == 2 && !full && args[1].Trim().ToLowerInvariant() is not ("false" or "")))
        {
            await output.WriteLineAsync("Usage : import-patrons <fichier.csv> [full]");
            return 1;
        }
        if (!File.Exists(args[0]))
        {
            await output.WriteLineAsync($"Fichier introuvable : {args[0]}");
            return 1;
        }
        var clock = services.GetRequiredService<TimeProvider>();
        await services.GetRequiredService<Migrator>().MigrateAsync(clock.GetUtcNow(), ct);
        await using var stream = File.OpenRead(args[0]);
        var file = await PatronCsv.ReadAsync(stream, ct);
        var importer = services.GetRequiredService<PatronImport>();
        PatronImportReport report;
        await using (var uow = await services.GetRequiredService<Db>().WriteAsync(ct))
        {
            report = await importer.ImportAsync(uow, file, full, ct);
            if (report.Rejected.Count == 0) await uow.CommitAsync(ct);
        }
        if (report.Rejected.Count > 0)
        {
            await output.WriteLineAsync($"Import refusé : {report.Rejected.Select(r => r.Line).Distinct().Count()} ligne(s) à corriger, rien n'a été importé.");
            foreach (var r in report.Rejected) await output.WriteLineAsync($"  ligne {r.Line}, {r.Field} : {r.Reason}");
            return 1;
        }
        await output.WriteLineAsync($"Import terminé{(full ? " (export complet)" : "")} : {report.Read} lecteur(s) lu(s), {report.Created} créé(s), " +
            $"{report.Updated} modifié(s) (dont {report.Reactivated} réactivé(s)), {report.Unchanged} inchangé(s), {report.Deactivated} désactivé(s).");
        return 0;
    }
}
