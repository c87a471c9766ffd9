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

    /// <summary>Picks the SQLite or the PostgreSQL spelling of a statement.</summary>
    public string Pick(string sqlite, string postgres) => IsSqlite ? sqlite : postgres;
}
