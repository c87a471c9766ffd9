using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace ClickCollect.Api.Infrastructure.Database;

/// <summary>
/// A SQLite connection kept open, keeping each statement it runs prepared for the next time (#17 item 2): the writer's,
/// and the read connections <see cref="Db.OpenAsync"/> hands out.
/// Microsoft.Data.Sqlite parses and plans a statement once per <see cref="SqliteCommand"/> object, and Dapper makes a
/// new command for every call, so every statement of every write was parsed and planned again (13 % of the CPU of a
/// booking). Commands made here hand each SQL text to a command kept for that text on this connection: the statement
/// is only reset and bound again. The stores see an ordinary <see cref="DbConnection"/> and keep using Dapper.
/// </summary>
/// <remarks>
/// A kept command is taken out while in use, so the same SQL run again before the first reader is closed gets a command
/// of its own; one given back with its reader still open is disposed, as any command would be. Nothing is kept beyond
/// <see cref="Capacity"/> texts (statements built from filters vary). The writer's connection lives as long as the writer
/// keeps it; disposing this disposes the kept commands, then the connection.
/// A read connection is made with <paramref name="giveBack"/>: disposing it offers it back to its owner (which keeps it
/// for the next read, with its prepared statements) when it is clean: open, no transaction left open, every command it
/// handed out given back (so no statement still holds a read snapshot). Otherwise, or when the owner declines, it is
/// disposed as above.
/// </remarks>
internal sealed class PreparedConnection(SqliteConnection inner, Func<PreparedConnection, bool>? giveBack = null) : DbConnection
{
    public const int Capacity = 256;

    readonly Dictionary<string, SqliteCommand> kept = new(StringComparer.Ordinal);
    int takenOut; // commands taken out and not given back yet

    public SqliteConnection Inner => inner;

    /// <summary>Statements prepared on first use and reused since (for tests: a statement run twice is prepared once).</summary>
    public int Kept => kept.Count;

    /// <summary>Runs <paramref name="sql"/> (no parameters, no rows) through its kept command: SAVEPOINT, RELEASE and the like.</summary>
    public int Execute(string sql, SqliteTransaction? transaction)
    {
        var command = Take(sql);
        try
        {
            command.Transaction = transaction;
            return command.ExecuteNonQuery();
        }
        finally
        {
            Give(command, readerOpen: false);
        }
    }

