using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClickCollect.Api.Features.Patrons.Import;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Features.Patrons;

/// <summary>Patrons from the library system: CSV import, full exports, first PIN with a one-time code (issue 12, item 5).</summary>
public abstract class PatronImportTests<TDb> where TDb : ITestDatabase, new()
{
    const string Header = "cardNumber,firstName,lastName,phone,email,homeBranchCode,expiresOn,blocked";

    static Task<HttpResponseMessage> ImportAsync(HttpClient director, string csv, bool full = false) =>
        director.PostAsync($"/api/patrons/import{(full ? "?full=true" : "")}", new StringContent(csv, Encoding.UTF8, "text/csv"));

    static Task<HttpResponseMessage> SignInAsync(TestApp app, string card, string pin) =>
        app.CreateClient().PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = card, pin });

    static (int, int, int, int, int, int) Counts(JsonElement r) => (r.GetProperty("read").GetInt32(), r.GetProperty("created").GetInt32(),
        r.GetProperty("updated").GetInt32(), r.GetProperty("unchanged").GetInt32(), r.GetProperty("deactivated").GetInt32(), r.GetProperty("reactivated").GetInt32());

    [Fact]
    public async Task An_import_creates_and_updates_patrons_and_the_same_file_again_changes_nothing()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var director = await app.StaffClientAsync("director");
        var csv = $"""
            {Header}
            29000100,Zoé,Lefèvre,06 12 34 56 78,zoe@example.org,centrale,2027-06-30,false
            P0001,Camille,Durand-Import,,,,,true
            """;

        var report = await ReadAsync(await ImportAsync(director, csv), HttpStatusCode.OK);
        Assert.Equal((2, 1, 1, 0, 0, 0), Counts(report));
        var again = await ReadAsync(await ImportAsync(director, csv), HttpStatusCode.OK);
        Assert.Equal((2, 0, 0, 2, 0, 0), Counts(again));

        var zoe = await director.GetFromJsonAsync<JsonElement>("/api/patrons/29000100");
        Assert.Equal(("Zoé", "Lefèvre", "+33612345678", "zoe@example.org"), (zoe.GetProperty("firstName").GetString(), zoe.GetProperty("lastName").GetString(),
            zoe.GetProperty("phone").GetString(), zoe.GetProperty("email").GetString()));
        var p1 = await director.GetFromJsonAsync<JsonElement>("/api/patrons/P0001");
        Assert.Equal("Durand-Import", p1.GetProperty("lastName").GetString());
        Assert.Equal(PatronImport.BlockedByLibrarySystem, p1.GetProperty("blockedReason").GetString());
        await using var c = await app.Service<Db>().OpenAsync(default);
        Assert.Equal("2027-06-30", (await c.QuerySingleAsync<DateOnly>("select expires_on from patrons where card_number = '29000100'")).ToString("yyyy-MM-dd"));
    }

    [Fact]
    public async Task A_bad_line_refuses_the_whole_file_with_each_line_and_reason()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var director = await app.StaffClientAsync("director");
        var csv = $"""
            {Header}
            29000200,Léa,Martin,,,CENTRALE,,
            29000201,Hugo,Petit,,,NULLEPART,,
            29000202,Inès,Roux,,,,2027-13-01,peut-être
            29000203,Jean,Morel,pas un numéro,,,,
            29000200,Léa,Martin,,,,,
            """;

        var problem = await ProblemAssert.IsProblemAsync(await ImportAsync(director, csv), HttpStatusCode.UnprocessableEntity, "import_rejected");
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("rows[3].homeBranchCode", out _));
        Assert.True(errors.TryGetProperty("rows[4].expiresOn", out _));
        Assert.True(errors.TryGetProperty("rows[4].blocked", out _));
        Assert.True(errors.TryGetProperty("rows[5].phone", out _));
        Assert.True(errors.TryGetProperty("rows[6].cardNumber", out _));
        await ProblemAssert.IsProblemAsync(await director.GetAsync("/api/patrons/29000200"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_full_export_deactivates_the_patrons_it_does_not_list_who_can_no_longer_sign_in_and_keep_their_holds()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var director = await app.StaffClientAsync("director");
        var point = await PickupPointIdAsync(app, CentralAdults);
        var (title, _) = await TitleAsync(app, "CENTRALE");
        var hold = await ReadAsync(await (await PatronAsync(app, "P0002")).PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = point }),
            HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(app, "P0002", "1234")).StatusCode);
        long active;
        await using (var c = await app.Service<Db>().OpenAsync(default))
            active = await c.ExecuteScalarAsync<long>("select count(*) from patrons where not anonymous and deactivated_at is null");

        var report = await ReadAsync(await ImportAsync(director, $"{Header}\nP0001,Camille,Durand,,,,,\n", full: true), HttpStatusCode.OK);

        Assert.Equal(active - 1, report.GetProperty("deactivated").GetInt32());
        await ProblemAssert.IsProblemAsync(await SignInAsync(app, "P0002", "1234"), HttpStatusCode.Unauthorized, "sign_in_failed");
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(app, "P0001", "1234")).StatusCode);
        var kept = await director.GetFromJsonAsync<JsonElement>($"/api/holds/{hold.GetProperty("id").GetInt64()}");
        Assert.Equal("toPick", kept.GetProperty("status").GetString());

        var back = await ReadAsync(await ImportAsync(director, $"{Header}\nP0002,Léo,Bernard,,,,,\n"), HttpStatusCode.OK);
        Assert.Equal(1, back.GetProperty("reactivated").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(app, "P0002", "1234")).StatusCode);
    }

    [Fact]
    public async Task A_full_export_without_a_single_patron_is_refused()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        await ProblemAssert.IsProblemAsync(await ImportAsync(await app.StaffClientAsync("director"), Header + "\n", full: true),
            HttpStatusCode.UnprocessableEntity, "import_rejected");
    }

    [Fact]
    public async Task An_imported_patron_sets_a_PIN_with_the_one_time_code_the_library_hands_out_and_the_code_works_once()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        await ReadAsync(await ImportAsync(await app.StaffClientAsync("director"), $"{Header}\n29000300,Noé,Garnier,,,,,\n"), HttpStatusCode.OK);
        await ProblemAssert.IsProblemAsync(await SignInAsync(app, "29000300", "1234"), HttpStatusCode.Unauthorized, "sign_in_failed"); // no PIN yet

        var counter = await app.StaffClientAsync("counter");
        var issued = await ReadAsync(await counter.PostAsync("/api/patrons/29000300/pin-code", null), HttpStatusCode.OK);
        var code = issued.GetProperty("code").GetString()!;
        Assert.Matches("^[A-Z2-9]{5}-[A-Z2-9]{5}$", code);

        var anonymous = app.CreateClient();
        await ProblemAssert.IsProblemAsync(await anonymous.PostAsJsonAsync("/api/patrons/pin", new { cardNumber = "29000300", code = "AAAAA-AAAAA", pin = "2468" }),
            HttpStatusCode.Unauthorized, "pin_code_invalid");
        await ProblemAssert.IsProblemAsync(await anonymous.PostAsJsonAsync("/api/patrons/pin", new { cardNumber = "29000300", code, pin = "24" }),
            HttpStatusCode.BadRequest);
        var signedIn = await ReadAsync(await anonymous.PostAsJsonAsync("/api/patrons/pin",
            new { cardNumber = "29000300", code = code.Replace("-", " ").ToLowerInvariant(), pin = "2468" }), HttpStatusCode.OK);
        Assert.Equal("29000300", signedIn.GetProperty("cardNumber").GetString());
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(app, "29000300", "2468")).StatusCode);
        await ProblemAssert.IsProblemAsync(await anonymous.PostAsJsonAsync("/api/patrons/pin", new { cardNumber = "29000300", code, pin = "1357" }),
            HttpStatusCode.Unauthorized, "pin_code_invalid");

        await using var c = await app.Service<Db>().OpenAsync(default);
        Assert.Null(await c.QuerySingleAsync<string?>("select pin_code_hash from patrons where card_number = '29000300'"));
    }

    [Fact]
    public async Task An_expired_code_is_refused_and_a_deactivated_patron_gets_none()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var counter = await app.StaffClientAsync("counter");
        var code = (await ReadAsync(await counter.PostAsync("/api/patrons/P0003/pin-code", null), HttpStatusCode.OK)).GetProperty("code").GetString();
        app.Clock.Advance(TimeSpan.FromDays(15));
        await ProblemAssert.IsProblemAsync(await app.CreateClient().PostAsJsonAsync("/api/patrons/pin", new { cardNumber = "P0003", code, pin = "2468" }),
            HttpStatusCode.Unauthorized, "pin_code_invalid");

        await ReadAsync(await ImportAsync(await app.StaffClientAsync("director"), $"{Header}\nP0001,Camille,Durand,,,,,\n", full: true), HttpStatusCode.OK);
        counter = await app.StaffClientAsync("counter"); // the first token has expired meanwhile
        await ProblemAssert.IsProblemAsync(await counter.PostAsync("/api/patrons/P0003/pin-code", null), HttpStatusCode.Conflict, "patron_deactivated");
    }

    [Fact]
    public async Task The_command_imports_a_file_and_prints_the_report()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var path = Path.Combine(Path.GetTempPath(), $"patrons-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, $"{Header}\n29000400,Rose,Faure,,,,,\n");
        try
        {
            var output = new StringWriter();
            Assert.Equal(0, await PatronImportCommand.RunAsync(app.Services, [path], output, default));
            Assert.Contains("1 créé(s)", output.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }
}

public sealed class PatronImportTests_Sqlite : PatronImportTests<SqliteTestDatabase>;
public sealed class PatronImportTests_Postgres : PatronImportTests<PostgresTestDatabase>;
