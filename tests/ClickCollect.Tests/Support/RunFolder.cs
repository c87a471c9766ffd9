namespace ClickCollect.Tests.Support;

/// <summary>
/// A temporary folder owned by this test process: named after its process id, deleted when the process
/// ends, and the folders a killed run left behind (same prefix, process gone) are deleted when the next
/// one is made. A test run copies hundreds of SQLite files and a PostgreSQL cluster of a few gigabytes
/// into /tmp; left there by interrupted runs they filled the disk, and every write then failed.
/// </summary>
public static class RunFolder
{
    /// <summary>A new folder /tmp/{prefix}{pid}-xxxxxx; <paramref name="beforeDelete"/> runs first at exit (stop a server).</summary>
    public static string Create(string prefix, Action<string>? beforeDelete = null)
    {
        SweepAbandoned(prefix, beforeDelete);
        var folder = Directory.CreateTempSubdirectory($"{prefix}{Environment.ProcessId}-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            beforeDelete?.Invoke(folder);
            Delete(folder);
        };
        return folder;
    }

    static void SweepAbandoned(string prefix, Action<string>? beforeDelete)
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), prefix + "*"))
        {
            var rest = Path.GetFileName(folder)[prefix.Length..];
            var dash = rest.IndexOf('-');
            if (dash <= 0 || !int.TryParse(rest[..dash], out var pid) || Directory.Exists($"/proc/{pid}")) continue;
            beforeDelete?.Invoke(folder);
            Delete(folder);
        }
    }

    static void Delete(string folder)
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* in use or gone: left for the OS */ }
    }
}
