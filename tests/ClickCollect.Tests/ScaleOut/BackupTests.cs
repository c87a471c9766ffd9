using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Reliability;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using Microsoft.Data.Sqlite;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.ScaleOut;

/// <summary>#18 item 5: `make backup` while patrons book, and the backup restores.</summary>
public sealed class BackupTests
{
    const int Patrons = 6;
    const int TitlesPerPatron = 12;

    /// <summary>Titles of one copy each at the central library, in one import (a patron reserves a title once).</summary>
    static async Task<long[]> TitlesAsync(TestApp app, int count)
    {
        var csv = new System.Text.StringBuilder("recordId,title,authors,language,audience,format,genres,barcode,branchCode,shelfLocation,callNumber\n");
        for (var n = 0; n < count; n++) csv.Append($"BK-{n:D3},\"Sauvegarde {n}\",\"Essai, Test\",fr,adult,book,Roman,BK-{n:D3}-1,CENTRALE,Romans adultes,R ESS\n");
        var director = await app.StaffClientAsync("director");
        var imported = await director.PostAsync("/api/catalogue/imports?format=csv", new StringContent(csv.ToString(), System.Text.Encoding.UTF8, "text/csv"));
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
        await using var c = await app.Service<Db>().OpenAsync(default);
        return (await c.QueryAsync<long>("select id from titles where record_id like 'BK-%' order by record_id")).ToArray();
    }

