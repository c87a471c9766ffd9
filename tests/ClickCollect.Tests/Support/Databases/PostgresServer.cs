using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ClickCollect.Tests.Support.Databases;

/// <summary>
/// A PostgreSQL server of this test run: Debian's initdb and pg_ctl in a temporary directory,
/// listening on 127.0.0.1 on a free port, stopped when the run ends. initdb refuses to run as
/// root, so as root the server runs as the "postgres" user. When the binaries are missing the
/// PostgreSQL tests are skipped with the reason on a developer machine and fail with CI=true
/// (<see cref="LocalTestFramework"/>): CI must cover both engines.
/// </summary>
public sealed class PostgresServer
{
    static readonly Lazy<PostgresServer> Lazy = new(() => Start(durable: false));

    public static PostgresServer Instance => Lazy.Value;

    readonly string dataDirectory;

    PostgresServer(string dataDirectory, int port)
    {
        this.dataDirectory = dataDirectory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The server's log (auto_explain writes its plans there).</summary>
    public string LogFile => Path.Combine(dataDirectory, "server.log");

    /// <summary>The server's main process (postmaster.pid), or null once it is gone: the benchmark reads the CPU time of it and its backends.</summary>
    public int? ProcessId =>
        File.Exists(Path.Combine(dataDirectory, "db", "postmaster.pid"))
        && int.TryParse(File.ReadLines(Path.Combine(dataDirectory, "db", "postmaster.pid")).FirstOrDefault(), out var pid) ? pid : null;

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=50;Timeout=30";

    /// <summary>
    /// Where initdb and pg_ctl are: PG_BIN when set (another layout than Debian's), else the newest
    /// /usr/lib/postgresql/*/bin holding initdb; null when the server is not installed.
    /// </summary>
    public static string? FindBinaries() =>
        Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } given
            ? (File.Exists(Path.Combine(given, "initdb")) ? given : null)
            : Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;

    /// <summary>
    /// Starts a server of its own, stopped when the process ends. The tests' (<see cref="Instance"/>) is not durable;
    /// <paramref name="durable"/> keeps PostgreSQL's defaults (fsync, synchronous commit), as the benchmark needs (#17);
    /// <paramref name="settings"/> adds server options (<c>-c name=value</c> …).
    /// </summary>
    public static PostgresServer Start(bool durable, string settings = "")
    {
        var binaries = FindBinaries();
        if (binaries is null)
            throw new InvalidOperationException(
                "PostgreSQL server binaries not found (PG_BIN, else /usr/lib/postgresql/*/bin). Install Debian's postgresql package (.ci/run does).");

        var asRoot = Environment.UserName == "root";
        // Stopped, then deleted, when the process ends; a server a killed run left running is stopped the same way.
        var data = RunFolder.Create("clickcollect-pg-", folder => Stop(binaries, folder, asRoot));
        if (asRoot) Run("chown", $"postgres:postgres {data}", asRoot: false);
        Run(Path.Combine(binaries, "initdb"), $"-D {data}/db -U postgres --auth=trust -E UTF8 --locale=C.UTF-8", asRoot);
        var port = FreePort();
        // Durability is not under test in the suite; fsync off keeps it fast.
        var speed = durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        Run(Path.Combine(binaries, "pg_ctl"),
            $"-D {data}/db -l {data}/server.log -w -t 60 -o \"-p {port} -c listen_addresses=127.0.0.1 -k {data} -c max_connections=300{speed} {settings}\" start",
            asRoot);
        return new PostgresServer(data, port);
    }

    static void Stop(string binaries, string folder, bool asRoot)
    {
        if (!File.Exists(Path.Combine(folder, "db", "postmaster.pid"))) return;
        try { Run(Path.Combine(binaries, "pg_ctl"), $"-D {folder}/db -m immediate stop", asRoot); }
        catch (InvalidOperationException) { /* already gone */ }
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    static void Run(string file, string arguments, bool asRoot)
    {
        var start = asRoot
            ? new ProcessStartInfo("runuser", $"-u postgres -- {file} {arguments}")
            : new ProcessStartInfo(file, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = "/tmp";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {error.Result}{output.Result}");
    }
}
