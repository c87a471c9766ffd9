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
    [InlineData(" 07 58 76 54 32 ", "+33758765432")]
    [InlineData("01 23 45 67 89", "+33123456789")]
    [InlineData("+32 470 12 34 56", "+32470123456")]    // Belgium
    [InlineData("0032 470 12 34 56", "+32470123456")]
    [InlineData("+377 6 12 34 56 78", "+377612345678")] // Monaco
    [InlineData("+41 79 123 45 67", "+41791234567")]    // Switzerland
    public void Numbers_written_any_usual_way_become_e164(string input, string expected)
    {
        Assert.True(PhoneNumber.TryNormalise(input, out var e164));
        Assert.Equal(expected, e164);
    }

    [Theory]
    [InlineData("0692 12 34 56", "+262692123456")] // Réunion mobile, typed in Paris the way it is dialled from Paris
    [InlineData("06 93 12 34 56", "+262693123456")]
    [InlineData("+33 6 92 12 34 56", "+262692123456")] // written with France's code by mistake
    [InlineData("0262 12 34 56", "+262262123456")] // Réunion landline
    [InlineData("0690 12 34 56", "+590690123456")] // Guadeloupe mobile
    [InlineData("0696 12 34 56", "+596696123456")] // Martinique mobile
    [InlineData("0694 12 34 56", "+594694123456")] // Guyane mobile
    [InlineData("0639 20 12 34", "+262639201234")] // Mayotte mobile
    [InlineData("+262 692 12 34 56", "+262692123456")]
    public void Overseas_departments_share_the_french_plan(string input, string expected) =>
        Assert.Equal(expected, PhoneNumber.Normalise(input));

    [Theory]
    [InlineData("0692 12 34 56", "RE", "+262692123456")]
    [InlineData("06 12 34 56 78", "RE", "+33612345678")] // a metropolitan mobile typed in Saint-Denis
    [InlineData("0470 12 34 56", "BE", "+32470123456")] // a Belgian branch reads Belgian national numbers
    public void National_numbers_are_read_in_the_branch_region(string input, string region, string expected) =>
        Assert.Equal(expected, PhoneNumber.Normalise(input, region));

    [Theory]
    [InlineData("Europe/Paris", "FR")]
    [InlineData("Indian/Reunion", "RE")]
    [InlineData("America/Martinique", "MQ")]
    [InlineData(null, "FR")]
    public void A_branch_region_follows_its_time_zone(string? zone, string region) => Assert.Equal(region, PhoneNumber.RegionOf(zone));

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
    [InlineData("+33758765432", true)]
    [InlineData("+262692123456", true)]
    [InlineData("+590690123456", true)]
    [InlineData("+32470123456", true)]
    [InlineData("+377612345678", true)]
    [InlineData("+41791234567", true)]
    [InlineData("+33123456789", false)]
    [InlineData("+33912345678", false)]
    [InlineData("+262262123456", false)]
    [InlineData("+3225123456", false)]
    [InlineData(null, false)]
    public void Mobiles_are_told_from_landlines(string? e164, bool mobile) => Assert.Equal(mobile, PhoneNumber.IsMobile(e164));

    [Theory]
    [InlineData("+33612345607", "06 12 34 56 07")]
    [InlineData("+262692123456", "0692 12 34 56")]
    [InlineData("+32470123456", "+32 470 12 34 56")]
    [InlineData("+377612345678", "+377 6 12 34 56 78")]
    [InlineData("not a number", "not a number")]
    public void Numbers_are_shown_the_way_french_staff_read_them(string e164, string shown) => Assert.Equal(shown, PhoneNumber.Display(e164));
}
