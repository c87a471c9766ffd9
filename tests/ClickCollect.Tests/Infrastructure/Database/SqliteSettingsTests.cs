using System.Collections.Concurrent;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using Microsoft.Data.Sqlite;

namespace ClickCollect.Tests.Infrastructure.Database;

/// <summary>#17 item 2: SQLite's per-connection settings cost one statement per physical connection, not one per open.</summary>
public sealed class SqliteSettingsTests
{
    [Fact]
    public async Task Synchronous_full_is_set_once_per_physical_connection_and_holds_on_every_open()
    {
        await using var db = Db.Create(new DatabaseOptions(), SqliteTestDatabase.ConnectionString(SqliteTestDatabase.NewFile()));
        var statements = new ConcurrentQueue<string>();
        SQLitePCL.sqlite3 handle;
        await using (var first = (SqliteConnection)await db.OpenAsync(default))
        {
            Assert.Equal(2, await first.ExecuteScalarAsync<long>("pragma synchronous")); // 2 = FULL
            handle = first.Handle!;
            SQLitePCL.raw.sqlite3_trace(handle, (_, sql) => statements.Enqueue(sql), null); // stays on the pooled connection
        }

        await using (var again = (SqliteConnection)await db.OpenAsync(default))
        {
            Assert.Same(handle, again.Handle); // the pool gave the same physical connection back
            Assert.Equal(2, await again.ExecuteScalarAsync<long>("pragma synchronous"));
            // A second physical connection, opened while the first is in use, gets the setting too.
            await using var other = (SqliteConnection)await db.OpenAsync(default);
            Assert.NotSame(handle, other.Handle);
            Assert.Equal(2, await other.ExecuteScalarAsync<long>("pragma synchronous"));
        }

        Assert.DoesNotContain(statements, s => s.Contains("synchronous = full", StringComparison.OrdinalIgnoreCase));
    }
}
