namespace ClickCollect.Api.Infrastructure.Database;

/// <summary>
/// Where SQLite and PostgreSQL differ, both spellings sit here side by side, so no store has to ask
/// which engine it runs on.
/// </summary>
internal sealed class SqlDialect
{
    public static readonly SqlDialect Sqlite = new(true);
    public static readonly SqlDialect Postgres = new(false);

    SqlDialect(bool isSqlite) => IsSqlite = isSqlite;

    public bool IsSqlite { get; }

    public string Name => IsSqlite ? "sqlite" : "postgres";

    /// <summary>
    /// Many keys as ONE parameter: JSON text for SQLite (<c>in (select value from json_each(@Keys))</c>),
    /// an array for PostgreSQL (<c>= any(@Keys)</c>). Dapper's <c>in @Keys</c> expansion is no use here:
    /// Dapper hands Npgsql the list as an array (so <c>in</c> fails there), and on SQLite thousands of
    /// expanded parameters cost seconds to bind (measured: 1.5 s for 36,000 keys in chunks of 2,000).
    /// </summary>
    public object KeyList<T>(IReadOnlyCollection<T> keys) =>
        IsSqlite ? System.Text.Json.JsonSerializer.Serialize(keys) : keys.ToArray();

    /// <summary>"<paramref name="column"/> is one of the keys in <paramref name="parameter"/>", a <see cref="KeyList{T}"/>.</summary>
    public string InKeys(string column, string parameter) => IsSqlite
        ? $"{column} in (select value from json_each({parameter}))"
        : $"{column} = any({parameter})";

    /// <summary>
    /// Ends a queue's "select the next rows" subquery: PostgreSQL skips rows another transaction is
    /// claiming instead of waiting for them; SQLite has one writer at a time, nothing to skip.
    /// </summary>
    public string SkipLocked => IsSqlite ? "" : "for update skip locked";

    /// <summary>A JSON text parameter as the engine stores JSON: text on SQLite, <c>jsonb</c> on PostgreSQL.</summary>
    public string Json(string parameter) => IsSqlite ? parameter : $"cast({parameter} as jsonb)";

    /// <summary>
    /// <paramref name="expression"/> in lower case without accents ("Bérénice" → "berenice"), to compare with
    /// <see cref="SearchText.Fold"/>'s output. PostgreSQL has <c>f_unaccent</c> (migration 0002); SQLite's
    /// <c>lower()</c> only knows ASCII, so the accented letters of French names are replaced one by one.
    /// </summary>
    public string Fold(string expression)
    {
        if (!IsSqlite) return $"lower(f_unaccent({expression}))";
        var sql = expression;
        foreach (var (from, to) in SearchText.SqliteFoldings) sql = $"replace({sql}, '{from}', '{to}')";
        return $"lower({sql})";
    }

    /// <summary>Picks the SQLite or the PostgreSQL spelling of a statement.</summary>
    public string Pick(string sqlite, string postgres) => IsSqlite ? sqlite : postgres;
}
