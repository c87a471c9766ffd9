using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace ClickCollect.Tests.Support;

/// <summary>
/// xunit's own framework, except that on a developer machine without PostgreSQL's server binaries the
/// PostgreSQL tests (classes named <c>…_Postgres</c>), and without Debian's chromium and chromedriver the
/// browser tests, are reported as skipped with the reason, so `make test`'s closing line counts them. With
/// CI=true nothing is skipped: they run, and fail, because CI must cover both engines and the pages (#15 item 10).
/// Registered per test assembly (AssemblyInfo.cs).
/// </summary>
public sealed class LocalTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    /// <summary>Why a test cannot run here, or null. Null whenever CI=true.</summary>
    internal static string? MissingFor(ITestMethod method)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) return null;
        if (method.TestClass.Class.Name.EndsWith("_Postgres", StringComparison.Ordinal) && Databases.PostgresServer.FindBinaries() is null)
            return "PostgreSQL server binaries not found (PG_BIN, else /usr/lib/postgresql/*/bin: apt-get install postgresql; with CI=true this fails)";
        if (method.TestClass.TestCollection.TestAssembly.Assembly.Name.StartsWith("ClickCollect.BrowserTests", StringComparison.Ordinal)
            && !(File.Exists("/usr/bin/chromium") && File.Exists("/usr/bin/chromedriver")))
            return "/usr/bin/chromium or /usr/bin/chromedriver not found (apt-get install chromium chromium-driver; with CI=true this fails)";
        return null;
    }

    sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformation, IMessageSink diagnostics)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformation, diagnostics)
    {
        protected override void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions) =>
            base.RunTestCases(testCases.Select(t => t.SkipReason is null && MissingFor(t.TestMethod) is { } reason
                ? new SkippedTestCase(DiagnosticMessageSink, t, reason) : t), executionMessageSink, executionOptions);
    }

    /// <summary>The test case as discovered, run as skipped with the reason.</summary>
    public sealed class SkippedTestCase : XunitTestCase
    {
        string reason = "";

        [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
        public SkippedTestCase() { }

        public SkippedTestCase(IMessageSink diagnostics, IXunitTestCase discovered, string reason)
            : base(diagnostics, TestMethodDisplay.ClassAndMethod, TestMethodDisplayOptions.None, discovered.TestMethod, discovered.TestMethodArguments) =>
            this.reason = reason;

        protected override string GetSkipReason(IAttributeInfo factAttribute) => reason;

        public override void Serialize(IXunitSerializationInfo data)
        {
            data.AddValue("SkipBecause", reason);
            base.Serialize(data);
        }

        public override void Deserialize(IXunitSerializationInfo data)
        {
            reason = data.GetValue<string>("SkipBecause");
            base.Deserialize(data);
        }
    }
}
