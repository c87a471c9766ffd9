using ClickCollect.Api.Infrastructure.Database;
using Npgsql;

namespace ClickCollect.Tests.Infrastructure.Database;

/// <summary>#17 item 2: on PostgreSQL, statements run twice on a connection are prepared once and their plan reused.</summary>
public sealed class PostgresSettingsTests
{
    [Fact]
    public void The_app_turns_on_npgsql_auto_prepare_unless_the_connection_string_sets_it()
    {
        var plain = new NpgsqlConnectionStringBuilder(Db.WithAutoPrepare("Host=127.0.0.1;Username=app;Database=clickcollect"));
        Assert.Equal((100, 2), (plain.MaxAutoPrepare, plain.AutoPrepareMinUsages));
        var chosen = new NpgsqlConnectionStringBuilder(Db.WithAutoPrepare("Host=127.0.0.1;Max Auto Prepare=20;Auto Prepare Min Usages=3"));
        Assert.Equal((20, 3), (chosen.MaxAutoPrepare, chosen.AutoPrepareMinUsages));
    }

    [Fact]
    public void Pooled_connections_are_not_reset_on_return_unless_the_connection_string_asks_for_it()
    {
        Assert.True(new NpgsqlConnectionStringBuilder(Db.WithAutoPrepare("Host=127.0.0.1;Username=app")).NoResetOnClose);
        Assert.False(new NpgsqlConnectionStringBuilder(Db.WithAutoPrepare("Host=127.0.0.1;No Reset On Close=false")).NoResetOnClose);
    }
}
