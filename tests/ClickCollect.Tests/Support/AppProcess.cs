using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ClickCollect.Tests.Support;

/// <summary>
/// The API's own build output (copied next to the tests) run with dotnet as a separate process, as
/// production runs it: for start-up behaviour (exit codes, messages) and for several instances at once
/// (#18). Its output is kept for the failure message.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    readonly Process process;
    readonly ConcurrentQueue<string> output = new();

    AppProcess(Process process, int? port)
    {
        this.process = process;
        Port = port;
    }

    public int? Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");
    public bool HasExited => process.HasExited;
    public int ExitCode => process.ExitCode;
    public string Output => string.Join('\n', output);

    /// <summary>Serves on 127.0.0.1:<paramref name="port"/> (a free one when null) with these settings as environment variables (Section__Key).</summary>
    public static AppProcess Serve(IReadOnlyDictionary<string, string> environment, int? port = null)
    {
        port ??= FreePort();
        return Start(environment, ["--urls", $"http://127.0.0.1:{port}"], port);
    }

    /// <summary>Runs a command-line verb (e.g. <c>migrate</c>) to its end.</summary>
    public static async Task<AppProcess> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var app = Start(environment, args, null);
        await app.WaitForExitAsync();
        return app;
    }

    static AppProcess Start(IReadOnlyDictionary<string, string> environment, string[] args, int? port)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ClickCollect.Api.dll");
        var start = new ProcessStartInfo("dotnet", [dll, .. args])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Demo__Seed"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var app = new AppProcess(Process.Start(start)!, port);
        app.process.OutputDataReceived += (_, e) => { if (e.Data is not null) app.output.Enqueue(e.Data); };
        app.process.ErrorDataReceived += (_, e) => { if (e.Data is not null) app.output.Enqueue(e.Data); };
        app.process.BeginOutputReadLine();
        app.process.BeginErrorReadLine();
        return app;
    }

    /// <summary>Waits until /health/ready answers 200 (or the process ends, which throws with its output).</summary>
    public async Task WaitUntilReadyAsync(TimeSpan? within = null)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < (within ?? TimeSpan.FromSeconds(90)))
        {
            if (process.HasExited) throw new InvalidOperationException($"the app stopped on its own (exit code {process.ExitCode}): {Output}");
            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the app on port {Port} was not ready in time: {Output}");
    }

    /// <summary>Waits for the process to end on its own, its output read to the end.</summary>
    public async Task WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        process.WaitForExit();
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        if (!process.HasExited) process.Kill();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