    SqliteCommand Take(string sql)
    {
        takenOut++;
        if (kept.Remove(sql, out var command)) return command;
        command = inner.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    void Give(SqliteCommand command, bool readerOpen)
    {
        takenOut--;
        command.Parameters.Clear();
        command.Transaction = null;
        command.CommandTimeout = inner.DefaultTimeout;
        if (readerOpen || command.CommandText.Length == 0 || kept.Count >= Capacity || !kept.TryAdd(command.CommandText, command))
            command.Dispose();
    }

    [AllowNull]
    public override string ConnectionString
    {
        get => inner.ConnectionString;
        set => throw new NotSupportedException("The writer's connection is open already.");
    }

    public override string Database => inner.Database;
    public override string DataSource => inner.DataSource;
    public override string ServerVersion => inner.ServerVersion;
    public override ConnectionState State => inner.State;
    public override void ChangeDatabase(string databaseName) => inner.ChangeDatabase(databaseName);
    public override void Open() => inner.Open();
    public override void Close() => inner.Close();
    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => inner.BeginTransaction(isolationLevel);
    protected override DbCommand CreateDbCommand() => new Command(this);

    /// <summary>Nothing of a caller is left on the connection: it can serve the next one as if just opened.</summary>
    bool Clean => takenOut == 0 && inner.State == ConnectionState.Open && SQLitePCL.raw.sqlite3_get_autocommit(inner.Handle) != 0;

    protected override void Dispose(bool disposing)
    {
        if (disposing && giveBack is not null && Clean && giveBack(this)) return; // kept open by its owner for the next caller
        if (disposing)
        {
            foreach (var command in kept.Values) command.Dispose();
            kept.Clear();
            // A transaction its caller left open (begun by SQL text, unknown to Microsoft.Data.Sqlite) is rolled back here:
            // its pool would otherwise hand the physical connection, transaction and all, to the next open.
            if (inner.State == ConnectionState.Open && SQLitePCL.raw.sqlite3_get_autocommit(inner.Handle) == 0)
                SQLitePCL.raw.sqlite3_exec(inner.Handle, "rollback");
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> AtNames = new(StringComparer.Ordinal);

    /// <summary>A command whose SQL text picks the kept command that runs it.</summary>
    sealed class Command(PreparedConnection owner) : DbCommand
    {
        SqliteCommand? current;
        string text = "";
        DbDataReader? reader;

        SqliteCommand Current => current ??= owner.Take(text);

        [AllowNull]
        public override string CommandText
        {
            get => text;
            set
            {
                value ??= "";
                if (value == text) return;
                var moved = current;
                current = null;
                text = value;
                if (moved is null) return;
                // Parameters added before the text was set go with it.
                var parameters = moved.Parameters.Cast<SqliteParameter>().ToList();
                var (transaction, timeout) = (moved.Transaction, moved.CommandTimeout);
                owner.Give(moved, readerOpen: false);
                Current.Parameters.AddRange(parameters);
                (Current.Transaction, Current.CommandTimeout) = (transaction, timeout);
            }
        }

        public override int CommandTimeout { get => Current.CommandTimeout; set => Current.CommandTimeout = value; }

        public override CommandType CommandType
        {
            get => CommandType.Text;
            set
            {
                if (value != CommandType.Text) throw new NotSupportedException("SQLite runs text commands only.");
            }
        }

        public override bool DesignTimeVisible { get; set; }
        public override UpdateRowSource UpdatedRowSource { get => Current.UpdatedRowSource; set => Current.UpdatedRowSource = value; }

        protected override DbConnection? DbConnection
        {
            get => owner;
            set
            {
                if (value != owner) throw new NotSupportedException("This command belongs to the writer's connection.");
            }
        }

        protected override DbParameterCollection DbParameterCollection => Current.Parameters;

        protected override DbTransaction? DbTransaction
        {
            get => Current.Transaction;
            set => Current.Transaction = (SqliteTransaction?)value;
        }

        public override void Cancel() => current?.Cancel();
        public override int ExecuteNonQuery() => Prefixed().ExecuteNonQuery();
        public override object? ExecuteScalar() => Prefixed().ExecuteScalar();
        public override void Prepare() => Current.Prepare();
        protected override DbParameter CreateDbParameter() => new SqliteParameter();
        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => reader = Prefixed().ExecuteReader(behavior);

        public override Task<int> ExecuteNonQueryAsync(CancellationToken ct) => Prefixed().ExecuteNonQueryAsync(ct);
        public override Task<object?> ExecuteScalarAsync(CancellationToken ct) => Prefixed().ExecuteScalarAsync(ct);

        protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken ct) =>
            reader = await Prefixed().ExecuteReaderAsync(behavior, ct);

        /// <summary>
        /// The command, its parameters named as the SQL names them (<c>@PatronId</c>). Dapper names them without the prefix
        /// (<c>PatronId</c>), and Microsoft.Data.Sqlite then looks each one up in each statement four times (as given, then
        /// with ':', '@' and '$', concatenated and converted to UTF-8 every time, to refuse an ambiguous name): 5.6 % of a
        /// booking's CPU in the profile of make bench (#17). Given its '@' when the SQL uses it, a name is looked up once.
        /// </summary>
        SqliteCommand Prefixed()
        {
            var command = Current;
            foreach (SqliteParameter p in command.Parameters)
            {
                var name = p.ParameterName;
                if (name.Length == 0 || name[0] is '@' or ':' or '$') continue;
                var prefixed = AtNames.GetOrAdd(name, static n => "@" + n);
                if (command.CommandText.Contains(prefixed, StringComparison.Ordinal)) p.ParameterName = prefixed;
            }
            return command;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && current is not null)
            {
                owner.Give(current, readerOpen: reader is { IsClosed: false });
                current = null;
                reader = null;
            }
            base.Dispose(disposing);
        }
    }
}
