using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace ClickCollect.Benchmarks;

/// <summary>
/// The load generator: Debian's <c>wrk</c> with a Lua script that sends the prepared requests in turn, each
/// thread its own share, and prints one JSON line of results (statuses counted: 2xx, 409, anything else).
/// </summary>
internal static class Wrk
{
    public sealed record Result(double Rate, double P50, double P90, double P99, long Ok, long Refused, long Errors, long Requests, double Seconds)
    {
        /// <summary>Answers 2xx per second: the calls that did what was asked.</summary>
        public double OkRate => Ok / Seconds;

        /// <summary>CPU time the server process spent per request during the run (set by the caller), ms.</summary>
        public double CpuMs { get; init; }
    }

    /// <summary>wrk on the PATH; installed with apt-get when missing and allowed (root), else null.</summary>
    public static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            if (File.Exists(Path.Combine(dir, "wrk"))) return Path.Combine(dir, "wrk");
        if (Environment.UserName != "root") return null;
        Console.WriteLine("wrk is missing: apt-get install -y wrk …");
        using var install = Process.Start(new ProcessStartInfo("apt-get", "install -y wrk") { UseShellExecute = false });
        install?.WaitForExit();
        return File.Exists("/usr/bin/wrk") ? "/usr/bin/wrk" : null;
    }

    const string Script = """
        -- Each line: METHOD PATH TOKEN|- [BODY]
        local counter = 0
        local threads = {}
        function setup(thread)
          thread:set("id", counter)
          counter = counter + 1
          table.insert(threads, thread)
        end
        function init(args)
          lines = {}
          for l in io.lines(args[1]) do lines[#lines + 1] = l end
          step = tonumber(args[2])
          i = id
          ok, refused, other = 0, 0, 0
        end
        function request()
          local l = lines[(i % #lines) + 1]
          i = i + step
          local method, path, token, body = l:match("^(%S+) (%S+) (%S+) ?(.*)$")
          local headers = { ["Content-Type"] = "application/json", ["X-Forwarded-Proto"] = "https" }
          if token ~= "-" then headers["Authorization"] = "Bearer " .. token end
          if body == "" then body = nil end
          return wrk.format(method, path, headers, body)
        end
        function response(status, headers, body)
          if status >= 200 and status < 300 then ok = ok + 1 elseif status == 409 then refused = refused + 1 else other = other + 1 end
        end
        function done(summary, latency, requests)
          local o, r, x = 0, 0, 0
          for _, t in ipairs(threads) do o = o + t:get("ok"); r = r + t:get("refused"); x = x + t:get("other") end
          local e = summary.errors
          io.write(string.format('RESULT {"requests":%d,"us":%d,"p50":%d,"p90":%d,"p99":%d,"ok":%d,"refused":%d,"other":%d,"socket":%d}\n',
            summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99), o, r, x,
            e.connect + e.read + e.write + e.timeout))
        end
        """;

    public static async Task<Result> RunAsync(string wrk, string url, string folder, IReadOnlyList<string> lines, int connections, int seconds)
    {
        var script = Path.Combine(folder, "requests.lua");
        await File.WriteAllTextAsync(script, Script);
        var data = Path.Combine(folder, $"requests-{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(data, lines);
        const int Threads = 2;
        var start = new ProcessStartInfo(wrk, $"-t{Threads} -c{connections} -d{seconds}s --timeout 10s -s {script} {url} -- {data} {Threads}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        File.Delete(data);
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk gave no result: {output}{await process.StandardError.ReadToEndAsync()}");
        var json = JsonDocument.Parse(line["RESULT ".Length..]).RootElement;
        double Ms(string name) => json.GetProperty(name).GetDouble() / 1000;
        var seconds_ = json.GetProperty("us").GetDouble() / 1e6;
        return new Result(json.GetProperty("requests").GetInt64() / seconds_, Ms("p50"), Ms("p90"), Ms("p99"), json.GetProperty("ok").GetInt64(),
            json.GetProperty("refused").GetInt64(), json.GetProperty("other").GetInt64() + json.GetProperty("socket").GetInt64(),
            json.GetProperty("requests").GetInt64(), seconds_);
    }
}

/// <summary>A child process of the bench (the app, the bare baseline), killed with the bench.</summary>
internal sealed class Child : IDisposable
{
    readonly Process process;

    Child(Process process) => this.process = process;

    public int Id => process.Id;

    public static Child Start(string file, string arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && (line.StartsWith("fail", StringComparison.Ordinal) || line.StartsWith("crit", StringComparison.Ordinal)))
                Console.Error.WriteLine($"[{Path.GetFileName(arguments.Split(' ')[0])}] {line}");
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) Console.Error.WriteLine($"[{Path.GetFileName(arguments.Split(' ')[0])}] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new Child(process);
    }

    public void Stop()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public void Dispose()
    {
        Stop();
        process.Dispose();
    }
}
