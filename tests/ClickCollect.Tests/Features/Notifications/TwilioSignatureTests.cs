using ClickCollect.Api.Features.Notifications;
using ClickCollect.Tests.Support;

namespace ClickCollect.Tests.Features.Notifications;

/// <summary>
/// The vectors of twilio-csharp RequestValidatorTest and twilio-python test_request_validator (PLATFORM.md,
/// "X-Twilio-Signature"), copied here: the app's check (the SDK's RequestValidator) accepts exactly them, and
/// the tests' signer produces them.
/// </summary>
public sealed class TwilioSignatureTests
{
    const string Token = "12345";
    const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";

    static readonly KeyValuePair<string, string>[] Call =
    [
        new("CallSid", "CA1234567890ABCDE"), new("Caller", "+14158675309"), new("Digits", "1234"),
        new("From", "+14158675309"), new("To", "+18005551212"),
    ];

    [Theory]
    [InlineData(Url, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")]
    [InlineData("https://mycompany.com:443/myapp.php?foo=1&bar=2", "kvajT1Ptam85bY51eRf/AJRuM3w=")]
    [InlineData("http://mycompany.com:80/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4=")]
    [InlineData("http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=")]
    public void The_signature_is_the_one_twilio_computes(string url, string expected)
    {
        Assert.Equal(expected, TwilioSigner.Sign(url, Call, Token));
        Assert.True(TwilioWebhooks.IsValidSignature(url, Call, Token, expected));
    }

    [Fact]
    public void Parameters_are_sorted_by_name_then_value_whatever_order_they_came_in()
    {
        Assert.Equal("RSOYDt4T1cUTdK1PDd93/VVr8B8=", TwilioSigner.Sign(Url, Call.Reverse(), Token));
        Assert.True(TwilioWebhooks.IsValidSignature(Url, Call.Reverse(), Token, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }

    [Fact]
    public void Repeated_parameters_are_signed_value_by_value_in_order()
    {
        KeyValuePair<string, string>[] repeated = [new("Sid", "CA123"), new("SidAccount", "AC123"), new("Digits", "5678"), new("Digits", "1234")];
        Assert.Equal("IK+Dwps556ElfBT0I3Rgjkr1wJU=", TwilioSigner.Sign(Url, repeated, Token));
        Assert.True(TwilioWebhooks.IsValidSignature(Url, repeated, Token, "IK+Dwps556ElfBT0I3Rgjkr1wJU="));
    }

    [Fact]
    public void A_json_body_is_signed_through_the_body_hash_in_the_url()
    {
        const string withHash = Url + "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
        Assert.Equal("a9nBmqA0ju/hNViExpshrM61xv4=", TwilioSigner.Sign(withHash, [], Token));
        Assert.True(new Twilio.Security.RequestValidator(Token).Validate(withHash, """{"property": "value", "boolean": true}""", "a9nBmqA0ju/hNViExpshrM61xv4="));
    }

    [Theory]
    [InlineData(Url, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", true)]
    [InlineData(Url, "kvajT1Ptam85bY51eRf/AJRuM3w=", true)]                                   // Twilio signed with :443
    [InlineData("https://mycompany.com:443/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", true)] // Twilio signed without it
    [InlineData("http://mycompany.com/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4=", true)]
    [InlineData("http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=", true)]
    [InlineData("http://mycompany.com/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=", false)] // another port is another URL
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=3", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", false)]
    [InlineData(Url, "RSOYDt4T1cUTdK1PDd93/VVr8B8", false)]
    [InlineData(Url, "", false)]
    [InlineData(Url, null, false)]
    public void Validation_accepts_the_url_with_or_without_its_default_port_and_nothing_else(string url, string? signature, bool valid) =>
        Assert.Equal(valid, TwilioWebhooks.IsValidSignature(url, Call, Token, signature));

    [Fact]
    public void A_tampered_parameter_or_another_token_fails()
    {
        Assert.False(TwilioWebhooks.IsValidSignature(Url, [.. Call[..4], new("To", "+18005551213")], Token, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        Assert.False(TwilioWebhooks.IsValidSignature(Url, Call, "54321", "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        Assert.False(TwilioWebhooks.IsValidSignature(Url, Call, "", TwilioSigner.Sign(Url, Call, "")));
    }
}
