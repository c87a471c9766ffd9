using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClickCollect.Tests.Contract;
using ClickCollect.Tests.Reliability;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using Npgsql;
using Xunit.Abstractions;

namespace ClickCollect.Tests.ScaleOut;

/// <summary>
/// #18 item 3: two app processes on 127.0.0.1 behind Debian's nginx (the test starts it on a loopback
/// port with <c>deploy/nginx/clickcollect-proxy.conf</c>, the file shipped for production), one throw-away
/// PostgreSQL database, the fake Twilio server. Clients through nginx race for the same slot and the same
/// copies and repeat Idempotency-Keys; a token from one instance is used on the other; patrons say "I'm
/// here" while a staff session polls the counter's board, its polls answered by both instances, and staff
/// hand the documents over from it; then one instance is killed (SIGKILL) in the middle of a booking load.
/// Exactly the capacity is admitted, each copy goes to one hold, each key creates once, each arrival shows
/// on the board once, each appointment is handed over once, nothing acknowledged is lost, and the survivor
/// sends every SMS, each once.
/// </summary>
public sealed class MultiInstanceTests(ITestOutputHelper output)
{
    const int Racers = 8;       // patrons racing for one slot (of 4 places) and for three copies
    const int Arrivers = 4;     // of them, patrons who then say "I'm here" at the other library
    const int Loaders = 4;      // patrons booking while an instance is killed
    const int LoadTitles = 4;   // titles each loader reserves and books, one after the other

    [Fact]
    public async Task Two_instances_behind_nginx_on_one_postgres_keep_every_promise_when_one_is_killed()
    {
        var watch = Stopwatch.StartNew();
        var nginxBinary = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists);
        if (nginxBinary is null)
        {
            Assert.True(Environment.GetEnvironmentVariable("CI") != "true", "nginx is not installed (.ci/run installs Debian's nginx)");
            output.WriteLine("nginx is not installed: multi-instance test not run");
            return;
        }

