using System.Data.Common;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Privacy;

/// <summary>A table of the live schema and its columns (export and erasure find the patron's rows from it).</summary>
internal sealed record SchemaTable(string Name, IReadOnlyList<string> Columns)
{
    public bool Has(string column) => Columns.Contains(column);
}

/// <summary>
/// Reads and clears everything held about one patron (issue 16 item 2). The tables are found from the schema,
/// not from a hand list, so a table another feature adds later is exported and unlinked too: a table mentions
/// the patron through <c>patron_id</c>, a <c>card_number</c>, or a phone number (<c>phone</c>, <c>to_number</c>);
/// the audit trail through <c>entity_id</c> on patron entries.
/// </summary>
internal sealed class PatronDataStore(Db db)
{
    static string SchemaSql(SqlDialect sql) => sql.Pick(
        """
        select m.name as table_name, p.name as column_name from sqlite_master m join pragma_table_info(m.name) p
        where m.type = 'table' and m.name not like 'sqlite%' and m.name not like 'titles_fts%'
        order by m.name, p.cid
        """,
        """
        select c.table_name, c.column_name from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
        order by c.table_name, c.ordinal_position
        """);

    sealed class ColumnRow { public string TableName { get; init; } = ""; public string ColumnName { get; init; } = ""; }

    public static async Task<IReadOnlyList<SchemaTable>> SchemaAsync(DbConnection c, DbTransaction? tx, SqlDialect sql, CancellationToken ct) =>
        (await c.QueryAsync<ColumnRow>(new CommandDefinition(SchemaSql(sql), transaction: tx, cancellationToken: ct)))
            .GroupBy(r => r.TableName)
            .Select(g => new SchemaTable(g.Key, g.Select(r => r.ColumnName).ToList()))
            .ToList();

    /// <summary>Columns never exported: the PIN's hash is a secret, not data about the patron.</summary>
    static readonly HashSet<string> Secret = ["patrons.pin_hash"];

    /// <summary>
    /// How <paramref name="table"/> names the patron, as a where clause on <c>@Id</c>, <c>@Card</c>, <c>@Phone</c>;
    /// null when it cannot. Table and column names come from the schema, never from input.
    /// </summary>
    public static string? WhereAboutPatron(SchemaTable table)
    {
        if (table.Name == "patrons") return "id = @Id";
        if (table.Name == "audit_log") return "entity in ('patron', 'patrons') and entity_id = @Id";
        var parts = new List<string>();
        if (table.Has("patron_id")) parts.Add("patron_id = @Id");
        if (table.Has("card_number")) parts.Add("upper(card_number) = upper(@Card)");
        if (table.Has("phone")) parts.Add("(@Phone is not null and phone = @Phone)");
        if (table.Has("to_number")) parts.Add("(@Phone is not null and to_number = @Phone)");
        return parts.Count == 0 ? null : string.Join(" or ", parts);
    }

    /// <summary>Every row of every table that mentions the patron, column by column (table → rows), in one snapshot.</summary>
    public async Task<SortedDictionary<string, List<Dictionary<string, object?>>>> ExportAsync(long id, string card, string? phone,
        CancellationToken ct)
    {
        await using var uow = await db.WriteAsync(ct); // one consistent snapshot; nothing is written
        var result = new SortedDictionary<string, List<Dictionary<string, object?>>>(StringComparer.Ordinal);
        var args = new { Id = id, Card = card, Phone = phone };
        foreach (var table in await SchemaAsync(uow.Connection, uow.Transaction, uow.Dialect, ct))
        {
            if (WhereAboutPatron(table) is not { } where) continue;
            var columns = table.Columns.Where(c => !Secret.Contains($"{table.Name}.{c}")).ToList();
            var sql = $"select {string.Join(", ", columns)} from {table.Name} where {where}";
            var rows = (await uow.QueryAsync<dynamic>(sql, args, ct))
                .Select(r => ((IDictionary<string, object?>)r).ToDictionary(kv => kv.Key, kv => Plain(kv.Value)))
                .ToList();
            if (rows.Count > 0) result[table.Name] = rows;
        }
        return result;
    }

    // SQLite hands booleans and ids back as long, PostgreSQL timestamps as DateTime (UTC): both read plainly in JSON.
    static object? Plain(object? value) => value switch
    {
        DBNull => null,
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        _ => value,
    };

    internal sealed class ReadingLine
    {
        public string Title { get; init; } = "";
        public string Authors { get; init; } = "";
        public DateOnly LoanedOn { get; init; }
        public DateOnly? ReturnedOn { get; init; }
    }

    internal sealed class ReservationLine
    {
        public string Title { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
    }

    const string ReadingSql = """
        select t.title, t.authors, l.loaned_on, l.returned_on
        from loans l join copies c on c.id = l.copy_id join titles t on t.id = c.title_id
        where l.patron_id = @Id order by l.loaned_on desc, l.id desc
        """;
    const string ReservationsSql = """
        select t.title, h.status, h.created_at from holds h join titles t on t.id = h.title_id
        where h.patron_id = @Id order by h.created_at desc, h.id desc
        """;

    /// <summary>The loans and reservations with their titles, for the readable page.</summary>
    public async Task<(IReadOnlyList<ReadingLine> Loans, IReadOnlyList<ReservationLine> Holds)> ReadableAsync(long id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var loans = (await c.QueryAsync<ReadingLine>(new CommandDefinition(ReadingSql, new { Id = id }, cancellationToken: ct))).AsList();
        var holds = (await c.QueryAsync<ReservationLine>(new CommandDefinition(ReservationsSql, new { Id = id }, cancellationToken: ct))).AsList();
        return (loans, holds);
    }
}
