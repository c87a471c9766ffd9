using ClickCollect.Api.Features.Catalogue;
using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Features.Ils;

/// <summary>What the library system says of a card and PIN (Patron Information, 63/64).</summary>
/// <param name="Status">The 14 patron-status flags (Y = denied / reported), positions as in SIP2 2.00.</param>
internal sealed record IlsPatron(bool ValidPatron, bool ValidPassword, string Status, string? Name, string? Email, string? Phone, string? ScreenMessage)
{
    public bool ChargeDenied => Flag(0);
    public bool HoldDenied => Flag(3);
    public bool CardLost => Flag(4);
    public bool Blocked => ChargeDenied || HoldDenied || CardLost;

    bool Flag(int position) => Status.Length > position && Status[position] == 'Y';

    /// <summary>Why the library system blocks the card, in the words staff read; null when it does not.</summary>
    public string? BlockedReason()
    {
        if (!Blocked) return null;
        var reasons = new List<string>();
        if (CardLost) reasons.Add("carte déclarée perdue");
        if (ChargeDenied) reasons.Add("prêt refusé");
        if (HoldDenied) reasons.Add("réservation refusée");
        var text = "Système de la bibliothèque : " + string.Join(", ", reasons);
        return string.IsNullOrWhiteSpace(ScreenMessage) ? text : $"{text} ({ScreenMessage.Trim()})";
    }
}

/// <summary>A checkout's answer (11/12): refused with the library system's message, or lent until <see cref="DueOn"/>.</summary>
internal sealed record IlsCheckout(bool Ok, DateOnly? DueOn, string? ScreenMessage);

/// <summary>A checkin's answer (09/10).</summary>
internal sealed record IlsCheckin(bool Ok, string? ScreenMessage);

/// <summary>An item's circulation status (17/18): 03 available, 04 charged, 05 charged (no recall yet), 12 lost, 13 missing…</summary>
internal sealed record IlsItem(string CirculationStatus, DateOnly? DueOn, string? ScreenMessage)
{
    /// <summary>The library system has it out on loan, lost or missing: not on the shelf to be picked.</summary>
    public bool Unavailable => LocalStatus is not null;

    /// <summary>
    /// What the copy is here when the library system says it is not on its shelf: out (on loan for
    /// 04 charged, 05 charged with no recall yet and 07 recalled; also 02 on order, 06 in process,
    /// 08 on another hold shelf and 10 in transit, which a status delta puts back on the shelf) or lost
    /// (11 claimed returned, 12 lost, 13 missing). Null for 03 available and 09 waiting to be re-shelved,
    /// and for 01 "other" (unknown items included): ClickCollect's own status then stands.
    /// </summary>
    public CopyStatus? LocalStatus => CirculationStatus switch
    {
        "02" or "04" or "05" or "06" or "07" or "08" or "10" => CopyStatus.OnLoan,
        "11" or "12" or "13" => CopyStatus.Lost,
        _ => null,
    };
}

/// <summary>
/// The library system through SIP2 (issue #13), when <c>Ils:Provider</c> is <c>sip2</c>: patron
/// sign-in, checkout, checkin and item status. Each call throws <see cref="IlsUnavailableException"/>
/// when the system cannot be reached after the retries.
/// </summary>
internal sealed class LibrarySystem(Sip2Client sip2, IOptions<IlsOptions> ils, IOptions<Sip2Options> sip2Options, TimeProvider clock)
{
    public bool Enabled => ils.Value.IsSip2;

    Sip2Options Options => sip2Options.Value;

    string Now => Sip2Date.Format(clock.GetUtcNow());

    // Language 000 (unknown), the summary all blanks: no item lists wanted.
    public async Task<IlsPatron> PatronInformationAsync(string cardNumber, string pin, CancellationToken ct)
    {
        var answer = await sip2.SendAsync(new Sip2Message("63", "000" + Now + new string(' ', 10),
        [
            new("AO", Options.InstitutionId), new("AA", cardNumber), new("AC", Options.TerminalPassword), new("AD", pin),
        ]), "64", ct);
        return new IlsPatron(answer["BL"] == "Y", answer["CQ"] == "Y", answer.Fixed[..14], answer["AE"], answer["BE"], answer["BF"], answer["AF"]);
    }

    // SC renewal policy N, no block N, no due date asked: the library system's loan rules decide.
    public async Task<IlsCheckout> CheckoutAsync(string cardNumber, string barcode, CancellationToken ct)
    {
        var answer = await sip2.SendAsync(new Sip2Message("11", "NN" + Now + new string(' ', 18),
        [
            new("AO", Options.InstitutionId), new("AA", cardNumber), new("AB", barcode), new("AC", Options.TerminalPassword),
        ]), "12", ct);
        return new IlsCheckout(answer.Fixed[0] == '1', Sip2Date.ParseDate(answer["AH"]), answer["AF"]);
    }

    public async Task<IlsCheckin> CheckinAsync(string barcode, DateTimeOffset returnedAt, CancellationToken ct)
    {
        var answer = await sip2.SendAsync(new Sip2Message("09", "N" + Now + Sip2Date.Format(returnedAt),
        [
            new("AP", Options.LocationCode), new("AO", Options.InstitutionId), new("AB", barcode), new("AC", Options.TerminalPassword),
        ]), "10", ct);
        return new IlsCheckin(answer.Fixed[0] == '1', answer["AF"]);
    }

    public async Task<IlsItem> ItemInformationAsync(string barcode, CancellationToken ct)
    {
        var answer = await sip2.SendAsync(new Sip2Message("17", Now,
        [
            new("AO", Options.InstitutionId), new("AB", barcode), new("AC", Options.TerminalPassword),
        ]), "18", ct);
        return new IlsItem(answer.Fixed[..2], Sip2Date.ParseDate(answer["AH"]), answer["AF"]);
    }
}
