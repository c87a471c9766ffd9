using ClickCollect.Api.Features.Appointments;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using Microsoft.Data.Sqlite;

namespace ClickCollect.Tests.Performance;

/// <summary>
/// SQLite plans a statement without statistics (nothing runs ANALYZE), so an index is chosen by how many of its columns
/// the WHERE pins, not by how many rows it reads. These pin the choice for the hot statements where that rule picks
/// an index that reads far more rows than another one would (#17): not a full scan, so QueryPlanTests does not see it.
/// </summary>
public sealed class SqlitePlanTests
{
    static async Task<string> PlanAsync(string sql)
    {
        await using var c = new SqliteConnection(await new SqliteTestDatabase().CreateSeededAsync());
        await c.OpenAsync();
        var plan = await c.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>("explain query plan " + sql);
        return string.Join("\n", plan.Select(r => r.Detail));
    }

    [Fact] // #17: the slot's index read every appointment of the slot (250 in make bench) in the writer's turn of each booking
    public async Task A_booking_looks_for_the_patron_s_appointment_in_the_slot_among_the_patron_s_appointments()
    {
        var plan = await PlanAsync(AppointmentStore.SameSlotSql);
        Assert.Contains("USING INDEX appointments_patron", plan);
    }
}
