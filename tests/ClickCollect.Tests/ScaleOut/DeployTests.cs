using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using ClickCollect.Tests.Contract;
using Xunit.Abstractions;

namespace ClickCollect.Tests.ScaleOut;

/// <summary>
/// #18 item 6: the files of <c>deploy/</c> as the tools that read them on a server see them. The nginx
/// TLS site (<c>clickcollect.conf</c>, with the proxy file it includes) passes <c>nginx -t</c>; the
/// systemd unit passes <c>systemd-analyze verify</c>, keeps its hardening, and
/// <c>systemd-analyze security</c> rates its exposure low. Nothing is started or installed: each check
/// reads a copy of the shipped file with only its machine paths (certificates, logs, cache) moved into a
/// temporary folder.
/// </summary>
public sealed partial class DeployTests(ITestOutputHelper output)
{
    static string Deploy(params string[] path) => Path.Combine([OpenApiDocumentTests.RepositoryRoot(), "deploy", .. path]);

    static bool Required(string tool, string package, ITestOutputHelper output)
    {
        if (File.Exists(tool)) return true;
        Assert.True(Environment.GetEnvironmentVariable("CI") != "true", $"{tool} is not installed (.ci/run installs Debian's {package})");
        output.WriteLine($"{tool} is not installed (apt-get install {package}): check not run");
        return false;
    }

