namespace ClickCollect.Tests.Support.Databases;

/// <summary>A provider the integration tests run against; each app gets a database of its own.</summary>
public interface ITestDatabase
{
    string Provider { get; }

    /// <summary>A fresh database, migrated and holding the demo data, for one app.</summary>
    Task<string> CreateSeededAsync();

    /// <summary>A fresh, empty database (no tables).</summary>
    Task<string> CreateEmptyAsync();
}