    [Fact]
    public async Task A_backup_taken_while_patrons_book_restores_with_every_booking_acknowledged_before_it()
    {
        await using var app = await TestApp.StartAsync(new()
        {
            ["Holds:MaxActivePerPatron"] = "1000",
            ["Appointments:MaxPerPatronPerDay"] = "1000",
        });
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var titles = await TitlesAsync(app, Patrons * TitlesPerPatron);
        var slots = (await app.CreateClient().GetFromJsonAsync<JsonElement[]>($"/api/pickup-points/{adults}/slots?from=2026-03-11&to=2026-03-13"))!
            .Where(s => s.GetProperty("remaining").GetInt32() > 0).Select(s => s.GetProperty("start").GetString()!).ToArray();
        var crowd = await CrowdAsync(app, Patrons);

        // Each acknowledged write, with the moment it was acknowledged relative to the backup's start.
        var holds = new ConcurrentBag<(long Id, bool BeforeBackup)>();
        var appointments = new ConcurrentBag<(long Id, bool BeforeBackup)>();
        var backupStarted = 0;
        using var stop = new CancellationTokenSource();
        var load = crowd.Select((patron, p) => Task.Run(async () =>
        {
            var open = new Queue<string>(slots.Skip(p * 4));
            foreach (var title in titles.Skip(p * TitlesPerPatron).Take(TitlesPerPatron))
            {
                if (stop.IsCancellationRequested || open.Count == 0) return;
                var hold = await patron.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = adults });
                if (hold.StatusCode != HttpStatusCode.Created) continue;
                var holdId = (await hold.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
                holds.Add((holdId, Volatile.Read(ref backupStarted) == 0));
                while (open.Count > 0)
                {
                    var booked = await patron.PostAsJsonAsync("/api/appointments", new { pickupPointId = adults, slotStart = open.Peek(), holdIds = new[] { holdId } });
                    if (booked.IsSuccessStatusCode)
                    {
                        appointments.Add(((await booked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64(), Volatile.Read(ref backupStarted) == 0));
                        break;
                    }
                    open.Dequeue(); // full: the next slot
                }
            }
        })).ToList();

        var waiting = System.Diagnostics.Stopwatch.StartNew();
        while (appointments.Count < 10 && waiting.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(10);
        // Acknowledged before this line counts; what is acknowledged while the copy runs may or may not be in it.
        Interlocked.Exchange(ref backupStarted, 1);
        var folder = Directory.CreateTempSubdirectory("cc-backups-").FullName;
        var copying = System.Diagnostics.Stopwatch.StartNew();
        var backup = await Backup.RunAsync(app.Service<Db>(), folder, app.Clock.GetUtcNow(), default);
        copying.Stop();
        var afterBackup = appointments.Count;
        while (appointments.Count < afterBackup + 5 && load.Any(t => !t.IsCompleted) && waiting.Elapsed < TimeSpan.FromSeconds(90)) await Task.Delay(10); // the load goes on
        stop.Cancel();
        await Task.WhenAll(load);

        Assert.Equal("clickcollect-20260310-080000.db", Path.GetFileName(backup));
        // Restore: the backup file copied into a new place, and an app started on it.
        var restored = SqliteTestDatabase.NewFile();
        File.Copy(backup, restored);
        await using var second = await TestApp.StartOnAsync("sqlite", SqliteTestDatabase.ConnectionString(restored));
        Assert.Equal(HttpStatusCode.OK, (await second.CreateClient().GetAsync("/health/ready")).StatusCode);
        await using var c = await second.Service<Db>().OpenAsync(default);
        Assert.Equal("ok", await c.ExecuteScalarAsync<string>("pragma integrity_check"));
        var storedHolds = (await c.QueryAsync<long>("select id from holds")).ToHashSet();
        var storedAppointments = (await c.QueryAsync<long>("select id from appointments")).ToHashSet();
        var before = appointments.Where(a => a.BeforeBackup).Select(a => a.Id).ToList();
        Assert.True(before.Count >= 10);
        Assert.DoesNotContain(before, a => !storedAppointments.Contains(a));
        Assert.DoesNotContain(holds, h => h.BeforeBackup && !storedHolds.Contains(h.Id));
        Assert.True(appointments.Count > before.Count, "the load went on during the backup");
        Figures.Write("backup", $"backup under load: {before.Count} bookings acknowledged before the backup, all restored; " +
            $"{appointments.Count - before.Count} more during and after it; copy {copying.Elapsed.TotalMilliseconds:0} ms, {new FileInfo(backup).Length / 1024} KiB, integrity_check ok");
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>
    /// The verb itself, as `make backup` runs it (the app's own entry point: <c>ClickCollect.Api backup &lt;folder&gt;</c>,
    /// a separate process on the SQLite file): a dated file appears, a whole database with the rows of the source.
    /// </summary>
    [Fact]
    public async Task The_backup_verb_of_make_backup_writes_a_dated_consistent_copy_with_the_rows()
    {
        var source = await new SqliteTestDatabase().CreateSeededAsync();
        var folder = Directory.CreateTempSubdirectory("cc-backup-verb-").FullName;
        var environment = new Dictionary<string, string> { ["Database__Provider"] = "sqlite", ["ConnectionStrings__ClickCollect"] = source };
        var counts = "select (select count(*) from titles) || '/' || (select count(*) from copies) || '/' || (select count(*) from patrons) || '/' || (select count(*) from schema_migrations)";
        string expected;
        await using (var c = new SqliteConnection(source))
            expected = (await c.ExecuteScalarAsync<string>(counts))!;
        Assert.All(expected.Split('/'), n => Assert.NotEqual("0", n)); // the seeded demo has rows in each

        var before = DateTime.UtcNow.AddSeconds(-1);
        await using var backup = await AppProcess.RunAsync(environment, "backup", folder);

        Assert.True(backup.ExitCode == 0, backup.Output);
        var file = Assert.Single(Directory.GetFiles(folder)); // no .partial left behind
        Assert.Contains($"Backup written: {file}", backup.Output);
        var stamp = DateTime.ParseExact(Path.GetFileNameWithoutExtension(file)["clickcollect-".Length..], "yyyyMMdd-HHmmss",
            System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal);
        Assert.InRange(stamp, before, DateTime.UtcNow); // the UTC time of the run
        await using (var copy = new SqliteConnection(SqliteTestDatabase.ConnectionString(file) + ";Mode=ReadOnly"))
        {
            Assert.Equal("ok", await copy.ExecuteScalarAsync<string>("pragma integrity_check"));
            Assert.Equal(expected, await copy.ExecuteScalarAsync<string>(counts));
        }
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
