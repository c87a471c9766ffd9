using System.Text.RegularExpressions;
using ClickCollect.Api.Features.Appointments;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using Npgsql;

namespace ClickCollect.Tests.Performance;

/// <summary>
/// PostgreSQL: the booking's checks run on connections that plan generically (Db.WriteBookingAsync), so a statement's plan is
/// chosen once, without the values. These pin the choice where an index reads far more rows than another one would (#17):
/// not a full scan, so QueryPlanTests does not see it.
/// </summary>
public sealed partial class PostgresPlanTests
{
    /// <summary>The generic plan of <paramref name="sql"/> on a library where one patron has 300 open appointments.</summary>
    static async Task<string> GenericPlanAsync(string sql)
    {
        await using var c = new NpgsqlConnection(await new PostgresTestDatabase().CreateSeededAsync());
        await c.OpenAsync();
        await c.ExecuteAsync("""
            insert into appointments (patron_id, pickup_point_id, slot_start, slot_end, status, channel, created_at, updated_at)
            select (select min(id) from patrons), (select min(id) from pickup_points), s, s + interval '15 minutes', 'booked', 'web', now(), now()
            from generate_series(timestamptz '2026-03-02 09:00+00', timestamptz '2026-03-02 09:00+00' + interval '299 hours', interval '1 hour') as s;
            insert into appointments (patron_id, pickup_point_id, slot_start, slot_end, status, channel, created_at, updated_at)
            select p.id, (select min(id) from pickup_points), timestamptz '2026-03-02 09:00+00', timestamptz '2026-03-02 09:15+00', 'booked', 'web', now(), now()
            from patrons p where p.id > (select min(id) from patrons);
            analyze appointments;
            set plan_cache_mode = force_generic_plan;
            """);
        var names = Parameter().Matches(sql).Select(m => m.Groups[1].Value).Distinct().ToList();
        await c.ExecuteAsync("prepare checked as " + Parameter().Replace(sql, m => "$" + (names.IndexOf(m.Groups[1].Value) + 1)));
        return string.Join("\n", await c.QueryAsync<string>($"explain execute checked({string.Join(", ", names.Select(_ => "null"))})"));
    }

    [GeneratedRegex(@"@(\w+)")]
    private static partial Regex Parameter();

    [Fact] // #17: appointments_patron (patron_id, status) read every open appointment of the patron (108 in make bench) at every booking
    public async Task A_booking_looks_for_the_patron_s_appointment_in_the_slot_by_the_patron_and_the_slot()
    {
        var plan = await GenericPlanAsync(AppointmentStore.SameSlotSql);
        Assert.Contains("appointments_patron_slot", plan);
        Assert.Matches(@"Index Cond: \(\(patron_id = \$\d\) AND \(slot_start = \$\d\)\)", plan);
    }

    [Fact] // #17: the same, for the patron's appointments that day
    public async Task A_booking_counts_the_patron_s_appointments_that_day_by_the_patron_and_the_day()
    {
        var plan = await GenericPlanAsync(AppointmentStore.SameDaySql);
        Assert.Contains("appointments_patron_slot", plan);
        Assert.Matches(@"Index Cond: \(\(patron_id = \$\d\) AND \(slot_start >= \$\d\) AND \(slot_start < \$\d\)\)", plan);
    }
}
