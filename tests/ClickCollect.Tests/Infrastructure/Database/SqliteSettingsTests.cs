using System.Collections.Concurrent;
using System.Data.Common;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using Microsoft.Data.Sqlite;

namespace ClickCollect.Tests.Infrastructure.Database;

/// <summary>
/// #17 item 2: SQLite's per-connection settings cost one statement per physical connection, not one per open; read
/// connections are kept open with their prepared statements.
/// </summary>
public sealed class SqliteSettingsTests
{
    [Fact]
    public async Task Synchronous_full_is_set_once_per_physical_connection_and_holds_on_every_open()
    {
        await using var db = Db.Create(new DatabaseOptions(), SqliteTestDatabase.ConnectionString(SqliteTestDatabase.NewFile()));
        var statements = new ConcurrentQueue<string>();
        SQLitePCL.sqlite3 handle;
        await using (var first = await db.OpenAsync(default))
        {
            Assert.Equal(2, await first.ExecuteScalarAsync<long>("pragma synchronous")); // 2 = FULL
            handle = Handle(first);
            SQLitePCL.raw.sqlite3_trace(handle, (_, sql) => statements.Enqueue(sql), null); // stays on the pooled connection
        }

        await using (var again = await db.OpenAsync(default))
        {
            Assert.Same(handle, Handle(again)); // the same physical connection back
            Assert.Equal(2, await again.ExecuteScalarAsync<long>("pragma synchronous"));
            // A second physical connection, opened while the first is in use, gets the setting too.
            await using var other = await db.OpenAsync(default);
            Assert.NotSame(handle, Handle(other));
            Assert.Equal(2, await other.ExecuteScalarAsync<long>("pragma synchronous"));
        }

        Assert.DoesNotContain(statements, s => s.Contains("synchronous = full", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_read_connection_is_kept_open_with_its_prepared_statements_and_only_when_its_caller_left_nothing_behind()
    {
        await using var db = Db.Create(new DatabaseOptions(), SqliteTestDatabase.ConnectionString(SqliteTestDatabase.NewFile()));
        const string Count = "select count(*) from sqlite_master where type = @type";
        DbConnection first;
        await using (var c = await db.OpenAsync(default))
        {
            first = c;
            Assert.Equal(0, await c.ExecuteScalarAsync<long>(Count, new { type = "table" }));
        }

        // Given back, handed out again with the statement still prepared (kept, not made again).
        await using (var c = await db.OpenAsync(default))
        {
            Assert.Same(first, c);
            Assert.Equal(1, ((PreparedConnection)c).Kept);
            Assert.Equal(0, await c.ExecuteScalarAsync<long>(Count, new { type = "index" }));
            Assert.Equal(1, ((PreparedConnection)c).Kept);
        }

        // A caller that leaves a transaction open (or a command out) does not pass it on: the connection is closed instead.
        await using (var c = await db.OpenAsync(default))
        {
            Assert.Same(first, c);
            await c.ExecuteAsync("begin transaction");
        }
        await using (var c = await db.OpenAsync(default))
        {
            Assert.NotSame(first, c);
            Assert.Equal(0, ((PreparedConnection)c).Kept);
            Assert.NotEqual(0, SQLitePCL.raw.sqlite3_get_autocommit(Handle(c))); // no transaction left open on it
            Assert.Equal(0, await c.ExecuteScalarAsync<long>(Count, new { type = "table" })); // and nothing half-done shows here
        }
    }

    [Fact] // #17 item 4: each read connection's page cache counted in the resident memory at 256 connections
    public async Task Read_connections_keep_a_small_page_cache_and_the_writer_the_default_one()
    {
        await using var db = Db.Create(new DatabaseOptions(), SqliteTestDatabase.ConnectionString(SqliteTestDatabase.NewFile()));
        await using (var reader = await db.OpenAsync(default))
            Assert.Equal(-Db.ReaderCacheKib, await reader.ExecuteScalarAsync<long>("pragma cache_size"));
        Assert.Equal(-Db.WriterCacheKib, await db.WriteAsync(uow => uow.QuerySingleAsync<long>("pragma cache_size", null, default), default));
        // A read connection opened after the writer's (a physical connection can pass from one to the other in the pool).
        await using var first = await db.OpenAsync(default);
        await using var second = await db.OpenAsync(default);
        Assert.Equal(-Db.ReaderCacheKib, await second.ExecuteScalarAsync<long>("pragma cache_size"));
    }

    [Fact] // #17: parameters Dapper names without their prefix are bound by the SQL's '@' name, and other prefixes still work
    public async Task Parameters_bind_by_their_at_name_and_by_other_prefixes()
    {
        await using var db = Db.Create(new DatabaseOptions(), SqliteTestDatabase.ConnectionString(SqliteTestDatabase.NewFile()));
        await using var c = await db.OpenAsync(default);
        Assert.Equal(123, await c.ExecuteScalarAsync<long>("select @a * 100 + $b * 10 + :c", new { a = 1, b = 2, c = 3 }));
        Assert.Equal(12, await c.ExecuteScalarAsync<long>("select @Id * 10 + @Ids", new { Id = 1, Ids = 2 })); // one name the start of another
        Assert.Equal(6, await db.WriteAsync(uow => uow.QuerySingleAsync<long>("select @a + @b + @a * 3", new { a = 1, b = 2 }, default), default));
    }

    static SQLitePCL.sqlite3 Handle(DbConnection c) => ((PreparedConnection)c).Inner.Handle!;
}
