using System.Text.Json;

namespace ClickCollect.Tests.Infrastructure;

/// <summary>
/// #17: the runtime settings the app's csproj gives (RuntimeHostConfigurationOption), as the published app's
/// runtimeconfig.json carries them to the runtime: a setting renamed or dropped from the csproj fails here, not in make bench.
/// </summary>
public sealed class RuntimeSettingsTests
{
    [Fact]
    public void The_app_runtimeconfig_caps_the_gen0_budget_turns_dynamic_pgo_off_and_keeps_idle_workers_from_spinning()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ClickCollect.Api.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.True(properties.GetProperty("System.GC.Server").GetBoolean());
        // 8 MB a heap: resident memory at 256 connections (the GC's own default lets it grow to 200 MB a heap).
        Assert.Equal(8 << 20, properties.GetProperty("System.GC.Gen0MaxBudget").GetInt64());
        // No instrumented third copy of every hot method: JIT-compiled code and data at the peak (#17 item 4).
        Assert.False(properties.GetProperty("System.Runtime.TieredPGO").GetBoolean());
        Assert.Equal(0, properties.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
    }

    [Fact]
    public void The_app_runtimeconfig_recompiles_a_method_optimised_only_after_4096_calls()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ClickCollect.Api.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        // Not 30, the runtime's default: a second, optimised copy only of what runs often (#17 item 4, the csproj says why).
        Assert.Equal(4096, properties.GetProperty("System.Runtime.TieredCompilation.CallCountThreshold").GetInt32());
    }
}
