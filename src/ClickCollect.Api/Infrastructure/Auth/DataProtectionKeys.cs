using System.Xml.Linq;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace ClickCollect.Api.Infrastructure.Auth;

/// <summary>
/// The data-protection key ring in the database (#18 item 1): bearer tokens and page cookies are
/// protected with these keys, so every instance on the same database reads what any other issued.
/// A folder of keys per machine made a token from one instance fail on the next.
/// </summary>
/// <remarks>
/// <see cref="IXmlRepository"/> is synchronous; ASP.NET Core calls it rarely (key ring loads, a new key
/// every 90 days) and never inside one of our units of work, so blocking on the async store is safe here.
/// </remarks>
internal sealed class DataProtectionKeyStore(Db db, TimeProvider clock) : IXmlRepository
{
    const string AllSql = "select xml from data_protection_keys order by created_at, friendly_name";

    // A key is written once under its own name (key-{guid}); a second write of the same name replaces it.
    const string StoreSql = """
        insert into data_protection_keys (friendly_name, xml, created_at) values (@Name, @Xml, @Now)
        on conflict (friendly_name) do update set xml = excluded.xml
        """;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = db.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        return connection.Query<string>(AllSql).Select(x => XElement.Parse(x)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName) =>
        db.WriteAsync(uow => uow.ExecuteAsync(StoreSql, new
        {
            Name = friendlyName,
            Xml = element.ToString(SaveOptions.DisableFormatting),
            Now = clock.GetUtcNow(),
        }, CancellationToken.None), CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// Makes sure the key ring holds a key before the instance serves. Instances starting together on an
    /// empty key ring would each create one, and for a while not know the others' (dotnet/aspnetcore#52678);
    /// under the lock the first creates it and the others load it.
    /// </summary>
    public static async Task EnsureKeyAsync(IServiceProvider services, CancellationToken ct)
    {
        var protector = services.GetRequiredService<IDataProtectionProvider>().CreateProtector("ClickCollect.KeyRing");
        var db = services.GetRequiredService<Db>();
        // SQLite serves one instance, and its unit of work holds the app's only writer, which StoreElement needs.
        if (db.Dialect.IsSqlite)
        {
            protector.Protect([1]);
            return;
        }
        await using var uow = await db.WriteAsync(ct);
        await uow.LockAsync(LockKeys.DataProtectionKeys, ct);
        protector.Protect([1]);
        await uow.CommitAsync(ct);
    }
}
