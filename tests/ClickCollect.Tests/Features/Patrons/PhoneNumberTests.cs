using ClickCollect.Api.Features.Patrons;

namespace ClickCollect.Tests.Features.Patrons;

public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("06 12 34 56 78", "+33612345678")]
    [InlineData("0612345678", "+33612345678")]
    [InlineData("06.12.34.56.78", "+33612345678")]
    [InlineData("06-12-34-56-78", "+33612345678")]
    [InlineData("+33 6 12 34 56 78", "+33612345678")]
    [InlineData("+33612345678", "+33612345678")]
    [InlineData("+33 (0)6 12 34 56 78", "+33612345678")]
    [InlineData("0033 6 12 34 56 78", "+33612345678")]
    [InlineData("+33 0 12 34 56 78 9", "+33123456789")] // "+33 (0)1 23 45 67 89" without the brackets
    [InlineData("0033612345678", "+33612345678")]
    [InlineData(" 07 98 76 54 32 ", "+33798765432")]
    [InlineData("01 23 45 67 89", "+33123456789")]
    [InlineData("+32 470 12 34 56", "+32470123456")]
    [InlineData("0032 470 12 34 56", "+32470123456")]
    public void French_numbers_written_any_usual_way_become_e164(string input, string expected)
    {
        Assert.True(PhoneNumber.TryNormalise(input, out var e164));
        Assert.Equal(expected, e164);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("06 12 34 56")]         // too short
    [InlineData("06 12 34 56 78 9")]    // too long
    [InlineData("6 12 34 56 78")]       // no leading 0
    [InlineData("00 06 12 34 56 78")]   // 00 then a national number
    [InlineData("+33 6 12 34 56 78 9")] // one digit too many after +33
    [InlineData("06 12 AB 56 78")]
    [InlineData("+33 6 12 34 56 7")]
    [InlineData("+0 612345678")]
    public void Anything_else_is_refused(string? input) => Assert.False(PhoneNumber.TryNormalise(input, out _));

    [Theory]
    [InlineData("+33612345678", true)]
    [InlineData("+33712345678", true)]
    [InlineData("+33123456789", false)]
    [InlineData("+33912345678", false)]
    public void Only_06_and_07_are_french_mobiles(string e164, bool mobile) => Assert.Equal(mobile, PhoneNumber.IsFrenchMobile(e164));
}
