using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Xunit.Abstractions;

namespace ClickCollect.Tests.Reliability;

/// <summary>
/// #14 item 8, on SQLite and PostgreSQL: every operation of the OpenAPI document under generated bad
/// input, and the authorization matrix read from each endpoint's declared policy. Bounded: one app per
/// test, a few thousand in-process requests.
/// </summary>
public abstract class ReliabilityTests<TDb>(ITestOutputHelper output) where TDb : ITestDatabase, new()
{
    [Fact]
    public async Task Generated_bad_input_never_gives_a_5xx_and_a_refused_request_changes_nothing()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var (operations, document) = await ApiOperations.ReadAsync(app);
        var identities = await Identity.AllAsync(app);
        var owned = await OwnedByFirstPatron.CreateAsync(app, identities.Single(i => i.Name == "P0001").Client);

        var watch = Stopwatch.StartNew();
        var statuses = new SortedDictionary<int, int>();
        var failures = new List<string>();
        var requests = 0;
        var slowest = new List<(string Operation, double Seconds)>();
        foreach (var operation in ApiOperations.InSafeOrder(operations))
        {
            var started = watch.Elapsed;
            // The most trusted identity the operation admits, so the input reaches the handler.
            Identity? caller = null;
            foreach (var candidate in identities.Reverse())
                if (await candidate.MayCallAsync(app, operation)) { caller = candidate; break; }
            caller ??= identities[0];
            if (operation.AllowsAnonymous && !operation.Path.Contains("{cardNumber}", StringComparison.Ordinal)) caller = identities[0];

            var probes = HostileInput.For(operation, document, name => owned.RouteValue(operation.Path, name)).ToList();
            // Probes that must be refused run first and are checked for writes as a batch; the rest only for 5xx.
            var before = ApiOperations.Writes(operation) ? await DataFingerprint.TakeAsync(app) : 0UL;
            var refusedAll = true;
            foreach (var probe in probes.OrderBy(p => p.MustRefuse ? 0 : 1))
            {
                if (!probe.MustRefuse && refusedAll && ApiOperations.Writes(operation))
                {
                    // End of the must-refuse batch, before the first probe that may be accepted: nothing may have been written.
                    if (await DataFingerprint.TakeAsync(app) != before) failures.Add($"{operation}: refused requests changed data");
                    refusedAll = false;
                }
                var status = await SendAsync(caller.Client, operation, probe);
                requests++;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                if (status >= 500) failures.Add($"{operation} [{probe.Label}] as {caller.Name}: {status}");
                else if (probe.MustRefuse && status < 400) failures.Add($"{operation} [{probe.Label}] as {caller.Name}: accepted ({status})");
                if (probe.MustRefuse && refusedAll && status < 400) refusedAll = false;
            }
            if (refusedAll && ApiOperations.Writes(operation) && await DataFingerprint.TakeAsync(app) != before)
                failures.Add($"{operation}: refused requests changed data");
            slowest.Add((operation.ToString(), (watch.Elapsed - started).TotalSeconds));
        }

        var fives = statuses.Where(s => s.Key >= 500).Sum(s => s.Value);
        var figures = $"""
            hostile input on {app.Provider}: {operations.Count} operations, {requests} requests, 5xx = {fives}, {failures.Count} failures, {watch.Elapsed.TotalSeconds:0.0} s
              statuses: {string.Join(", ", statuses.Select(s => $"{s.Key} × {s.Value}"))}
              slowest: {string.Join(", ", slowest.OrderByDescending(s => s.Seconds).Take(5).Select(s => $"{s.Operation} {s.Seconds:0.0} s"))}
            """;
        output.WriteLine(figures);
        Figures.Write($"hostile-input-{app.Provider}", figures + "\n" + string.Join("\n", failures.Take(200)));
        Assert.True(failures.Count == 0, figures + "\n" + string.Join("\n", failures.Take(60)));
    }

    [Fact]
    public async Task Every_operation_answers_every_identity_as_its_declared_policy_says()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var (operations, document) = await ApiOperations.ReadAsync(app);
        var identities = await Identity.AllAsync(app);
        var owned = await OwnedByFirstPatron.CreateAsync(app, identities.Single(i => i.Name == "P0001").Client);
        // Refusals first: a denied identity must be refused before an allowed one changes the resource.
        var order = new[] { "anonymous", "P0002", "counter", "librarian", "P0001", "director" };

        var violations = new List<string>();
        var requests = 0;
        foreach (var operation in ApiOperations.InSafeOrder(operations))
        {
            var path = ApiOperations.Fill(operation.Path, name => owned.RouteValue(operation.Path, name));
            var body = operation.BodyType == "application/json" ? ApiOperations.Example(document, operation.BodySchema)?.ToJsonString() : null;
            foreach (var identity in order.Select(n => identities.Single(i => i.Name == n)))
            {
                var allowed = await identity.MayCallAsync(app, operation);
                var status = await SendAsync(identity.Client, operation,
                    new Probe("matrix", path, body is null ? null : Encoding.UTF8.GetBytes(body), operation.BodyType, false));
                requests++;
                string? wrong = null;
                if (status >= 500) wrong = $"{status}";
                else if (!allowed && identity.Role is null && status != 401) wrong = $"{status}, declared 401";
                else if (!allowed && identity.Role is not null && status != 403) wrong = $"{status}, declared 403";
                else if (allowed && identity.Role is not null && !operation.AllowsAnonymous && status == 401) wrong = "401 although signed in and allowed";
                else if (allowed && identity.Name == "P0002" && OwnedByFirstPatron.NamesOwnedResource(operation.Path) && status is >= 200 and < 300)
                    wrong = $"{status} on another patron's resource";
                if (wrong is not null) violations.Add($"{operation} as {identity.Name}: {wrong}");
            }
        }
        var figures = $"authorization matrix on {app.Provider}: {operations.Count} operations × {identities.Count} identities, {requests} requests, {violations.Count} violations";
        output.WriteLine(figures);
        Figures.Write($"authorization-matrix-{app.Provider}", figures + "\n" + string.Join("\n", violations));
        Assert.True(violations.Count == 0, figures + "\n" + string.Join("\n", violations.Take(60)));
    }

    static async Task<int> SendAsync(HttpClient client, ApiOperation operation, Probe probe)
    {
        using var request = new HttpRequestMessage(ApiOperations.HttpMethodOf(operation), probe.Path);
        if (probe.Body is not null)
        {
            request.Content = new ByteArrayContent(probe.Body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(
                probe.ContentType == "multipart/form-data" ? "multipart/form-data; boundary=boundary" : probe.ContentType ?? "application/json");
        }
        try
        {
            using var response = await client.SendAsync(request);
            if ((int)response.StatusCode >= 400 && response.StatusCode != HttpStatusCode.MethodNotAllowed)
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            return (int)response.StatusCode;
        }
        catch (InvalidOperationException) when (probe.Path.Contains("%00", StringComparison.Ordinal))
        {
            return 400; // the in-process test host refuses a NUL in the path before the app sees it, as Kestrel does
        }
    }
}

public sealed class ReliabilityTests_Sqlite(ITestOutputHelper output) : ReliabilityTests<SqliteTestDatabase>(output);
public sealed class ReliabilityTests_Postgres(ITestOutputHelper output) : ReliabilityTests<PostgresTestDatabase>(output);
