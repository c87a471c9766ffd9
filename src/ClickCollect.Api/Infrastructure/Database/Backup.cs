using Microsoft.Data.Sqlite;

namespace ClickCollect.Api.Infrastructure.Database;

/// <summary>
/// <c>make backup</c> (#18 item 5): a copy of the SQLite database taken with SQLite's online backup API
/// while the app serves. The copy is one consistent moment: WAL readers never block the writer, so
/// bookings go on during it and the ones acknowledged before it started are all in it. PostgreSQL is
/// backed up with pg_dump (README "Running for a network").
/// </summary>
internal static class Backup
{
    /// <summary>The backup folder: <c>Backup:Folder</c>, else <c>data/backups</c>.</summary>
    public const string FolderSetting = "Backup:Folder";

    /// <summary>Copies the database to <c>clickcollect-yyyyMMdd-HHmmss.db</c> in <paramref name="folder"/>, checks the copy, and returns its path.</summary>
    public static async Task<string> RunAsync(Db db, string folder, DateTimeOffset now, CancellationToken ct)
    {
        if (!db.Dialect.IsSqlite)
            throw new InvalidOperationException("make backup copies a SQLite database; back PostgreSQL up with pg_dump (README, \"Running for a network\").");
        Directory.CreateDirectory(folder);
        var stem = Path.Combine(folder, $"clickcollect-{now.UtcDateTime:yyyyMMdd-HHmmss}");
        var path = stem + ".db";
        for (var n = 2; File.Exists(path); n++) path = $"{stem}-{n}.db";
        var partial = path + ".partial"; // never a half-written file under the final name

        await using (var read = (PreparedConnection)await db.OpenAsync(ct)) // SQLite's read connections are kept prepared (Db.OpenAsync)
        await using (var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = partial, Pooling = false }.ToString()))
        {
            await target.OpenAsync(ct);
            read.Inner.BackupDatabase(target);
            await using var check = target.CreateCommand();
            check.CommandText = "pragma integrity_check";
            var integrity = (string?)await check.ExecuteScalarAsync(ct);
            if (integrity != "ok") throw new InvalidOperationException($"The backup {partial} fails SQLite's integrity check: {integrity}");
        }
        File.Move(partial, path);
        return path;
    }
}
