using System.Diagnostics;
using ClickCollect.Api;
using ClickCollect.Api.Features.Figures;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClickCollect.Benchmarks;

/// <summary>
/// The director's figures over a year of a large network's activity (issue 11): 100,000 appointments and
/// as many holds spread over 365 days and the demo's pickup points, on SQLite. The whole figures query
/// (FiguresStore.LoadAsync + FiguresCalculator.Compute, network-wide) against a bare grouped count of
/// the same appointments, both timed in the same run on the same database.
/// </summary>
internal static class FiguresBench
{
    public static async Task RunAsync(int appointments, int runs = 7)
    {
        var folder = Directory.CreateTempSubdirectory("clickcollect-figures-").FullName;
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
        var store = app.Services.GetRequiredService<FiguresStore>();

        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        var to = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        var from = to.AddDays(-364);
        var fill = Stopwatch.StartNew();
        await using (var uow = await db.WriteAsync(default))
        {
            var points = (await uow.QueryAsync<long>("select id from pickup_points order by id", null, default)).ToList();
            var patrons = (await uow.QueryAsync<long>("select id from patrons order by id", null, default)).ToList();
            var titles = (await uow.QueryAsync<long>("select id from titles order by id limit 500", null, default)).ToList();
            var random = new Random(11);
            string[] statuses = ["completed", "completed", "completed", "completed", "completed", "noShow", "noShow", "cancelled"];
            string[] channels = ["web", "web", "web", "phone", "sms", "selection"];
            for (var i = 0; i < appointments; i++)
            {
                var day = from.AddDays(random.Next(365));
                var start = new DateTimeOffset(day.ToDateTime(new TimeOnly(8 + random.Next(9), 15 * random.Next(4))), TimeSpan.Zero);
                var status = statuses[random.Next(statuses.Length)];
                var args = new
                {
                    Patron = patrons[random.Next(patrons.Count)], Point = points[random.Next(points.Count)], Start = start, End = start.AddMinutes(15),
                    Status = status, Channel = channels[random.Next(channels.Length)], Created = start.AddDays(-2),
                    Arrived = status == "completed" ? start.AddMinutes(random.Next(10)) : (DateTimeOffset?)null,
                    Closed = start.AddMinutes(20), Title = titles[random.Next(titles.Count)],
                };
                await uow.ExecuteAsync("""
                    insert into appointments (patron_id, pickup_point_id, slot_start, slot_end, status, channel, created_at, arrived_at, closed_at, updated_at)
                    values (@Patron, @Point, @Start, @End, @Status, case when @Channel = 'selection' then 'web' else @Channel end, @Created, @Arrived, @Closed, @Closed)
                    """, args, default);
                await uow.ExecuteAsync("""
                    insert into holds (patron_id, title_id, pickup_point_id, status, channel, created_at, closed_at, updated_at)
                    values (@Patron, @Title, @Point, 'collected', @Channel, @Created, @Closed, @Closed)
                    """, args, default);
            }
            await uow.CommitAsync(default);
        }
        await using (var c = await db.OpenAsync(default)) await c.ExecuteAsync(new CommandDefinition("analyze", commandType: System.Data.CommandType.Text));
        var filled = fill.Elapsed;

        var start0 = SlotStart(from, zone);
        var end0 = SlotStart(to.AddDays(1), zone);
        async Task Baseline()
        {
            await using var c = await db.OpenAsync(default);
            _ = (await c.QueryAsync<(string, long)>(
                "select status, count(*) from appointments where slot_start >= @start0 and slot_start < @end0 group by status", new { start0, end0 })).AsList();
        }
        FiguresResponse? last = null;
        async Task Figures() => last = FiguresCalculator.Compute(await store.LoadAsync(zone, from, to, null, default), from, to, null);

        await Baseline();
        await Figures(); // warm both
        var baseline = await MedianAsync(Baseline, runs);
        var figures = await MedianAsync(Figures, runs);

        Console.WriteLine();
        Console.WriteLine($"Figures over a year on SQLite: {appointments:N0} appointments and {appointments:N0} holds over 365 days at "
            + $"{last!.StopDemand.Count + 3} pickup points (written in {filled.TotalSeconds:F1} s); median of {runs} runs:");
        Console.WriteLine();
        Console.WriteLine("| measured                                                  | median ms |");
        Console.WriteLine("|-----------------------------------------------------------|----------:|");
        Console.WriteLine($"| bare grouped count of the year's appointments (baseline)  | {baseline,9:F1} |");
        Console.WriteLine($"| GET /api/figures for the year, network-wide (store + calc) | {figures,9:F1} |");
        Console.WriteLine($"| figures / baseline                                        | {figures / baseline,8:F1}× |");
        Console.WriteLine($"(checked: {last.Appointments.Booked:N0} appointments counted, no-show rate {last.Appointments.NoShowRate:P1})");
        Directory.Delete(folder, recursive: true);
    }

    static DateTimeOffset SlotStart(DateOnly date, TimeZoneInfo zone) =>
        ClickCollect.Api.Features.Slots.SlotCalculator.ToUtc(date.ToDateTime(TimeOnly.MinValue), zone);

    static async Task<double> MedianAsync(Func<Task> operation, int runs)
    {
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await operation();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        return times.Order().ElementAt(runs / 2);
    }
}
