using System.Text;
using ClickCollect.Api.Features.Ils;
using ClickCollect.Tests.Support;
using Microsoft.Extensions.Options;

namespace ClickCollect.Tests.Features.Ils;

/// <summary>The SIP2 client against <see cref="FakeSip2Server"/> on 127.0.0.1 (issue #13).</summary>
public sealed class Sip2ClientTests
{
    static readonly DateTimeOffset Now = new(2026, 3, 10, 10, 0, 0, TimeSpan.Zero);

    static (LibrarySystem Ils, Sip2Client Client, ListLogger<Sip2Client> Log) Connect(FakeSip2Server server, Action<Sip2Options>? configure = null)
    {
        var options = new Sip2Options
        {
            Host = "127.0.0.1", Port = server.Port, Username = server.Username, Password = server.Password,
            InstitutionId = "CPL", LocationCode = "DRIVE", TerminalPassword = "terminal-secret", Timeout = TimeSpan.FromSeconds(5), Retries = 2,
        };
        configure?.Invoke(options);
        var log = new ListLogger<Sip2Client>();
        var client = new Sip2Client(Options.Create(options), log);
        var clock = new FakeTimeProvider(Now);
        return (new LibrarySystem(client, Options.Create(new IlsOptions { Provider = "sip2" }), Options.Create(options), clock), client, log);
    }

    static FakeSip2Server Server(string encoding = "utf-8")
    {
        var server = new FakeSip2Server(encoding);
        server.Patrons["29000001"] = new("29000001", "4321", "Lefèvre, Zoé", Email: "zoe@example.org", Phone: "06 12 34 56 78");
        server.Patrons["29000002"] = new("29000002", "1111", "Blocked, Bob", Status: "Y   Y         ", Message: "Carte perdue");
        server.Items["B001"] = new("B001", "Germinal");
        return server;
    }

    [Fact]
    public void The_checksum_is_the_negated_sum_of_the_bytes_up_to_AZ()
    {
        // The specification's example of a "request ACS resend" message: 97AZFEF5.
        Assert.Equal("FEF5", Sip2Checksum.Compute(Encoding.ASCII.GetBytes("97AZ")));
        var message = new Sip2Message("17", "20260310   Z100000", [new("AO", "CPL"), new("AB", "B001")]);
        var wire = Encoding.ASCII.GetBytes(message.Format(Encoding.ASCII, true, '4'));
        var checksum = Convert.ToInt32(Encoding.ASCII.GetString(wire[^4..]), 16);
        Assert.Equal(0, (wire[..^4].Sum(b => (int)b) + checksum) & 0xFFFF);
        Assert.EndsWith("AY4AZ" + Encoding.ASCII.GetString(wire[^4..]), Encoding.ASCII.GetString(wire));
    }

    [Fact]
    public async Task A_valid_PIN_is_accepted_an_invalid_one_refused_and_neither_is_logged()
    {
        await using var server = Server();
        var (ils, client, log) = Connect(server);
        await using var _ = client;

        var zoe = await ils.PatronInformationAsync("29000001", "4321", default);
        Assert.True(zoe.ValidPatron && zoe.ValidPassword);
        Assert.Equal(("Lefèvre, Zoé", "zoe@example.org", "06 12 34 56 78"), (zoe.Name, zoe.Email, zoe.Phone));
        var wrong = await ils.PatronInformationAsync("29000001", "9876", default);
        Assert.True(wrong.ValidPatron);
        Assert.False(wrong.ValidPassword);
        Assert.False((await ils.PatronInformationAsync("29999999", "4321", default)).ValidPatron);

        Assert.Equal(1, server.Logins); // one connection, logged in once, reused
        Assert.Contains(server.Received, m => m.Contains("|AD4321|"));
        Assert.Contains(log.Lines, l => l.Contains("63") && l.Contains("AA29000001"));
        Assert.DoesNotContain(log.Lines, l => l.Contains("4321") || l.Contains("9876") || l.Contains(server.Password) || l.Contains("terminal-secret"));
    }

    [Fact]
    public async Task A_blocked_patron_is_valid_but_blocked_with_the_library_systems_message()
    {
        await using var server = Server();
        var (ils, client, _) = Connect(server);
        await using var _ = client;
        var bob = await ils.PatronInformationAsync("29000002", "1111", default);
        Assert.True(bob.ValidPatron && bob.ValidPassword && bob.Blocked && bob.CardLost);
        Assert.Contains("Carte perdue", bob.BlockedReason());
    }

