using System.Reflection;
using System.Runtime.CompilerServices;
using ClickCollect.Api.Features.Slots;
using ClickCollect.Api.Infrastructure.Database;

namespace ClickCollect.Tests.Infrastructure.Database;

/// <summary>
/// #17: on SQLite, Npgsql stays unloaded (it was 1.4 MB resident at the 256-connection booking peak). The runtime loads
/// an assembly when it compiles a method whose locals are of its types, or loads an async method's state machine whose
/// fields are, so the methods every SQLite start runs must have neither. Checked on the methods themselves, not on
/// AppDomain.GetAssemblies(): the test runner shares its AppDomain with the in-process app and loads Npgsql for the
/// PostgreSQL tests anyway. (Measured on the published app with a startup hook logging each assembly load: these two
/// methods were the only ones that loaded Npgsql on SQLite.)
/// </summary>
public sealed class NpgsqlOnSqliteTests
{
    static readonly Assembly Npgsql = typeof(Npgsql.NpgsqlConnection).Assembly;

    [Fact]
    public void Db_create_has_no_npgsql_local() =>
        Assert.DoesNotContain(Locals(typeof(Db).GetMethod(nameof(Db.Create))!), t => t.Assembly == Npgsql);

    /// <summary>Every background service runs on SQLite too (the PostgreSQL listeners return at once there).</summary>
    [Fact]
    public void No_background_service_started_on_sqlite_holds_an_npgsql_type()
    {
        var services = typeof(Db).Assembly.GetTypes().Where(t => !t.IsAbstract && t.IsSubclassOf(typeof(Microsoft.Extensions.Hosting.BackgroundService))).ToList();
        Assert.Contains(typeof(SlotPlacesListener), services);
        foreach (var service in services)
        {
            var execute = service.GetMethod("ExecuteAsync", BindingFlags.Instance | BindingFlags.NonPublic)!;
            Assert.DoesNotContain(Locals(execute), t => t.Assembly == Npgsql);
            var stateMachine = execute.GetCustomAttribute<AsyncStateMachineAttribute>()?.StateMachineType;
            Assert.False((stateMachine?.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic) ?? []).Any(f => f.FieldType.Assembly == Npgsql),
                $"{service.Name}.ExecuteAsync keeps an Npgsql type in its state machine");
        }
    }

    static IEnumerable<Type> Locals(MethodInfo method) => method.GetMethodBody()!.LocalVariables.Select(v => v.LocalType);
}
