using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Api.Features.Demo;
using ClickCollect.Api.Features.Patrons.Import;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.OpenApi;

namespace ClickCollect.Api;

/// <summary>
/// What runs before serving, or instead of it: preparing the database, and the command-line verbs.
/// Outcomes are returned as exit codes (Program returns them), never by Environment.Exit: a host
/// stopped from inside cannot dispose its services, and tests running Program would die with it (#15).
/// </summary>
internal static class CommandLine
{
    /// <summary>Migrates (when configured) and seeds the demo data (when <c>Demo:Seed</c> is true). Skipped at build time.</summary>
    /// <returns>False when the database cannot be migrated: the cause is logged, and the process must not serve.</returns>
    public static async Task<bool> PrepareDatabaseAsync(this WebApplication app)
    {
        if (BuildTime.IsGeneratingOpenApiDocument) return true;
        var services = app.Services;
        var clock = services.GetRequiredService<TimeProvider>();
        var migrator = services.GetRequiredService<Migrator>();
        try
        {
            if (services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DatabaseOptions>>().Value.MigrateOnStart)
                await migrator.MigrateAsync(clock.GetUtcNow(), CancellationToken.None);
            else if (!await CheckMigratedAsync(app, migrator))
                return true; // the database does not answer yet: serve, /health/ready says 503 until it does
            await DataProtectionKeyStore.EnsureKeyAsync(services, CancellationToken.None);
        }
        catch (MigrationException e)
        {
            app.Logger.LogCritical("{Message}", e.Message);
            await Console.Error.WriteLineAsync($"ClickCollect cannot start: {e.Message}");
            return false;
        }
        if (app.Configuration.GetValue<bool>("Demo:Seed"))
            await services.GetRequiredService<DemoSeed>().SeedAsync(CancellationToken.None);
        return true;
    }

    /// <summary>
    /// <c>Database:MigrateOnStart=false</c> (the team runs <c>make migrate</c> itself, #18 item 2): never
    /// writes, but refuses a database migrated by a newer version (MigrationException) and warns about
    /// migrations still to apply. False when the database does not answer.
    /// </summary>
    static async Task<bool> CheckMigratedAsync(WebApplication app, Migrator migrator)
    {
        try
        {
            var pending = await migrator.CheckAsync(CancellationToken.None);
            if (pending.Count > 0)
                app.Logger.LogWarning("Migrations not applied: {Pending}. Run `make migrate` (or `ClickCollect.Api migrate`); /health/ready answers 503 until then.",
                    string.Join(", ", pending));
            return true;
        }
        catch (System.Data.Common.DbException e)
        {
            app.Logger.LogWarning(e, "The database does not answer at start; /health/ready answers 503 until it does.");
            return false;
        }
    }

    /// <summary>
    /// Command-line verbs: <c>migrate</c>, <c>backup [folder]</c>, <c>seed-demo</c>, <c>import-catalogue &lt;file&gt;</c>, <c>import-patrons &lt;file&gt; [full]</c>.
    /// Returns the process exit code when a verb ran (the process then exits instead of serving), null otherwise.
    /// </summary>
    public static async Task<int?> RunCommandAsync(this WebApplication app, string[] args)
    {
        var verb = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : null;
        if (verb is null || BuildTime.IsGeneratingOpenApiDocument) return null;
        var services = app.Services;
        var clock = services.GetRequiredService<TimeProvider>();
        switch (verb)
        {
            case "migrate":
                try
                {
                    var applied = await services.GetRequiredService<Migrator>().MigrateAsync(clock.GetUtcNow(), CancellationToken.None);
                    Console.WriteLine(applied.Count == 0 ? "Database is up to date." : $"Applied migrations: {string.Join(", ", applied)}");
                    return 0;
                }
                catch (MigrationException e)
                {
                    await Console.Error.WriteLineAsync($"ClickCollect cannot migrate: {e.Message}");
                    return 2;
                }
            case "backup":
                if (!services.GetRequiredService<Db>().Dialect.IsSqlite)
                {
                    await Console.Error.WriteLineAsync("make backup copies a SQLite database; back PostgreSQL up with pg_dump (README, \"Running for a network\").");
                    return 2;
                }
                var folder = args.Length > 1 ? args[1] : app.Configuration[Backup.FolderSetting] ?? Path.Combine("data", "backups");
                Console.WriteLine($"Backup written: {await Backup.RunAsync(services.GetRequiredService<Db>(), folder, clock.GetUtcNow(), CancellationToken.None)}");
                return 0;
            case "seed-demo":
                await services.GetRequiredService<Migrator>().MigrateAsync(clock.GetUtcNow(), CancellationToken.None);
                await services.GetRequiredService<DemoSeed>().SeedAsync(CancellationToken.None);
                return 0;
            case "import-catalogue":
                return await CatalogueImportCommand.RunAsync(services, args[1..], Console.Out, CancellationToken.None);
            case "import-patrons":
                return await PatronImportCommand.RunAsync(services, args[1..], Console.Out, CancellationToken.None);
            default:
                return null;
        }
    }
}
