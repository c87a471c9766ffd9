using System.Text.RegularExpressions;
using ClickCollect.Api.Features.Appointments;
using ClickCollect.Api.Features.Holds;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Contract;

namespace ClickCollect.Tests.Features.Holds;

/// <summary>#15: the hold and appointment states each rule depends on are defined once (HoldStatuses, AppointmentStatuses).</summary>
public sealed partial class StatusDefinitionTests
{
    [Fact]
    public void The_sql_lists_and_the_enum_arrays_are_the_same_sets()
    {
        Assert.Equal([HoldStatus.Queued, HoldStatus.ToPick, HoldStatus.InTransit, HoldStatus.Ready], HoldStatuses.Active);
        Assert.Equal([HoldStatus.ToPick, HoldStatus.InTransit, HoldStatus.Ready], HoldStatuses.Allocated);
        Assert.Equal([HoldStatus.ToPick, HoldStatus.InTransit], HoldStatuses.Preparing);
        Assert.Equal([HoldStatus.Collected, HoldStatus.Expired, HoldStatus.Cancelled], HoldStatuses.Finished);
        Assert.Equal(Enum.GetValues<HoldStatus>().Order(), HoldStatuses.Active.Concat(HoldStatuses.Finished).Order()); // complements
        Assert.Equal([AppointmentStatus.Booked, AppointmentStatus.Arrived], AppointmentStatuses.Open);
        Assert.Equal([AppointmentStatus.Completed, AppointmentStatus.NoShow, AppointmentStatus.Cancelled], AppointmentStatuses.Closed);
        Assert.Equal(Enum.GetValues<AppointmentStatus>().Order(), AppointmentStatuses.Open.Concat(AppointmentStatuses.Closed).Order());
        Assert.Equal([AppointmentStatus.Booked, AppointmentStatus.Arrived, AppointmentStatus.Completed, AppointmentStatus.NoShow], AppointmentStatuses.TakingPlace);
        Assert.Throws<ArgumentException>(() => StatusList.Parse<HoldStatus>("('queued', 'picked')"));
    }

    [Fact]
    public void The_one_copy_one_hold_index_uses_the_allocated_states()
    {
        foreach (var dialect in new[] { SqlDialect.Sqlite, SqlDialect.Postgres })
        {
            var reservations = Migrator.Load(dialect).Single(m => m.Name == "reservations").Sql;
            Assert.Contains($"holds_one_active_per_copy on holds (copy_id) where status in {HoldStatuses.AllocatedSql}", reservations);
        }
    }

    [Fact]
    public void No_store_writes_a_state_list_of_its_own()
    {
        var src = Path.Combine(OpenApiDocumentTests.RepositoryRoot(), "src", "ClickCollect.Api", "Features");
        var copies = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith("Statuses.cs", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(l => HoldOrAppointmentList().IsMatch(l.line))
            .Select(l => $"{Path.GetFileName(l.f)}:{l.i + 1}: {l.line.Trim()}")
            .ToList();
        Assert.Empty(copies);
    }

    // Two or more quoted hold or appointment states in a row: ('booked', 'arrived'), ('toPick', 'inTransit')…
    [GeneratedRegex("'(queued|toPick|inTransit|ready|collected|expired|booked|arrived|completed|noShow)'\\s*,\\s*'(toPick|inTransit|ready|collected|expired|cancelled|arrived|completed|noShow)'")]
    private static partial Regex HoldOrAppointmentList();
}
