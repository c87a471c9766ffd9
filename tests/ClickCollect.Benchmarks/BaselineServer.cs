using System.Data.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ClickCollect.Benchmarks;

/// <summary>
/// The bare limit for a booking (PLATFORM.md, "The limit for a booking"): a minimal Kestrel endpoint doing one
/// conditional insert per request (a place taken only while the slot has fewer than its capacity) on the same
/// database as the app. SQLite: the app's settings (WAL, synchronous=FULL, BEGIN IMMEDIATE, one writer in the
/// process). PostgreSQL: a bare transaction, the slot's advisory lock (what makes the count safe under
/// concurrency, as the app does) and the insert sent as one batch, then the commit.
/// Run as <c>--baseline-server sqlite|postgres CONNECTION-STRING PORT CAPACITY</c>.
/// </summary>
internal static class BaselineServer
{
    const string InsertSql = """
        insert into bench_baseline (slot) select @slot
        where (select count(*) from bench_baseline where slot = @slot) < @capacity
        """;

    public static async Task RunAsync(string provider, string connectionString, int port, int capacity)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        Func<int, Task<bool>> book = provider == "postgres" ? PostgresBooker(connectionString, capacity) : SqliteBooker(connectionString, capacity);
        app.MapGet("/health", () => Results.Ok());
        app.MapPost("/book", async (BookBody body) => await book(body.Slot) ? Results.StatusCode(201) : Results.StatusCode(409));
        await app.RunAsync();
    }

    static Func<int, Task<bool>> SqliteBooker(string file, int capacity)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, Pooling = true, DefaultTimeout = 30 }.ToString();
        var writer = new SemaphoreSlim(1, 1);
        return async slot =>
        {
            await writer.WaitAsync();
            try
            {
                await using var c = new SqliteConnection(connectionString);
                await c.OpenAsync();
                await using (var pragma = c.CreateCommand())
                {
                    pragma.CommandText = "pragma synchronous = full";
                    await pragma.ExecuteNonQueryAsync();
                }
                await using var tx = c.BeginTransaction(deferred: false);
                var taken = await InsertAsync(c, tx, InsertSql, slot, capacity);
                await tx.CommitAsync();
                return taken == 1;
            }
            finally
            {
                writer.Release();
            }
        };
    }

    static Func<int, Task<bool>> PostgresBooker(string connectionString, int capacity)
    {
        var source = NpgsqlDataSource.Create(connectionString);
        return async slot =>
        {
            await using var c = await source.OpenConnectionAsync();
            await using var tx = await c.BeginTransactionAsync();
            var taken = await InsertAsync(c, tx, "select pg_advisory_xact_lock(900000 + @slot);\n" + InsertSql, slot, capacity);
            await tx.CommitAsync();
            return taken == 1;
        };
    }

    static async Task<int> InsertAsync(DbConnection c, DbTransaction tx, string sql, int slot, int capacity)
    {
        await using var insert = c.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = sql;
        Add(insert, "slot", slot);
        Add(insert, "capacity", capacity);
        return await insert.ExecuteNonQueryAsync();
    }

    static void Add(DbCommand command, string name, int value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }

    internal sealed record BookBody(int Slot);
}
