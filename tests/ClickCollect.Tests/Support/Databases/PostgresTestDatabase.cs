using Npgsql;

namespace ClickCollect.Tests.Support.Databases;

/// <summary>
/// Databases on the throw-away PostgreSQL server of this run. The migrated and seeded template is
/// built once; each app gets <c>create database … template …</c>, a file-level copy.
/// </summary>
public sealed class PostgresTestDatabase : ITestDatabase
{
    static readonly Lazy<Task<string>> Template = new(BuildTemplateAsync);
    static int counter;

    public string Provider => "postgres";

    public async Task<string> CreateSeededAsync()
    {
        var template = await Template.Value;
        return await CreateAsync($"template \"{template}\"");
    }

    public Task<string> CreateEmptyAsync() => CreateAsync("");

    static async Task<string> CreateAsync(string template)
    {
        var server = PostgresServer.Instance;
        var name = $"cc_{Environment.ProcessId}_{Interlocked.Increment(ref counter)}";
        await using var admin = new NpgsqlConnection(server.ConnectionString("postgres"));
        await admin.OpenAsync();
        await using var cmd = admin.CreateCommand();
        cmd.CommandText = $"create database \"{name}\" {template}";
        // A template may have no other session open while it is copied; copies are serialised here.
        await CreateGate.WaitAsync();
        try { await cmd.ExecuteNonQueryAsync(); }
        finally { CreateGate.Release(); }
        return server.ConnectionString(name);
    }

    static readonly SemaphoreSlim CreateGate = new(1, 1);

    static async Task<string> BuildTemplateAsync()
    {
        var connectionString = await CreateAsync("");
        await TestApp.PrepareTemplateAsync("postgres", connectionString);
        NpgsqlConnection.ClearAllPools();
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        // A copy fails while any session is open on its template (55006). A background job of the app
        // that seeded it may still hold or reopen one: close the template to connections for good.
        await using var admin = new NpgsqlConnection(PostgresServer.Instance.ConnectionString("postgres"));
        await admin.OpenAsync();
        await using var cmd = admin.CreateCommand();
        cmd.CommandText = $"alter database \"{name}\" allow_connections false; "
            + $"select pg_terminate_backend(pid) from pg_stat_activity where datname = '{name}' and pid <> pg_backend_pid();";
        await cmd.ExecuteNonQueryAsync();
        return name;
    }
}