    [Fact]
    public async Task The_nginx_tls_site_passes_nginx_t_with_a_certificate_in_place()
    {
        var nginx = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists) ?? "/usr/sbin/nginx";
        if (!Required(nginx, "nginx", output)) return;
        var folder = Directory.CreateTempSubdirectory("cc-nginx-t-").FullName;
        try
        {
            // A throw-away self-signed certificate where Let's Encrypt would put one.
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=clickcollect.example.org", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllTextAsync(Path.Combine(folder, "fullchain.pem"), certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(Path.Combine(folder, "privkey.pem"), key.ExportPkcs8PrivateKeyPem());

            var shipped = await File.ReadAllTextAsync(Deploy("nginx", "clickcollect.conf"));
            var site = shipped
                .Replace("/etc/letsencrypt/live/clickcollect.example.org/", folder + "/")
                .Replace("/etc/nginx/clickcollect-proxy.conf", Deploy("nginx", "clickcollect-proxy.conf"))
                .Replace("/var/cache/nginx/clickcollect", Path.Combine(folder, "cache"))
                .Replace("/var/log/nginx/", folder + "/")
                .Replace("/var/www/letsencrypt", Path.Combine(folder, "www"));
            // Every machine path of the site was moved (the comments may name them).
            Assert.DoesNotContain(site.Split('\n'), line => !line.TrimStart().StartsWith('#') && (line.Contains("/etc/") || line.Contains("/var/")));
            await File.WriteAllTextAsync(Path.Combine(folder, "site.conf"), site);
            // Debian's /etc/nginx/nginx.conf, reduced to what a site relies on: the http context.
            var config = Path.Combine(folder, "nginx.conf");
            await File.WriteAllTextAsync(config, $$"""
                worker_processes 1;
                pid {{folder}}/nginx.pid;
                error_log {{folder}}/error.log;
                events { worker_connections 64; }
                http {
                    client_body_temp_path {{folder}}/body;
                    proxy_temp_path {{folder}}/proxy;
                    fastcgi_temp_path {{folder}}/fastcgi;
                    uwsgi_temp_path {{folder}}/uwsgi;
                    scgi_temp_path {{folder}}/scgi;
                    include {{folder}}/site.conf;
                }
                """);

            var (exit, text) = await RunAsync(nginx, "-t", "-p", folder + "/", "-c", config, "-e", Path.Combine(folder, "error.log"));

            output.WriteLine(text);
            Assert.True(exit == 0, text);
            Assert.Contains("test is successful", text);
            // A warning is a directive nginx reads differently from what the file says (on this machine's nginx).
            Assert.DoesNotContain("[warn]", text);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_systemd_unit_passes_systemd_analyze_verify_and_keeps_its_hardening()
    {
        var unit = await File.ReadAllTextAsync(Deploy("systemd", "clickcollect@.service"));
        var service = Settings(unit, "Service");
        // The hardening a reviewer expects; the file must not lose any of it in an edit.
        foreach (var (key, value) in new[]
                 {
                     ("User", "clickcollect"), ("NoNewPrivileges", "true"), ("ProtectSystem", "strict"), ("ProtectHome", "true"),
                     ("PrivateTmp", "true"), ("PrivateDevices", "true"), ("ProtectKernelTunables", "true"), ("ProtectKernelModules", "true"),
                     ("ProtectControlGroups", "true"), ("RestrictNamespaces", "true"), ("RestrictSUIDSGID", "true"), ("LockPersonality", "true"),
                     ("CapabilityBoundingSet", ""), ("AmbientCapabilities", ""), ("RestrictAddressFamilies", "AF_INET AF_INET6 AF_UNIX"),
                     ("SystemCallArchitectures", "native"), ("SystemCallFilter", "@system-service"), ("ReadWritePaths", "/var/lib/clickcollect"),
                     // Exit code 2 (a database newer than the app): restarting cannot help.
                     ("RestartPreventExitStatus", "2"), ("Restart", "on-failure"),
                     // The gen1 cap (#17): the runtime reads it only from the environment; make bench passes it on from here.
                     ("Environment", "DOTNET_GCgen1MaxBudget=0x400000"),
                 })
            Assert.True(service.Contains((key, value)), $"[Service] {key}={value} is missing from deploy/systemd/clickcollect@.service");
        Assert.DoesNotContain(service, s => s.Key == "MemoryDenyWriteExecute" && s.Value == "true"); // .NET's JIT needs W+X memory

        const string analyze = "/usr/bin/systemd-analyze";
        if (!Required(analyze, "systemd", output)) return;
        var folder = Directory.CreateTempSubdirectory("cc-systemd-").FullName;
        try
        {
            // The unit names /usr/bin/dotnet (Debian's runtime), which verify requires to exist: where the
            // SDK lives elsewhere, the copy names the dotnet running this test.
            var dotnet = File.Exists("/usr/bin/dotnet") ? "/usr/bin/dotnet" : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "/usr/bin/dotnet";
            await File.WriteAllTextAsync(Path.Combine(folder, "clickcollect@.service"), unit.Replace("/usr/bin/dotnet", dotnet));

            // An instance of the template, as `systemctl enable clickcollect@5080` makes it. verify exits 0
            // on unknown keys and bad values too (it ignores them), so its output must be empty as well.
            var (exit, text) = await RunAsync(analyze, "verify", Path.Combine(folder, "clickcollect@5080.service"));
            output.WriteLine($"systemd-analyze verify: exit {exit} {text}");
            Assert.True(exit == 0, text);
            Assert.True(text.Trim().Length == 0, text);

            var (_, security) = await RunAsync(analyze, "security", "--offline=true", "--no-pager", Path.Combine(folder, "clickcollect@.service"));
            var exposure = ExposureLine().Match(security);
            Assert.True(exposure.Success, security);
            output.WriteLine(exposure.Value);
            // systemd's scale runs from 0 (fully sandboxed) to 10 (nothing): below 2 it says OK.
            Assert.True(double.Parse(exposure.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) < 2.0, exposure.Value);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The key=value lines of one [section] of a unit file (keys may repeat), comments left out.</summary>
    static HashSet<(string Key, string Value)> Settings(string unit, string section)
    {
        var settings = new HashSet<(string, string)>();
        var current = "";
        foreach (var raw in unit.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';') continue;
            if (line[0] == '[') current = line.Trim('[', ']');
            else if (current == section && line.IndexOf('=') is var eq and > 0) settings.Add((line[..eq].Trim(), line[(eq + 1)..].Trim()));
        }
        return settings;
    }

    static async Task<(int Exit, string Output)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout + await stderr).Trim());
    }

    [GeneratedRegex(@"Overall exposure level for \S+: (\d+(?:\.\d+)?)")]
    private static partial Regex ExposureLine();
}
