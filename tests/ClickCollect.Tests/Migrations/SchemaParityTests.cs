using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using Xunit.Abstractions;

namespace ClickCollect.Tests.Migrations;

/// <summary>
/// db/sqlite and db/postgres must say the same thing (#15 item 8): after migrating an empty database on each
/// engine, the tables, their columns and the indexes created by the migrations are the same, apart from the
/// full-text search each engine does its own way (listed below). Named _Postgres: it needs the server.
/// </summary>
public sealed class SchemaParityTests_Postgres(ITestOutputHelper output)
{
    // SQLite searches titles through an FTS5 table (and its shadow tables); PostgreSQL through a weighted
    // tsvector column on titles with a GIN index (Catalogue/README.md, "Search").
    // Patrons by card whatever its case: SQLite's expression index (0022) is PostgreSQL's patrons_card_number (0003).
    static readonly string[] SqliteOnly = ["titles_fts", "titles_fts_config", "titles_fts_content", "titles_fts_data", "titles_fts_docsize", "titles_fts_idx",
        "index patrons_card_upper on patrons"];
    // Case-insensitive unique names: SQLite says it on the column ("unique collate nocase", an automatic
    // index), PostgreSQL with a unique index on lower()/upper().
    static readonly string[] PostgresOnly = ["titles.search", "index titles_search", "index staff_username on staff", "index patrons_card_number on patrons"];

    [Fact]
    public async Task Both_engines_have_the_same_tables_columns_and_indexes_after_migration()
    {
        var sqlite = await SchemaAsync<SqliteTestDatabase>();
        var postgres = await SchemaAsync<PostgresTestDatabase>();
        output.WriteLine($"{sqlite.Count} items on SQLite, {postgres.Count} on PostgreSQL");

        var onlySqlite = sqlite.Except(postgres).Where(i => !SqliteOnly.Any(i.StartsWith)).Order().ToList();
        var onlyPostgres = postgres.Except(sqlite).Where(i => !PostgresOnly.Any(i.StartsWith)).Order().ToList();
        Assert.Empty(onlySqlite);
        Assert.Empty(onlyPostgres);
        Assert.Contains("appointments.slot_start", sqlite); // the comparison sees columns at all
    }

    /// <summary>"table", "table.column" and "index name on table" lines, lower case, for a freshly migrated database.</summary>
    static async Task<HashSet<string>> SchemaAsync<TDb>() where TDb : ITestDatabase, new()
    {
        await using var app = await TestApp.StartEmptyAsync<TDb>();
        var db = app.Service<Db>();
        await using var c = await db.OpenAsync(default);
        var items = new HashSet<string>();
        if (app.Provider == "sqlite")
        {
            var tables = (await c.QueryAsync<string>("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")).ToList();
            foreach (var table in tables)
            {
                items.Add(table);
                foreach (var column in await c.QueryAsync<string>($"select name from pragma_table_info('{table}')"))
                    items.Add($"{table}.{column}");
            }
            foreach (var index in await c.QueryAsync<(string Name, string Table)>(
                "select name, tbl_name from sqlite_master where type = 'index' and sql is not null"))
                items.Add($"index {index.Name} on {index.Table}");
        }
        else
        {
            foreach (var table in await c.QueryAsync<string>(
                "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'"))
                items.Add(table);
            foreach (var column in await c.QueryAsync<(string Table, string Column)>("""
                select c.table_name, c.column_name from information_schema.columns c
                join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
                where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
                """))
                items.Add($"{column.Table}.{column.Column}");
            // Indexes the migrations create; those behind primary keys and unique constraints are SQLite's autoindexes.
            foreach (var index in await c.QueryAsync<(string Name, string Table)>("""
                select i.indexname, i.tablename from pg_indexes i
                where i.schemaname = 'public'
                  and not exists (select 1 from pg_constraint k where k.conname = i.indexname)
                """))
                items.Add($"index {index.Name} on {index.Table}");
        }
        return items.Select(i => i.ToLowerInvariant()).ToHashSet();
    }
}
