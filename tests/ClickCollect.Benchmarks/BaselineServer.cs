using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace ClickCollect.Benchmarks;

/// <summary>
/// The bare limit for a booking (PLATFORM.md, "The limit for a booking"): a minimal Kestrel endpoint doing one
/// conditional insert per request (a place taken only while the slot has fewer than its capacity) on the same
/// SQLite file as the app, with the app's settings (WAL, synchronous=FULL, BEGIN IMMEDIATE, one writer in the
/// process). Run as <c>--baseline-server FILE PORT CAPACITY</c>.
/// </summary>
internal static class BaselineServer
{
    public static async Task RunAsync(string file, int port, int capacity)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, Pooling = true, DefaultTimeout = 30 }.ToString();
        var writer = new SemaphoreSlim(1, 1);
        app.MapGet("/health", () => Results.Ok());
        app.MapPost("/book", async (BookBody body) =>
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
                await using var insert = c.CreateCommand();
                insert.Transaction = tx;
                insert.CommandText = """
                    insert into bench_baseline (slot) select $slot
                    where (select count(*) from bench_baseline where slot = $slot) < $capacity
                    """;
                insert.Parameters.AddWithValue("$slot", body.Slot);
                insert.Parameters.AddWithValue("$capacity", capacity);
                var taken = await insert.ExecuteNonQueryAsync();
                await tx.CommitAsync();
                return taken == 1 ? Results.StatusCode(201) : Results.StatusCode(409);
            }
            finally
            {
                writer.Release();
            }
        });
        await app.RunAsync();
    }

    internal sealed record BookBody(int Slot);
}
