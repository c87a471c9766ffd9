using ClickCollect.Api.Infrastructure.Telemetry;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Jobs;
using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Features.Catalogue;

/// <summary>Status files dropped by the library system into a folder; section "CopyStatusSync".</summary>
internal sealed class CopyStatusSyncOptions
{
    public const string Section = "CopyStatusSync";

    /// <summary>The folder the library system writes <c>*.csv</c> status deltas to (shared by every instance). Empty: no folder job.</summary>
    public string? Folder { get; set; }

    /// <summary>How often the folder is looked at.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an instance keeps a file it claimed before another may take it over (it died mid-file).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// Picks status deltas up from <see cref="CopyStatusSyncOptions.Folder"/>, oldest name first. Each file
/// is claimed in <c>copy_status_files</c> with a lease (the outbox's claimed_by / claimed_until pattern),
/// so with several instances one applies it, once; then it is moved to <c>done/</c> (or <c>rejected/</c>
/// when a line is bad: nothing of it is applied) with its report in the table.
/// </summary>
internal sealed class CopyStatusFolderWorker(CopyStatusSync sync, Db db, IOptions<CopyStatusSyncOptions> options, ClickCollectMetrics metrics, TimeProvider clock,
    ILogger<CopyStatusFolderWorker> logger) : PeriodicWorker(clock, logger, options.Value.Interval, metrics)
{
    readonly string me = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    const string ClaimSql = """
        insert into copy_status_files (name, claimed_by, claimed_until) values (@Name, @Me, @Until)
        on conflict (name) do update set claimed_by = @Me, claimed_until = @Until
        where copy_status_files.done_at is null and copy_status_files.claimed_until < @Now
        returning name
        """;
    const string DoneSql = "update copy_status_files set done_at = @Now, summary = @Summary, claimed_until = null where name = @Name and claimed_by = @Me";

    public override async Task RunOnceAsync(CancellationToken ct)
    {
        var folder = options.Value.Folder;
        if (string.IsNullOrWhiteSpace(folder) || !Directory.Exists(folder)) return;
        foreach (var path in Directory.EnumerateFiles(folder, "*.csv").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            var now = Clock.GetUtcNow();
            var claimed = await db.WriteAsync(uow => uow.QuerySingleOrDefaultAsync<string>(ClaimSql,
                new { Name = name, Me = me, Until = now + options.Value.Lease, Now = now }, ct), ct);
            if (claimed is null) continue;

            CopyStatusFile file;
            await using (var stream = File.OpenRead(path))
            using (var reader = Infrastructure.Csv.CsvImport.OpenReader(stream))
                file = CopyStatusCsv.Parse(reader);
            string summary, moveTo;
            if (file.Rejected.Count > 0)
            {
                summary = "refusé : " + string.Join(" ; ", file.Rejected.Take(20).Select(r => $"ligne {r.Line}, {r.Field} : {r.Reason}"));
                moveTo = "rejected";
            }
            else
            {
                var r = await sync.ApplyAsync(file.Rows, ct);
                summary = $"{r.Read} lue(s), {r.Updated} modifiée(s), {r.Unchanged} inchangée(s), {r.Unknown.Count} inconnue(s), " +
                          $"{r.HoldsAllocated} réservation(s) servie(s), {r.HoldsReallocated} réattribuée(s), {r.PatronsTold} lecteur(s) prévenu(s)";
                moveTo = "done";
            }
            await db.WriteAsync(uow => uow.ExecuteAsync(DoneSql, new { Name = name, Me = me, Now = Clock.GetUtcNow(), Summary = summary }, ct), ct);
            logger.LogInformation("Status file {File}: {Summary}", name, summary);
            try
            {
                Directory.CreateDirectory(Path.Combine(folder, moveTo));
                File.Move(path, Path.Combine(folder, moveTo, name), overwrite: true);
            }
            catch (IOException e)
            {
                // The table already says it is done: left in place, it is never applied again.
                logger.LogWarning(e, "Status file {File} applied but not moved to {Folder}", name, moveTo);
            }
        }
    }
}
