using Microsoft.Data.Sqlite;

namespace ClickCollect.Api.Features.Catalogue.Marc;

/// <summary>
/// The record identifiers and barcodes a MARC import has already read, with the record that named each first,
/// kept in a throw-away SQLite file (no journal, no fsync) rather than in memory, so a catalogue of millions of
/// records imports in the same memory as a small one (issue 12: "memory stays flat"). The file goes with the import.
/// </summary>
internal sealed class SeenKeys : IDisposable
{
    public enum Kind { Record = 1, Barcode = 2 }

    readonly string path = Path.Combine(Path.GetTempPath(), $"clickcollect-import-{Guid.NewGuid():N}.db");

    /// <summary>Where the keys wait (a file in the temporary folder, deleted by <see cref="Dispose"/>).</summary>
    public string FilePath => path;
    readonly SqliteConnection connection;
    readonly SqliteCommand find, add;
    readonly Dictionary<Kind, int> counts = [];

    public SeenKeys()
    {
        connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = """
                pragma journal_mode = off; pragma synchronous = off; pragma cache_size = -8000;
                create table seen (kind integer not null, key text not null, record integer not null, primary key (kind, key)) without rowid;
                """;
            setup.ExecuteNonQuery();
        }
        find = Prepare("select record from seen where kind = $kind and key = $key");
        add = Prepare("insert into seen (kind, key, record) values ($kind, $key, $record)");
    }

    SqliteCommand Prepare(string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add("$kind", SqliteType.Integer);
        command.Parameters.Add("$key", SqliteType.Text);
        if (sql.Contains("$record")) command.Parameters.Add("$record", SqliteType.Integer);
        command.Prepare();
        return command;
    }

    /// <summary>The record that named <paramref name="key"/> first, or null when it was not seen yet.</summary>
    public int? FirstRecord(Kind kind, string key)
    {
        find.Parameters["$kind"].Value = (int)kind;
        find.Parameters["$key"].Value = key;
        return find.ExecuteScalar() is long record ? (int)record : null;
    }

    /// <summary>Remembers <paramref name="key"/> as named first by <paramref name="record"/>; false when it was already seen.</summary>
    public bool TryAdd(Kind kind, string key, int record)
    {
        if (FirstRecord(kind, key) is not null) return false;
        add.Parameters["$kind"].Value = (int)kind;
        add.Parameters["$key"].Value = key;
        add.Parameters["$record"].Value = record;
        add.ExecuteNonQuery();
        counts[kind] = Count(kind) + 1;
        return true;
    }

    public bool Contains(Kind kind, string key) => FirstRecord(kind, key) is not null;

    public int Count(Kind kind) => counts.GetValueOrDefault(kind);

    public void Dispose()
    {
        find.Dispose();
        add.Dispose();
        connection.Dispose();
        File.Delete(path);
    }
}
