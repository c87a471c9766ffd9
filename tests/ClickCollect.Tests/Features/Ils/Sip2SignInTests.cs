using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Dapper;

namespace ClickCollect.Tests.Features.Ils;

/// <summary>Patrons:Authentication=sip2: the library system judges the card and PIN (issue #13, item 2).</summary>
public abstract class Sip2SignInTests<TDb> where TDb : ITestDatabase, new()
{
    internal static Dictionary<string, string?> Settings(FakeSip2Server server, string provider = "sip2") => new()
    {
        ["Patrons:Authentication"] = "sip2",
        ["Ils:Provider"] = provider,
        ["Ils:RunInBackground"] = "false",
        ["Sip2:Host"] = "127.0.0.1",
        ["Sip2:Port"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Sip2:Username"] = server.Username,
        ["Sip2:Password"] = server.Password,
        ["Sip2:InstitutionId"] = "CPL",
        ["Sip2:LocationCode"] = "DRIVE",
        ["Sip2:Timeout"] = "00:00:02",
        ["Sip2:Retries"] = "1",
    };

    static Task<HttpResponseMessage> SignInAsync(TestApp app, string card, string pin) =>
        app.CreateClient().PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = card, pin });

    [Fact]
    public async Task A_patron_unknown_here_signs_in_with_the_library_systems_PIN_and_no_other_and_the_PIN_is_not_kept()
    {
        await using var server = new FakeSip2Server();
        server.Patrons["29000001"] = new("29000001", "4321", "Lefèvre, Zoé", Email: "zoe@example.org", Phone: "06 12 34 56 78");
        await using var app = await TestApp.StartAsync<TDb>(Settings(server));

        await ProblemAssert.IsProblemAsync(await SignInAsync(app, "29000001", "1234"), HttpStatusCode.Unauthorized, "sign_in_failed");
        await ProblemAssert.IsProblemAsync(await SignInAsync(app, "P0001", "1234"), HttpStatusCode.Unauthorized, "sign_in_failed"); // a local PIN counts no more
        var signedIn = await SignInAsync(app, "29000001", "4321");
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var token = (await signedIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();

        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/patrons/me");
        Assert.Equal(("29000001", "Zoé", "Lefèvre", "zoe@example.org"),
            (me.GetProperty("cardNumber").GetString(), me.GetProperty("firstName").GetString(), me.GetProperty("lastName").GetString(), me.GetProperty("email").GetString()));
        Assert.Equal("+33612345678", me.GetProperty("phone").GetString());
        Assert.Equal(JsonValueKind.Null, me.GetProperty("blockedReason").ValueKind);

        await using var c = await app.Service<Db>().OpenAsync(default);
        var hash = await c.QuerySingleAsync<string>("select pin_hash from patrons where card_number = '29000001'");
        Assert.False(app.Service<PasswordHashing>().Verify(hash, "4321"));
        Assert.Contains(server.ReceivedWithCode("63"), m => m.Contains("|AD4321|"));
    }

    [Fact]
    public async Task A_blocked_patron_is_signed_in_with_the_library_systems_block_recorded()
    {
        await using var server = new FakeSip2Server();
        server.Patrons["29000002"] = new("29000002", "1111", "Bob Martin", Status: "Y             ", Message: "Amendes impayées");
        await using var app = await TestApp.StartAsync<TDb>(Settings(server));

        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(app, "29000002", "1111")).StatusCode);
        var staff = await app.StaffClientAsync("counter");
        var bob = await staff.GetFromJsonAsync<JsonElement>("/api/patrons/29000002");
        Assert.Equal(("Bob", "Martin"), (bob.GetProperty("firstName").GetString(), bob.GetProperty("lastName").GetString()));
        Assert.Contains("Amendes impayées", bob.GetProperty("blockedReason").GetString());
    }

    [Fact]
    public async Task The_library_system_down_means_a_clear_503_and_no_sign_in_and_wrong_PINs_lock_the_card_as_usual()
    {
        await using var server = new FakeSip2Server();
        server.Patrons["29000003"] = new("29000003", "2468", "Durand, Léa");
        await using var app = await TestApp.StartAsync<TDb>(Settings(server));

        server.Down = true;
        var down = await ProblemAssert.IsProblemAsync(await SignInAsync(app, "29000003", "2468"), HttpStatusCode.ServiceUnavailable, "library_system_unavailable");
        Assert.Contains("bibliothèque", down.GetProperty("detail").GetString());
        server.Down = false;

        // A delayed card answers exactly as a wrong PIN (#14: the answer must not tell that the card exists).
        for (var i = 0; i < 5; i++)
            await ProblemAssert.IsProblemAsync(await SignInAsync(app, "29000003", "0000"), HttpStatusCode.Unauthorized, "sign_in_failed");
        var asked = server.ReceivedWithCode("63").Count();
        await ProblemAssert.IsProblemAsync(await SignInAsync(app, "29000003", "2468"), HttpStatusCode.Unauthorized, "sign_in_failed");
        Assert.Equal(asked, server.ReceivedWithCode("63").Count()); // a locked card's PIN is not even passed on
    }

    [Fact] // #14: guessing across cards the library system judges is throttled per address, like local sign-in
    public async Task Failures_on_many_cards_from_one_address_are_throttled_before_the_library_system_is_asked()
    {
        await using var server = new FakeSip2Server();
        server.Patrons["29000004"] = new("29000004", "1357", "Petit, Jules");
        var settings = Settings(server);
        settings["RateLimits:SignInFailuresPerAddress"] = "3";
        await using var app = await TestApp.StartAsync<TDb>(settings);

        await ProblemAssert.IsProblemAsync(await SignInAsync(app, "29000004", "0000"), HttpStatusCode.Unauthorized, "sign_in_failed");
        await ProblemAssert.IsProblemAsync(await SignInAsync(app, "29000098", "0000"), HttpStatusCode.Unauthorized, "sign_in_failed");
        await ProblemAssert.IsProblemAsync(await SignInAsync(app, "29000099", "0000"), HttpStatusCode.Unauthorized, "sign_in_failed");
        var asked = server.ReceivedWithCode("63").Count();
        await ProblemAssert.IsProblemAsync(await SignInAsync(app, "29000097", "0000"), HttpStatusCode.TooManyRequests, "rate_limited");
        await ProblemAssert.IsProblemAsync(await SignInAsync(app, "29000004", "1357"), HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(asked, server.ReceivedWithCode("63").Count());
    }
}

public sealed class Sip2SignInTests_Sqlite : Sip2SignInTests<SqliteTestDatabase>;
public sealed class Sip2SignInTests_Postgres : Sip2SignInTests<PostgresTestDatabase>;
