using System.Net;
using System.Net.Http.Json;
using ClickCollect.Api.Features.Notifications;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Features.Lockdowns;

public abstract class LockdownSmsSuspensionTests<TDb> where TDb : ITestDatabase, new()
{
    [Fact]
    public async Task An_overdue_reminder_already_queued_is_held_back_while_a_lockdown_suspends_reminders()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var suspension = app.Service<ISmsSuspension>();
        var reminder = new SmsSuspensionQuery(1, 1, 1, SmsKinds.OverdueReminder);
        Assert.Null(await suspension.ReasonAsync(reminder, app.Clock.GetUtcNow(), default));

        var director = await app.StaffClientAsync("director");
        await ReadAsync(await director.PostAsJsonAsync("/api/lockdowns", new { startsOn = "2026-03-09", suspendFines = true, suspendReminders = true }), HttpStatusCode.Created);

        Assert.NotNull(await suspension.ReasonAsync(reminder, app.Clock.GetUtcNow(), default));
        Assert.Null(await suspension.ReasonAsync(reminder with { Kind = SmsKinds.CopyNotFound }, app.Clock.GetUtcNow(), default));
    }
}

public sealed class LockdownSmsSuspensionTests_Sqlite : LockdownSmsSuspensionTests<SqliteTestDatabase>;
public sealed class LockdownSmsSuspensionTests_Postgres : LockdownSmsSuspensionTests<PostgresTestDatabase>;