        var connectionString = await new PostgresTestDatabase().CreateSeededAsync();
        await using var twilio = await FakeTwilio.StartAsync();
        var folder = Directory.CreateTempSubdirectory("cc-multi-").FullName;
        var nginxPort = AppProcess.FreePort();
        var site = $"http://127.0.0.1:{nginxPort}";
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = "postgres",
            ["ConnectionStrings__ClickCollect"] = connectionString,
            ["ReverseProxy__KnownProxies"] = "127.0.0.1",
            ["RateLimits__SignInPerMinute"] = "100000",
            ["RateLimits__RequestsPerMinute"] = "100000",
            ["RateLimits__SignInFailuresPerAddress"] = "100000",
            ["Holds__MaxActivePerPatron"] = "1000",
            ["Appointments__MaxPerPatronPerDay"] = "1000",
            ["Twilio__BaseUrl"] = twilio.BaseUrl.ToString(),
            ["Twilio__AccountSid"] = FakeTwilio.AccountSid,
            ["Twilio__AuthToken"] = FakeTwilio.AuthToken,
            ["Twilio__From"] = FakeTwilio.From,
            ["Twilio__PublicBaseUrl"] = site,
            // A dead instance's SMS leases run out within seconds, so the survivor takes its messages over.
            ["Twilio__Timeout"] = "00:00:02",
            ["Sms__Lease"] = "00:00:06",
            ["Sms__DispatchInterval"] = "00:00:01",
            ["Sms__QuietHoursStart"] = "00:00",
            ["Sms__QuietHoursEnd"] = "00:00",
        };
        await using var a = AppProcess.Serve(environment);
        await using var b = AppProcess.Serve(environment);
        await using var nginx = await Nginx.StartAsync(nginxBinary, folder, nginxPort, [a.Port!.Value, b.Port!.Value]);
        // Two first starts beside the rest of `make test` on two cores: seen over 90 s at a load average of 40.
        await Task.WhenAll(a.WaitUntilReadyAsync(TimeSpan.FromMinutes(3)), b.WaitUntilReadyAsync(TimeSpan.FromMinutes(3)));
        var started = watch.Elapsed;

        using var http = new HttpClient { BaseAddress = new Uri(site), Timeout = TimeSpan.FromSeconds(30) };
        var seenBy = await SeenByAsync(http, a, b);

        // Signed in on one instance, honoured by the other (the key ring is in the database).
        var director = await SignInAsync(a.BaseAddress, "/api/staff/sign-in", new { username = "director", password = TestApp.DemoPassword });
        using (var onB = new HttpClient { BaseAddress = b.BaseAddress })
        {
            onB.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", director);
            Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/staff")).StatusCode);
        }

        // The catalogue of this run, imported through nginx.
        var csv = new StringBuilder("recordId,title,authors,language,audience,format,genres,barcode,branchCode,shelfLocation,callNumber\n");
        void Title(string record, int copies, string branch = "CENTRALE")
        {
            for (var i = 0; i < copies; i++) csv.Append($"{record},\"Titre {record}\",\"Essai, Test\",fr,adult,book,Roman,{record}-{i:D3},{branch},Romans adultes,R ESS\n");
        }
        Title("MI-COPIES", 3);
        Title("MI-SLOT", Racers + 1);
        Title("MI-HERE", Arrivers, "PRES");
        for (var t = 0; t < Loaders * LoadTitles; t++) Title($"MI-LOAD-{t:D3}", 1);
        // Patrons sign in through nginx (their calls land on either instance) while the catalogue is imported.
        var signingIn = Task.WhenAll(Enumerable.Range(1, Racers + 1 + Loaders).Select(async n =>
        {
            var client = new HttpClient { BaseAddress = new Uri(site), Timeout = TimeSpan.FromSeconds(30) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
                await SignInAsync(client.BaseAddress, "/api/patrons/sign-in", new { cardNumber = $"P{n:D4}", pin = "1234" }));
            return client;
        }));
        using (var import = new HttpRequestMessage(HttpMethod.Post, "/api/catalogue/imports?format=csv") { Content = new StringContent(csv.ToString(), Encoding.UTF8, "text/csv") })
        {
            import.Headers.Authorization = new AuthenticationHeaderValue("Bearer", director);
            var imported = await http.SendAsync(import);
            Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
        }
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        var titles = (await db.QueryAsync<(string Record, long Id)>("select record_id, id from titles where record_id like 'MI-%'")).ToDictionary(t => t.Record, t => t.Id);
        var points = (await http.GetFromJsonAsync<JsonElement[]>("/api/pickup-points?all=true"))!;
        var point = points.Single(p => p.GetProperty("name").GetString() == Library.CentralAdults).GetProperty("id").GetInt64();
        var patrons = await signingIn;

        // 1. Eight patrons race for three copies: each copy goes to one hold; the rest queue.
        var copyRace = await Task.WhenAll(patrons.Take(Racers).Select(p => p.PostAsJsonAsync("/api/holds", new { titleId = titles["MI-COPIES"], pickupPointId = point })));
        Assert.All(copyRace, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var allocated = (await db.QueryAsync<long>("select copy_id from holds where title_id = @t and copy_id is not null", new { t = titles["MI-COPIES"] })).ToList();
        Assert.Equal(3, allocated.Count);
        Assert.Equal(3, allocated.Distinct().Count());

        // 2. The same eight race for one slot, each with a hold of their own: exactly its capacity is admitted.
        var slotHolds = await Task.WhenAll(patrons.Take(Racers).Select(async p =>
            (await ReadAsync(await p.PostAsJsonAsync("/api/holds", new { titleId = titles["MI-SLOT"], pickupPointId = point }), HttpStatusCode.Created)).GetProperty("id").GetInt64()));
        var slots = (await http.GetFromJsonAsync<JsonElement[]>($"/api/pickup-points/{point}/slots"))!
            .Where(s => s.GetProperty("remaining").GetInt32() > 0).ToList();
        // Not the nearest slot: its booking cut-off (the lead time) could pass during the race.
        var raced = slots[1];
        var capacity = raced.GetProperty("remaining").GetInt32();
        Assert.True(capacity < Racers, "the slot must be smaller than the crowd");
        var slotRace = await Task.WhenAll(patrons.Take(Racers).Select((p, i) =>
            p.PostAsJsonAsync("/api/appointments", new { pickupPointId = point, slotStart = raced.GetProperty("start").GetString(), holdIds = new[] { slotHolds[i] } })));
        Assert.Equal(capacity, slotRace.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var refused in slotRace.Where(r => r.StatusCode != HttpStatusCode.Created))
            await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Conflict, "slot_full");

        // 3. One reservation sent four times at once with one Idempotency-Key (to both instances): created once.
        var repeater = patrons[Racers];
        var repeats = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/holds") { Content = JsonContent.Create(new { titleId = titles["MI-SLOT"], pickupPointId = point }) };
            request.Headers.Add("Idempotency-Key", "multi-instance-repeat");
            return repeater.SendAsync(request);
        }));
        Assert.Contains(repeats, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(repeats, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var repeatedIds = await Task.WhenAll(repeats.Where(r => r.StatusCode == HttpStatusCode.Created)
            .Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64()));
        Assert.Single(repeatedIds.Distinct()); // a replay answers the first answer
        Assert.Equal(1, await db.ExecuteScalarAsync<long>(
            "select count(*) from holds h join patrons p on p.id = h.patron_id where p.card_number = @card and h.title_id = @t",
            new { card = $"P{Racers + 1:D4}", t = titles["MI-SLOT"] }));

        // 4. At the other library, patrons say "I'm here" through nginx while a staff session watches the
        //    counter's board through nginx too: both instances answer its polls, and each arrival shows once.
        var arrivals = await ArrivalsAsync(http, director, points.Single(p => p.GetProperty("name").GetString() == Library.Quarter),
            titles["MI-HERE"], patrons.Take(Arrivers).ToList(), a, b);

        // 5. Loaders reserve and book, each call with its Idempotency-Key and retried with it when an
        //    answer is lost; instance A is killed once a few bookings are acknowledged.
        var acknowledgedHolds = new ConcurrentBag<long>();
        var acknowledgedAppointments = new ConcurrentBag<long>();
        var retried = 0;
        var load = patrons.Skip(Racers + 1).Select((p, l) => Task.Run(async () =>
        {
            var slot = slots[2 + l].GetProperty("start").GetString()!;
            for (var t = 0; t < LoadTitles; t++)
            {
                var hold = await PostWithRetriesAsync(p, "/api/holds", new { titleId = titles[$"MI-LOAD-{l * LoadTitles + t:D3}"], pickupPointId = point }, () => Interlocked.Increment(ref retried));
                if (hold is null) continue;
                acknowledgedHolds.Add(hold.Value.GetProperty("id").GetInt64());
                var booked = await PostWithRetriesAsync(p, "/api/appointments",
                    new { pickupPointId = point, slotStart = slot, holdIds = new[] { hold.Value.GetProperty("id").GetInt64() } }, () => Interlocked.Increment(ref retried));
                if (booked is { } appointment) acknowledgedAppointments.Add(appointment.GetProperty("id").GetInt64());
            }
        })).ToList();
        var waited = Stopwatch.StartNew();
        while (acknowledgedAppointments.Count < Loaders && waited.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(10);
        a.Kill();
        var killedAt = acknowledgedAppointments.Count;
        await Task.WhenAll(load);

        // Nothing acknowledged is lost; each reservation and each booking exists once.
        var storedHolds = (await db.QueryAsync<long>("select id from holds")).ToHashSet();
        var storedAppointments = (await db.QueryAsync<long>("select id from appointments")).ToHashSet();
        Assert.DoesNotContain(acknowledgedHolds, h => !storedHolds.Contains(h));
        Assert.DoesNotContain(acknowledgedAppointments, x => !storedAppointments.Contains(x));
        Assert.Empty(await db.QueryAsync<long>("""
            select title_id from holds where title_id in (select id from titles where record_id like 'MI-LOAD-%') group by patron_id, title_id having count(*) > 1
            """));
        Assert.Empty(await db.QueryAsync<long>("""
            select hold_id from appointment_holds group by hold_id having count(*) > 1
            """));
        Assert.True(acknowledgedAppointments.Count > killedAt, "bookings went on through the survivor after the kill");
        // Each copy with one active hold at most, whole run.
        Assert.Empty(await db.QueryAsync<long>("""
            select copy_id from holds where copy_id is not null and status in ('toPick', 'inTransit', 'ready') group by copy_id having count(*) > 1
            """));

        // The survivor finishes the background work: every SMS sent, each once.
        waited.Restart();
        while (await db.ExecuteScalarAsync<long>("select count(*) from sms_outbox where status in ('pending', 'sending')") > 0 && waited.Elapsed < TimeSpan.FromSeconds(30))
            await Task.Delay(200);
        var sent = (await db.QueryAsync<string>("select provider_sid from sms_outbox where provider_sid is not null")).ToList();
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("select count(*) from sms_outbox where status in ('pending', 'sending')"));
        Assert.True(sent.Count > 0, "bookings by patrons with SMS consent send one each");
        Assert.Equal(sent.Count, sent.Distinct().Count());
        Assert.Equal(sent.Order(), twilio.Messages.Select(m => m.Sid).Order());
        Assert.Empty(twilio.Complaints);
        Assert.True(b.HasExited is false, b.Output);

        var figures = $"multi-instance: 2 instances behind nginx on PostgreSQL, requests answered by A {seenBy.A} / B {seenBy.B} of {seenBy.A + seenBy.B}; " +
                      $"slot of {capacity} raced by {Racers}: {capacity} admitted; 3 copies raced by {Racers}: 3 allocated; 4 repeats of one key: 1 created; " +
                      $"{Arrivers} patrons said I'm here (a double tap each), the board polled {arrivals.Polls} times (A {arrivals.ByA} / B {arrivals.ByB}) noticed each arrival once, and staff handed each over once (a double click each) ({arrivals.Took.TotalSeconds:0.0} s); " +
                      $"instance A killed after {killedAt} bookings, {acknowledgedHolds.Count} reservations and {acknowledgedAppointments.Count} bookings acknowledged, 0 lost, {retried} calls retried with their key; " +
                      $"{sent.Count} SMS sent once each; start {started.TotalSeconds:0.0} s, total {watch.Elapsed.TotalSeconds:0.0} s";
        output.WriteLine(figures);
        Figures.Write("multi-instance", figures);
    }

    /// <summary>
    /// #18 item 1, the counter's arrivals refresh on several instances. The pickup point opens now (lead
    /// time 0, 5-minute slots round the clock, set by the director through the API), so its next slot is
    /// within the 30 minutes before a slot when "I'm here" is taken, whatever the time of the run. Each
    /// patron reserves a copy there and books that slot (staff mark it ready), then, one after the other, says
    /// "I'm here" (a double tap) through nginx, while the director's board polls the day's appointments through
    /// nginx as counter.js does (every 5 s there, every 50 ms here) and notices the arrivals that were not in
    /// its previous answer. Every arrival is noticed exactly once: none vanishes when the other instance
    /// answers the next poll; the board goes on until each instance has answered a poll showing all of them.
    /// Then staff hand each appointment over with a double click: one loan, one receipt, the other click told
    /// the appointment is over.
    /// </summary>
    static async Task<(int Polls, int ByA, int ByB, TimeSpan Took)> ArrivalsAsync(HttpClient http, string director, JsonElement quarter, long title,
        IReadOnlyList<HttpClient> arrivers, AppProcess a, AppProcess b)
    {
        var took = Stopwatch.StartNew();
        var point = quarter.GetProperty("id").GetInt64();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(quarter.GetProperty("timeZone").GetString()!);
        var windows = Enumerable.Range(1, 7).Select(day => new { weekday = day, startsAt = "00:00:00", endsAt = "23:55:00", slotMinutes = 5, capacity = arrivers.Count });
        using (var opening = new HttpRequestMessage(HttpMethod.Put, $"/api/pickup-points/{point}/opening")
               {
                   Content = JsonContent.Create(new { leadTimeMinutes = 0, horizonDays = 1, pickupOpenDays = 5, stopSlotMinutes = 30, stopSlotCapacity = 4, windows }),
               })
        {
            opening.Headers.Authorization = new AuthenticationHeaderValue("Bearer", director);
            await ReadAsync(await http.SendAsync(opening), HttpStatusCode.OK);
        }
        // The first slot a minute away at least (its booking cut-off must not pass while patrons book).
        var slot = (await http.GetFromJsonAsync<JsonElement[]>($"/api/pickup-points/{point}/slots"))!
            .Select(s => s.GetProperty("start").GetDateTimeOffset()).First(start => start > DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.True(slot < DateTimeOffset.UtcNow.AddMinutes(25), $"the next slot ({slot:u}) is not within the arrival window");
        using var board = new HttpClient { BaseAddress = http.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        board.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", director);
        var booked = await Task.WhenAll(arrivers.Select(async patron =>
        {
            var hold = (await ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = point }), HttpStatusCode.Created)).GetProperty("id").GetInt64();
            var appointment = await ReadAsync(await patron.PostAsJsonAsync("/api/appointments",
                new { pickupPointId = point, slotStart = slot, holdIds = new[] { hold } }), HttpStatusCode.Created);
            // Picked and staged by the staff, so there is something to hand over when the patron comes.
            await ReadAsync(await board.PostAsync($"/api/holds/{hold}/ready", null), HttpStatusCode.OK);
            return (Hold: hold, Appointment: appointment.GetProperty("id").GetInt64());
        }));
        var appointments = booked.Select(x => x.Appointment).ToArray();
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(slot, zone).DateTime);
        var (instanceA, instanceB) = ($"127.0.0.1:{a.Port}", $"127.0.0.1:{b.Port}");
        var answered = new Dictionary<string, int> { [instanceA] = 0, [instanceB] = 0 };
        async Task<(HashSet<long> Arrived, string By)> PollAsync()
        {
            var response = await board.GetAsync($"/api/appointments?pickupPointId={point}&date={day:yyyy-MM-dd}");
            var by = response.Headers.GetValues("X-Upstream").Single();
            answered[by] = answered.GetValueOrDefault(by) + 1;
            var listed = (await ReadAsync(response, HttpStatusCode.OK)).EnumerateArray().ToList();
            Assert.Equal(appointments.Order(), listed.Select(x => x.GetProperty("id").GetInt64()).Where(appointments.Contains).Order());
            return ([.. listed.Where(x => x.GetProperty("status").GetString() == "arrived").Select(x => x.GetProperty("id").GetInt64())], by);
        }

        var (seen, _) = await PollAsync();
        Assert.Empty(seen);
        var noticed = appointments.ToDictionary(id => id, _ => 0);
        // One patron after the other, as they come in, so the board sees the list grow from both instances.
        var arriving = Task.Run(async () =>
        {
            for (var i = 0; i < arrivers.Count; i++)
            {
                var patron = arrivers[i];
                var arrival = $"/api/appointments/{appointments[i]}/arrival";
                // A double tap: two at once, likely on both instances; the patron must not show up twice.
                foreach (var answer in await Task.WhenAll(patron.PostAsync(arrival, null), patron.PostAsync(arrival, null)))
                    Assert.Equal("arrived", (await ReadAsync(answer, HttpStatusCode.OK)).GetProperty("status").GetString());
            }
        });
        var showedAll = new HashSet<string>();
        var waited = Stopwatch.StartNew();
        while (showedAll.Count < 2 && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            var done = arriving.IsCompleted;
            var (arrived, by) = await PollAsync();
            Assert.True(seen.IsSubsetOf(arrived), $"an arrival vanished from the board when {by} answered");
            foreach (var id in arrived.Except(seen)) noticed[id]++;
            seen = arrived;
            if (done && arrived.Count == arrivers.Count) showedAll.Add(by);
            await Task.Delay(50);
        }
        await arriving;
        Assert.True(showedAll.Count == 2, $"both instances must answer a poll with every arrival; polls answered: {string.Join(", ", answered)}");
        Assert.All(noticed, n => Assert.True(n.Value == 1, $"appointment {n.Key} noticed {n.Value} times by the board"));

        // The staff hand each arrived patron's document over from the board, with a double click (two
        // calls at once, likely on both instances): one receipt, the other told the appointment is over.
        foreach (var (hold, appointment) in booked)
        {
            var taps = await Task.WhenAll(board.PostAsync($"/api/appointments/{appointment}/handover", null), board.PostAsync($"/api/appointments/{appointment}/handover", null));
            var receipt = await ReadAsync(Assert.Single(taps, t => t.StatusCode == HttpStatusCode.OK), HttpStatusCode.OK);
            Assert.Equal(hold, Assert.Single(receipt.GetProperty("loans").EnumerateArray()).GetProperty("holdId").GetInt64());
            await ProblemAssert.IsProblemAsync(Assert.Single(taps, t => t.StatusCode != HttpStatusCode.OK), HttpStatusCode.Conflict, "appointment_closed");
        }
        var handedOver = (await ReadAsync(await board.GetAsync($"/api/appointments?pickupPointId={point}&date={day:yyyy-MM-dd}"), HttpStatusCode.OK)).EnumerateArray()
            .Where(x => appointments.Contains(x.GetProperty("id").GetInt64())).ToList();
        Assert.All(handedOver, x => Assert.Equal("completed", x.GetProperty("status").GetString()));
        foreach (var (hold, _) in booked)
            Assert.Equal("collected", (await ReadAsync(await board.GetAsync($"/api/holds/{hold}"), HttpStatusCode.OK)).GetProperty("status").GetString());
        return (answered.Values.Sum(), answered[instanceA], answered[instanceB], took.Elapsed);
    }

    /// <summary>Which instance answers calls through nginx, from the upstream address nginx reports (X-Upstream, set by the test's config).</summary>
    static async Task<(int A, int B)> SeenByAsync(HttpClient http, AppProcess a, AppProcess b)
    {
        var seen = new ConcurrentDictionary<string, int>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            var response = await http.GetAsync("/health/ready");
            var upstream = response.Headers.TryGetValues("X-Upstream", out var v) ? v.Single() : "?";
            seen.AddOrUpdate(upstream, 1, (_, n) => n + 1);
        }));
        return (seen.GetValueOrDefault($"127.0.0.1:{a.Port}"), seen.GetValueOrDefault($"127.0.0.1:{b.Port}"));
    }

    static async Task<string> SignInAsync(Uri site, string path, object body)
    {
        using var client = new HttpClient { BaseAddress = site };
        var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("accessToken").GetString()!;
    }

    /// <summary>
    /// A POST as a careful client makes it: with an Idempotency-Key, sent again with the same key when
    /// the answer is lost (the instance died: 502, or the connection dropped). Null when not acknowledged.
    /// </summary>
    static async Task<JsonElement?> PostWithRetriesAsync(HttpClient client, string path, object body, Action retried)
    {
        var key = Guid.NewGuid().ToString("N");
        for (var attempt = 0; attempt < 6; attempt++)
        {
            if (attempt > 0)
            {
                retried();
                await Task.Delay(100 * attempt);
            }
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request);
            }
            catch (HttpRequestException)
            {
                continue;
            }
            if (response.IsSuccessStatusCode) return await response.Content.ReadFromJsonAsync<JsonElement>();
            if ((int)response.StatusCode >= 500) continue; // 502/504 from nginx: the instance died with the request
            return null; // a refusal (slot full…), or a key left "in progress" by the dead instance
        }
        return null;
    }

    static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>Debian's nginx in the foreground, in a folder of its own, with the site file shipped in deploy/.</summary>
    sealed class Nginx : IAsyncDisposable
    {
        readonly Process process;
        readonly string folder;

        Nginx(Process process, string folder)
        {
            this.process = process;
            this.folder = folder;
        }

        public static async Task<Nginx> StartAsync(string binary, string folder, int port, int[] upstreams)
        {
            var shipped = Path.Combine(OpenApiDocumentTests.RepositoryRoot(), "deploy", "nginx", "clickcollect-proxy.conf");
            var root = Environment.UserName == "root" ? "user root;\n" : "";
            var config = $$"""
                {{root}}worker_processes 1;
                pid {{folder}}/nginx.pid;
                error_log {{folder}}/error.log warn;
                events { worker_connections 512; }
                http {
                    access_log off;
                    client_body_temp_path {{folder}}/body;
                    proxy_temp_path {{folder}}/proxy;
                    fastcgi_temp_path {{folder}}/fastcgi;
                    uwsgi_temp_path {{folder}}/uwsgi;
                    scgi_temp_path {{folder}}/scgi;
                    upstream clickcollect {
                        {{string.Join("\n", upstreams.Select(p => $"server 127.0.0.1:{p} max_fails=1 fail_timeout=30s;"))}}
                        keepalive 16;
                    }
                    proxy_cache_path {{folder}}/cache levels=1:2 keys_zone=clickcollect_static:1m max_size=10m;
                    add_header X-Upstream $upstream_addr always;
                    server {
                        listen 127.0.0.1:{{port}};
                        include {{shipped}};
                    }
                }
                """;
            var file = Path.Combine(folder, "nginx.conf");
            await File.WriteAllTextAsync(file, config);
            var start = new ProcessStartInfo(binary, ["-p", folder + "/", "-c", file, "-e", Path.Combine(folder, "error.log"), "-g", "daemon off;"])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            var process = Process.Start(start)!;
            var nginx = new Nginx(process, folder);
            var waited = Stopwatch.StartNew();
            while (waited.Elapsed < TimeSpan.FromSeconds(10))
            {
                if (process.HasExited)
                    throw new InvalidOperationException($"nginx stopped: {await process.StandardError.ReadToEndAsync()} {ReadLog(folder)}");
                try
                {
                    using var tcp = new System.Net.Sockets.TcpClient();
                    await tcp.ConnectAsync(IPAddress.Loopback, port);
                    return nginx;
                }
                catch (System.Net.Sockets.SocketException)
                {
                    await Task.Delay(50);
                }
            }
            throw new TimeoutException($"nginx did not listen on {port}: {ReadLog(folder)}");
        }

        static string ReadLog(string folder) => File.Exists(Path.Combine(folder, "error.log")) ? File.ReadAllText(Path.Combine(folder, "error.log")) : "";

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
            try { Directory.Delete(folder, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