    [Fact]
    public async Task A_refused_login_makes_the_library_system_unavailable_without_retrying()
    {
        await using var server = Server();
        server.RefuseLogins = true;
        var (ils, client, _) = Connect(server);
        await using var _ = client;
        var e = await Assert.ThrowsAsync<IlsUnavailableException>(() => ils.ItemInformationAsync("B001", default));
        Assert.Contains("refuse", e.Message);
        Assert.Equal(1, server.Logins);
    }

    [Fact]
    public async Task A_bad_checksum_makes_the_client_ask_for_the_answer_again()
    {
        await using var server = Server();
        server.Faults.Enqueue(FakeSip2Server.Fault.BadChecksum);
        var (ils, client, _) = Connect(server);
        await using var _ = client;
        Assert.Equal("03", (await ils.ItemInformationAsync("B001", default)).CirculationStatus);
        Assert.Single(server.ReceivedWithCode("97"));
        Assert.Equal(1, server.Logins);
    }

    [Fact]
    public async Task A_garbled_answer_or_a_connection_dropped_mid_message_is_retried_on_a_new_connection_that_logs_in_again()
    {
        await using var server = Server();
        server.Faults.Enqueue(FakeSip2Server.Fault.Garbled);
        server.Faults.Enqueue(FakeSip2Server.Fault.DropMidMessage);
        var (ils, client, _) = Connect(server);
        await using var _ = client;
        var checkout = await ils.CheckoutAsync("29000001", "B001", default);
        Assert.True(checkout.Ok);
        Assert.Equal(new DateOnly(2026, 4, 15), checkout.DueOn);
        Assert.Equal(3, server.Logins);
        Assert.Equal(3, server.ReceivedWithCode("99").Count()); // SC status after every login
    }

    [Fact]
    public async Task A_timeout_is_retried_and_a_server_that_never_answers_is_given_up_after_the_retries()
    {
        await using var server = Server();
        // 1 s, not less: the retry's answer comes on a new connection that logs in first, and with the whole test run
        // loading the machine 0.3 s was once not enough for it.
        var (ils, client, _) = Connect(server, o => { o.Timeout = TimeSpan.FromSeconds(1); o.Retries = 1; });
        await using var _ = client;
        server.Faults.Enqueue(FakeSip2Server.Fault.Silent);
        Assert.Equal("03", (await ils.ItemInformationAsync("B001", default)).CirculationStatus);

        server.Faults.Enqueue(FakeSip2Server.Fault.Silent);
        server.Faults.Enqueue(FakeSip2Server.Fault.Silent);
        var e = await Assert.ThrowsAsync<IlsUnavailableException>(() => ils.ItemInformationAsync("B001", default));
        Assert.Contains("délai", e.Message);
        Assert.Equal(2 + 2, server.ReceivedWithCode("17").Count()); // a timeout then an answer; two timeouts, no third attempt
    }

    [Fact]
    public async Task A_server_that_is_down_is_unavailable()
    {
        await using var server = Server();
        server.Down = true;
        var (ils, client, _) = Connect(server, o => o.Retries = 1);
        await using var _ = client;
        await Assert.ThrowsAsync<IlsUnavailableException>(() => ils.PatronInformationAsync("29000001", "4321", default));
    }

    [Fact]
    public async Task A_refused_checkout_carries_the_screen_message_and_a_checkin_takes_the_item_back()
    {
        await using var server = Server();
        server.RefusedCheckouts["B002"] = "Document réservé par un autre lecteur";
        var (ils, client, _) = Connect(server);
        await using var _ = client;
        var refused = await ils.CheckoutAsync("29000001", "B002", default);
        Assert.False(refused.Ok);
        Assert.Equal("Document réservé par un autre lecteur", refused.ScreenMessage);

        Assert.True((await ils.CheckoutAsync("29000001", "B001", default)).Ok);
        Assert.True((await ils.ItemInformationAsync("B001", default)).Unavailable);
        Assert.True((await ils.CheckinAsync("B001", Now, default)).Ok);
        Assert.False((await ils.ItemInformationAsync("B001", default)).Unavailable);
    }

    [Theory]
    [InlineData("windows-1252")]
    [InlineData("utf-8")]
    public async Task Names_with_accents_arrive_intact_in_the_servers_encoding(string encoding)
    {
        await using var server = Server(encoding);
        server.Patrons["29000003"] = new("29000003", "2468", "Œuvray, Françoise-Hélène");
        var (ils, client, _) = Connect(server, o => o.Encoding = encoding);
        await using var _ = client;
        Assert.Equal("Œuvray, Françoise-Hélène", (await ils.PatronInformationAsync("29000003", "2468", default)).Name);
    }
}
