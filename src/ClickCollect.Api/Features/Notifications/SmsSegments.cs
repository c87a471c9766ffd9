namespace ClickCollect.Api.Features.Notifications;

/// <summary>
/// How many SMS segments a text costs (what the provider bills, issue 11's figures): GSM-7 texts fit
/// 160 characters in one segment and 153 per segment once split; one character outside GSM-7 (e.g.
/// "ê", "œ", an emoji) makes the whole text UCS-2, 70 characters alone and 67 per segment. Characters
/// of the GSM-7 extension table ("€", "[", "^"…) count twice. Pure.
/// </summary>
internal static class SmsSegments
{
    // 3GPP TS 23.038 default alphabet (the accented letters French needs most are NOT all there: é è ù à
    // are, ê â î ô û ç (lower case) ë ï are not).
    const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    const string Extension = "^{}\\[~]|€\f";

    /// <summary>True when the whole text is in the GSM-7 alphabet (basic table or extension).</summary>
    public static bool IsGsm7(string text) => text.All(c => Basic.Contains(c) || Extension.Contains(c));

    public static int Count(string text)
    {
        var gsmLength = 0;
        foreach (var c in text)
        {
            if (Basic.Contains(c)) gsmLength++;
            else if (Extension.Contains(c)) gsmLength += 2;
            else return Split(text.Length, 70, 67); // UTF-16 code units, as the provider counts them
        }
        return Split(gsmLength, 160, 153);
    }

    static int Split(int length, int single, int perPart) => length <= single ? 1 : (length + perPart - 1) / perPart;
}
