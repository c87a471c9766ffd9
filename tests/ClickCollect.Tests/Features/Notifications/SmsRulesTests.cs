using ClickCollect.Api.Features.Notifications;

namespace ClickCollect.Tests.Features.Notifications;

public sealed class SmsRulesTests
{
    static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
    static readonly TimeOnly Start = new(20, 0), End = new(8, 30);

    [Theory]
    [InlineData("2026-03-10T18:59:00Z", "2026-03-10T18:59:00Z")] // 19:59 in Paris: not quiet
    [InlineData("2026-03-10T19:00:00Z", "2026-03-11T07:30:00Z")] // 20:00: until 08:30 tomorrow
    [InlineData("2026-03-10T23:30:00Z", "2026-03-11T07:30:00Z")] // 00:30 on the 11th: until 08:30 that morning
    [InlineData("2026-03-11T07:29:00Z", "2026-03-11T07:30:00Z")]
    [InlineData("2026-03-11T07:30:00Z", "2026-03-11T07:30:00Z")] // 08:30 sharp: allowed
    [InlineData("2026-03-28T20:00:00Z", "2026-03-29T06:30:00Z")] // the night clocks go forward: 08:30 CEST is 06:30 UTC
    [InlineData("2026-10-24T19:00:00Z", "2026-10-25T07:30:00Z")] // the night clocks go back: 08:30 CET is 07:30 UTC
    [InlineData("2026-07-01T17:59:00Z", "2026-07-01T17:59:00Z")] // 19:59 in summer
    [InlineData("2026-07-01T18:00:00Z", "2026-07-02T06:30:00Z")]
    public void Quiet_hours_run_from_eight_in_the_evening_to_half_past_eight_in_the_branch_zone(string at, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected), SmsRules.QuietUntil(DateTimeOffset.Parse(at), Paris, Start, End));

    [Fact]
    public void Quiet_hours_within_a_day_and_none_at_all_are_configurable()
    {
        var at = DateTimeOffset.Parse("2026-03-10T12:30:00Z"); // 13:30 in Paris
        Assert.Equal(DateTimeOffset.Parse("2026-03-10T13:00:00Z"), SmsRules.QuietUntil(at, Paris, new(12, 0), new(14, 0)));
        Assert.Equal(at, SmsRules.QuietUntil(at, Paris, new(14, 0), new(15, 0)));
        Assert.Equal(at, SmsRules.QuietUntil(at, Paris, new(13, 0), new(13, 0)));
    }

    [Fact]
    public void Retries_wait_twice_as_long_each_time_up_to_the_maximum()
    {
        var waits = Enumerable.Range(1, 9).Select(n => SmsRules.RetryDelay(n, TimeSpan.FromSeconds(30), TimeSpan.FromHours(1)).TotalSeconds);
        Assert.Equal([30, 60, 120, 240, 480, 960, 1920, 3600, 3600], waits);
        Assert.Equal(TimeSpan.FromHours(1), SmsRules.RetryDelay(500, TimeSpan.FromSeconds(30), TimeSpan.FromHours(1)));
    }

    [Theory]
    [InlineData("+33612345678", true, false, null)]
    [InlineData("+33752345678", true, false, null)]
    [InlineData(null, true, false, "pas de numéro de téléphone")]
    [InlineData("+33612345678", false, false, "pas de consentement aux SMS")]
    [InlineData("+33612345678", true, true, "désinscrit par STOP")]
    [InlineData("+33123456789", true, false, "numéro fixe : pas de SMS")]
    [InlineData("+32470123456", true, false, null)]  // a Belgian mobile
    [InlineData("+262692123456", true, false, null)] // a Réunion mobile
    [InlineData("+377612345678", true, false, null)] // a Monaco mobile
    [InlineData("+41791234567", true, false, null)]  // a Swiss mobile
    [InlineData("+262262123456", true, false, "numéro fixe : pas de SMS")] // a Réunion landline
    [InlineData("+3225123456", true, false, "numéro fixe : pas de SMS")]   // a Brussels landline
    [InlineData("+33012", true, false, "numéro non reconnu : pas de SMS")]
    public void Only_patrons_who_agreed_on_a_mobile_that_did_not_opt_out_get_sms(string? phone, bool consent, bool optedOut, string? reason)
    {
        Assert.Equal(reason, SmsRules.SkipReason(phone, consent, optedOut));
        Assert.Equal(reason, SmsRules.SkipReason(phone, consent, optedOut)); // the number's answer, remembered (#17)
        if (phone is not null && consent && !optedOut) Assert.True(SmsRules.RemembersNumber(phone));
    }

    [Theory]
    [InlineData("ici", "Here")]
    [InlineData("  Ici ! ", "Here")]
    [InlineData("ÍCÌ.", "Here")]
    [InlineData("Annuler", "Cancel")]
    [InlineData("annuler oui", "CancelYes")]
    [InlineData("ANNULER, OUI !", "CancelYes")]
    [InlineData("oui", "Yes")]
    [InlineData("Stop", "Stop")]
    [InlineData("arret", "Stop")]
    [InlineData("Arrêt", "Stop")]
    [InlineData("ARRÊT SMS", "Stop")]
    [InlineData("start", "Start")]
    [InlineData("je suis là", "Help")]
    [InlineData("", "Help")]
    [InlineData(null, "Help")]
    public void Inbound_words_are_read_whatever_their_case_accents_and_punctuation(string? body, string expected) =>
        Assert.Equal(expected, InboundSms.Parse(body).ToString());

    [Fact]
    public void Messages_use_the_branch_local_date_and_time_in_french()
    {
        var slot = DateTimeOffset.Parse("2026-03-11T09:00:00Z");
        Assert.Equal("mercredi 11 mars à 10h00", Messages.DayAndTime(slot, Paris));
        Assert.Equal("mercredi 1 juillet à 10h00", Messages.DayAndTime(DateTimeOffset.Parse("2026-07-01T08:00:00Z"), Paris));
        Assert.Equal("Votre document \"Les Misérables\" vous attend au Bibliobus - Mairie jusqu'au mardi 17 mars inclus.",
            Messages.HoldReady("Les Misérables", "Bibliobus – Mairie", new DateOnly(2026, 3, 17)));
    }

    [Fact]
    public void Long_titles_are_cut_so_a_message_stays_short()
    {
        var body = Messages.HoldReady(new string('x', 300), "Médiathèque centrale – Adultes", new DateOnly(2026, 3, 17));
        Assert.Contains("...", body);
        Assert.True(body.Length <= 160, body);
    }

    [Fact]
    public void TwiML_answers_escape_the_text() =>
        Assert.Equal("""<?xml version="1.0" encoding="UTF-8"?><Response><Message>Rendez-vous &lt;demain&gt; &amp; « ici »</Message></Response>""",
            TwilioWebhooks.TwiML("Rendez-vous <demain> & « ici »"));
}
