using System.Diagnostics;
using ClickCollect.Api;
using ClickCollect.Api.Features.Appointments;
using ClickCollect.Api.Features.Holds;
using ClickCollect.Api.Features.Slots;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClickCollect.Benchmarks;

/// <summary>
/// The cost of a booking on SQLite (synchronous=FULL, one writer), as a ratio to a bare conditional
/// insert measured in the same run on the same database: the app's own composition (AddClickCollect)
/// on a temporary file seeded with the demo data; AppointmentStore.BookAsync exactly as the endpoint
/// calls it (patron and slot locks, hold checks, capacity count, links, outbox message).
/// </summary>
internal static class BookingBench
{
    const int Parallel = 16;

    public static async Task RunAsync(int bookings)
    {
        var folder = Directory.CreateTempSubdirectory("clickcollect-bench-").FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration["ConnectionStrings:ClickCollect"] = $"Data Source={folder}/bench.db";
        builder.Configuration["Demo:Seed"] = "true";
        builder.Configuration["Demo:History"] = "false";
        builder.Configuration["DataProtection:KeysDirectory"] = Path.Combine(folder, "keys");
        builder.Logging.ClearProviders();
        builder.AddClickCollect();
        await using var app = builder.Build();
        await app.PrepareDatabaseAsync();
        var db = app.Services.GetRequiredService<Db>();
        var holds = app.Services.GetRequiredService<HoldStore>();
        var appointments = app.Services.GetRequiredService<AppointmentStore>();
        var now = DateTimeOffset.UtcNow;

        // One allocated hold per booking: demo patrons, titles with a copy on the central library's shelves.
        long point, branch;
        List<long> patrons, titles;
        await using (var c = await db.OpenAsync(default))
        {
            point = await c.ExecuteScalarAsync<long>("select id from pickup_points where name = 'Médiathèque centrale – Adultes'");
            branch = await c.ExecuteScalarAsync<long>("select branch_id from pickup_point_branches where pickup_point_id = @point", new { point });
            patrons = (await c.QueryAsync<long>("select id from patrons order by id")).AsList();
            titles = (await c.QueryAsync<long>("""
                select distinct t.id from titles t join copies c on c.title_id = t.id
                where c.status = 'onShelf' and c.branch_id = @branch order by t.id
                """, new { branch })).AsList();
            await c.ExecuteAsync("create table bench_baseline (n integer not null, slot integer not null)");
        }
        var count = Math.Min(bookings, titles.Count) / 2 * 2;
        var ready = new List<(long Patron, long Hold)>();
        for (var i = 0; i < count; i++)
        {
            var patron = patrons[i % patrons.Count];
            var outcome = await db.WriteAsync(uow => holds.PlaceAsync(uow, new NewHold(patron, titles[i], null, point, HoldChannel.Web, null, now), 100_000, default), default);
            if (outcome is PlaceHoldOutcome.Placed placed) ready.Add((patron, placed.HoldId));
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        var date = DateOnly.FromDateTime(now.UtcDateTime).AddDays(1);
        var day = (SlotCalculator.ToUtc(date.ToDateTime(TimeOnly.MinValue), zone), SlotCalculator.ToUtc(date.AddDays(1).ToDateTime(TimeOnly.MinValue), zone));
        Slot SlotOf(int i)
        {
            var start = SlotCalculator.ToUtc(date.ToDateTime(new TimeOnly(10, 0)), zone).AddMinutes(15 * (i % 20));
            return new Slot(start, start.AddMinutes(15), 1_000, null);
        }

        Task Baseline(int i) => db.WriteAsync(uow => uow.ExecuteAsync("""
            insert into bench_baseline (n, slot) select @i, @slot
            where (select count(*) from bench_baseline where slot = @slot) < @capacity
            """, new { i, slot = i % 20, capacity = 1_000 }, default), default);
        Task Booking(int i) => db.WriteAsync(uow => appointments.BookAsync(uow,
            new NewAppointment(ready[i].Patron, point, SlotOf(i), date, [ready[i].Hold], HoldChannel.Web, now), 1_000, 1_000, day, default), default);

        var half = ready.Count / 2;
        var (b50, b99) = await SequentialAsync(Baseline, 0, half);
        var (k50, k99) = await SequentialAsync(Booking, 0, half);
        var baselineRate = await ParallelAsync(Baseline, half, ready.Count);
        var bookingRate = await ParallelAsync(Booking, half, ready.Count);

        long booked;
        await using (var c = await db.OpenAsync(default))
            booked = await c.ExecuteScalarAsync<long>("select count(*) from appointments where status = 'booked'");
        Console.WriteLine();
        Console.WriteLine($"Bookings on SQLite (synchronous=FULL, one writer), {half} one at a time then {ready.Count - half} from {Parallel} tasks at once; "
            + $"{booked} appointments written:");
        Console.WriteLine();
        Console.WriteLine("| measured                                    | p50 ms | p99 ms | per second, 16 at once |");
        Console.WriteLine("|---------------------------------------------|-------:|-------:|-----------------------:|");
        Console.WriteLine($"| bare conditional insert (baseline)          | {b50,6:F2} | {b99,6:F2} | {baselineRate,22:F0} |");
        Console.WriteLine($"| booking (AppointmentStore.BookAsync)        | {k50,6:F2} | {k99,6:F2} | {bookingRate,22:F0} |");
        Console.WriteLine($"| booking / baseline                          | {k50 / b50,5:F2}× | {k99 / b99,5:F2}× | {bookingRate / baselineRate,21:F2}× |");
        Directory.Delete(folder, recursive: true);
    }

    static async Task<(double P50, double P99)> SequentialAsync(Func<int, Task> operation, int from, int to)
    {
        var times = new List<double>();
        for (var i = from; i < to; i++)
        {
            var watch = Stopwatch.StartNew();
            await operation(i);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        var sorted = times.Order().ToList();
        double At(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
        return (At(0.50), At(0.99));
    }

    static async Task<double> ParallelAsync(Func<int, Task> operation, int from, int to)
    {
        var next = from - 1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Parallel).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < to; i = Interlocked.Increment(ref next)) await operation(i);
        })));
        return (to - from) / watch.Elapsed.TotalSeconds;
    }
}
