using System.Net;
using System.Net.Http.Json;
using ClickCollect.Api.Features.Loans;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using static ClickCollect.Tests.Support.Lending;

namespace ClickCollect.Tests.Features.Loans;

public sealed class OverdueReminderRulesTests
{
    [Theory]
    [InlineData("2026-03-12", null)]
    [InlineData("2026-03-13", 3)]
    [InlineData("2026-03-19", 3)]
    [InlineData("2026-03-20", 10)]
    [InlineData("2026-06-01", 21)]
    public void The_latest_offset_reached_is_the_one_owed(string today, int? offset) =>
        Assert.Equal(offset, OverdueReminders.OffsetReached(new DateOnly(2026, 3, 10), DateOnly.Parse(today), [3, 10, 21]));

    [Fact]
    public void A_reminder_fits_an_sms_and_names_the_due_date()
    {
        var text = OverdueReminders.Message("Les Misérables, tome premier : Fantine, suivi de Cosette", new DateOnly(2026, 3, 10), 3);
        Assert.Contains("10/03/2026", text);
        Assert.True(text.Length <= 160, text);
    }
}

public abstract class OverdueRemindersTests<TDb> where TDb : ITestDatabase, new()
{
    static DateTimeOffset Paris(int month, int day) => new DateTimeOffset(2026, month, day, 9, 0, 0, TimeSpan.FromHours(1)).ToUniversalTime();

    [Fact]
    public async Task Reminders_go_at_each_offset_once_never_while_suspended_and_not_for_returned_loans()
    {
        await using var app = await TestApp.StartAsync<TDb>(new() { ["OverdueReminders:OffsetsDays:0"] = "2", ["OverdueReminders:OffsetsDays:1"] = "7" });
        var central = await CopiesAsync(app, "CENTRALE", "CENTRALE");
        var quarter = await CopiesAsync(app, "PRES");
        await ImportAsync(app, $"P0010,{central[0]},2026-02-10,2026-03-10", $"P0011,{central[1]},2026-02-10,2026-03-10", $"P0012,{quarter[0]},2026-02-10,2026-03-10");
        var loans = new[] { ("P0010", central[0]), ("P0011", central[1]), ("P0012", quarter[0]) };
        var ids = new List<long>();
        foreach (var (card, barcode) in loans) ids.Add((await LoanAsync(app, card, barcode)).GetProperty("id").GetInt64());
        var worker = app.Worker<OverdueReminderWorker>();

        // Returned on its due date: no reminder. The quarter library suspends reminders from the 14th.
        await Library.ReadAsync(await (await CounterAsync(app)).PostAsJsonAsync("/api/loans/returns", new { barcode = central[1] }), HttpStatusCode.OK);
        await DeclareAsync(app, new { branchIds = new[] { await BranchIdAsync(app, "PRES") }, startsOn = "2026-03-14", endsOn = "2026-03-18", suspendFines = false, suspendReminders = true });

        app.Clock.SetUtcNow(Paris(3, 12));
        await worker.QueueAsync(default);
        Assert.Equal([$"overdue:{ids[0]}:2:2026-03-10", $"overdue:{ids[2]}:2:2026-03-10"], await KeysAsync(app));

        app.Clock.SetUtcNow(Paris(3, 17));
        await worker.QueueAsync(default);
        await worker.QueueAsync(default);
        Assert.Equal([$"overdue:{ids[0]}:2:2026-03-10", $"overdue:{ids[2]}:2:2026-03-10", $"overdue:{ids[0]}:7:2026-03-10"], await KeysAsync(app));

        app.Clock.SetUtcNow(Paris(3, 19)); // the quarter library's suspension is over: its 7-day reminder goes now
        await worker.QueueAsync(default);
        Assert.Contains($"overdue:{ids[2]}:7:2026-03-10", await KeysAsync(app));
        Assert.Equal(4, (await KeysAsync(app)).Length);
    }

    static async Task<string[]> KeysAsync(TestApp app)
    {
        await using var c = await app.Service<Db>().OpenAsync(default);
        return (await c.QueryAsync<string>("select dedupe_key from sms_outbox where kind = 'overdue' order by id")).ToArray();
    }
}

public sealed class OverdueRemindersTests_Sqlite : OverdueRemindersTests<SqliteTestDatabase>;
public sealed class OverdueRemindersTests_Postgres : OverdueRemindersTests<PostgresTestDatabase>;
