using System.Data.Common;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Contract;
using ClickCollect.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace ClickCollect.Tests.Reliability;

/// <summary>Who calls: anonymous, a patron, another patron, and one member of each staff role, each with a client signed in for real.</summary>
public sealed record Identity(string Name, string? Role, HttpClient Client)
{
    public ClaimsPrincipal Principal => Role is null
        ? new ClaimsPrincipal(new ClaimsIdentity())
        : new CurrentUser(1, Role, Name, Role == Roles.Patron ? Name : null).ToPrincipal("Test", "policy-check");

    public static async Task<IReadOnlyList<Identity>> AllAsync(TestApp app) =>
    [
        new("anonymous", null, app.CreateClient()),
        new("P0001", Roles.Patron, await app.PatronClientAsync("P0001")),
        new("P0002", Roles.Patron, await app.PatronClientAsync("P0002")),
        new("counter", Roles.Counter, await app.StaffClientAsync("counter")),
        new("librarian", Roles.Librarian, await app.StaffClientAsync("librarian")),
        new("director", Roles.Director, await app.StaffClientAsync("director")),
    ];

    /// <summary>Whether the operation's declared policy admits this identity (the framework's own evaluation of the metadata).</summary>
    public async Task<bool> MayCallAsync(TestApp app, ApiOperation operation)
    {
        if (operation.AllowsAnonymous || operation.Policy is null) return true;
        if (Role is null) return false;
        var result = await app.Services.GetRequiredService<IAuthorizationService>().AuthorizeAsync(Principal, null, operation.Policy);
        return result.Succeeded;
    }
}

/// <summary>Figures printed at the end of <c>make test</c> (artifacts/reliability/*.txt).</summary>
public static class Figures
{
    public static void Write(string name, string text)
    {
        var folder = Path.Combine(OpenApiDocumentTests.RepositoryRoot(), "artifacts", "reliability");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, name + ".txt"), text.TrimEnd() + "\n");
    }
}

/// <summary>
/// A fingerprint of every row of every table, so a refused request can be shown to have written
/// nothing. Order-independent (a sum of row hashes). Bookkeeping that a refusal may legitimately
/// touch is left out: idempotency keys, sign-in throttling and sessions.
/// </summary>
public static class DataFingerprint
{
    static readonly string[] Ignored = ["schema_migrations", "idempotency_keys", "sign_in_attempts", "sign_in_failures", "data_protection_keys", "sessions", "webhook_messages"];

    public static async Task<ulong> TakeAsync(TestApp app)
    {
        var db = app.Services.GetRequiredService<Db>();
        await using var connection = await db.OpenAsync(CancellationToken.None);
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = db.Dialect.IsSqlite
                ? "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '%fts%'"
                : "select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        ulong sum = 0;
        foreach (var table in tables.Where(t => !Ignored.Contains(t)).Order(StringComparer.Ordinal))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"select * from {table}"; // table names come from the catalogue, not from input
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) sum = unchecked(sum + RowHash(table, reader));
        }
        return sum;
    }

    static ulong RowHash(string table, DbDataReader reader)
    {
        var row = new StringBuilder(table);
        for (var i = 0; i < reader.FieldCount; i++) row.Append('\u001F').Append(reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture));
        return BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(row.ToString())), 0);
    }
}

/// <summary>
/// Resources owned by patron P0001, so "another patron" can be pointed at them; and a staff account
/// none of the identities uses, for the routes that end its sessions (a password reset, a role change).
/// </summary>
public sealed record OwnedByFirstPatron(long HoldId, long? AppointmentId, long? SelectionRequestId, long StaffId)
{
    public static async Task<OwnedByFirstPatron> CreateAsync(TestApp app, HttpClient patron)
    {
        var titles = await patron.GetFromJsonAsync<JsonElement>("/api/titles?q=camus");
        var title = titles.GetProperty("items").EnumerateArray().First(t => t.GetProperty("availableCopies").GetInt32() > 0).GetProperty("id").GetInt64();
        var point = (await patron.GetFromJsonAsync<JsonElement[]>("/api/pickup-points"))![0].GetProperty("id").GetInt64();
        var hold = await (await patron.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = point })).Content.ReadFromJsonAsync<JsonElement>();
        var holdId = hold.GetProperty("id").GetInt64();

        long? appointmentId = null;
        var slots = await patron.GetFromJsonAsync<JsonElement[]>($"/api/pickup-points/{point}/slots");
        if (slots!.FirstOrDefault(s => s.GetProperty("remaining").GetInt32() > 0) is { ValueKind: JsonValueKind.Object } slot)
        {
            var booked = await patron.PostAsJsonAsync("/api/appointments", new { pickupPointId = point, slotStart = slot.GetProperty("start").GetString(), holdIds = new[] { holdId } });
            if (booked.IsSuccessStatusCode) appointmentId = (await booked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        }

        long? selectionId = null;
        var selection = await patron.PostAsJsonAsync("/api/selection-requests", new { pickupPointId = point, count = 3, audience = "adult" });
        if (selection.IsSuccessStatusCode) selectionId = (await selection.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var staffId = await app.Service<Db>().WriteAsync(uow => app.Service<Api.Features.Staff.StaffStore>().CreateAsync(uow, "reliability",
            "Compte de la suite", Roles.Counter, null, app.Service<PasswordHashing>().Hash(TestApp.DemoPassword), CancellationToken.None), CancellationToken.None);
        return new OwnedByFirstPatron(holdId, appointmentId, selectionId, staffId!.Value);
    }

    /// <summary>A route value: P0001's own resource where the path names one, else something that exists in the demo network.</summary>
    public string RouteValue(string path, string name) => name switch
    {
        "cardNumber" => "P0001",
        "date" => "2026-03-11",
        "closureId" or "entityId" => "1",
        _ when path.StartsWith("/api/staff/{", StringComparison.Ordinal) => StaffId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ when path.StartsWith("/api/holds/", StringComparison.Ordinal) => HoldId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ when path.StartsWith("/api/appointments/", StringComparison.Ordinal) => (AppointmentId ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ when path.StartsWith("/api/selection-requests/", StringComparison.Ordinal) => (SelectionRequestId ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "1",
    };

    /// <summary>True when the path names something of P0001's: another patron must never get a 2xx there.</summary>
    public static bool NamesOwnedResource(string path) =>
        path.StartsWith("/api/holds/{", StringComparison.Ordinal) || path.StartsWith("/api/appointments/{", StringComparison.Ordinal)
        || path.StartsWith("/api/selection-requests/{", StringComparison.Ordinal) || path.Contains("{cardNumber}", StringComparison.Ordinal);

    internal static void Authorize(HttpClient client, string token) => client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
}
