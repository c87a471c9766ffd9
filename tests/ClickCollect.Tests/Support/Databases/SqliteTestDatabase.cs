namespace ClickCollect.Tests.Support.Databases;

/// <summary>
/// SQLite files in a temporary folder. The migrated and seeded template is built once per run;
/// every app gets a copy of it (a file copy is far faster than migrating and seeding again).
/// </summary>
public sealed class SqliteTestDatabase : ITestDatabase
{
    static readonly string Folder = RunFolder.Create("clickcollect-tests-");
    static readonly Lazy<Task<string>> Template = new(BuildTemplateAsync);

    public string Provider => "sqlite";

    public static string NewFile() => Path.Combine(Folder, $"{Guid.NewGuid():N}.db");

    public static string ConnectionString(string file) => $"Data Source={file}";

    public async Task<string> CreateSeededAsync()
    {
        var template = await Template.Value;
        var file = NewFile();
        File.Copy(template, file);
        return ConnectionString(file);
    }

    public Task<string> CreateEmptyAsync() => Task.FromResult(ConnectionString(NewFile()));

    static async Task<string> BuildTemplateAsync()
    {
        var file = NewFile();
        await TestApp.PrepareTemplateAsync("sqlite", ConnectionString(file));
        // The template is copied as one file: fold the WAL back into it first.
        await using (var c = new Microsoft.Data.Sqlite.SqliteConnection(ConnectionString(file)))
        {
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "pragma wal_checkpoint(truncate);";
            await cmd.ExecuteNonQueryAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return file;
    }
}
