using System.Diagnostics.CodeAnalysis;

namespace ClickCollect.Api.Features.Patrons;

/// <summary>
/// French phone numbers as people write them ("06 12 34 56 78", "+33 6 12…", "0033 6…", "06.12.34.56.78")
/// normalised to E.164 ("+33612345678"). Other countries are accepted when written with "+" or "00".
/// </summary>
internal static class PhoneNumber
{
    public static bool TryNormalise(string? input, [NotNullWhen(true)] out string? e164)
    {
        e164 = null;
        if (string.IsNullOrWhiteSpace(input)) return false;
        var text = input.Trim();
        var plus = text.StartsWith('+');
        var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
        if (text.Any(ch => !char.IsAsciiDigit(ch) && " .-()/+".IndexOf(ch) < 0)) return false;
        if (!plus && digits.StartsWith("00", StringComparison.Ordinal)) { plus = true; digits = digits[2..]; }

        if (!plus)
        {
            // National French format: 0 + 9 digits, the first of which is 1–9.
            if (digits.Length != 10 || digits[0] != '0' || digits[1] == '0') return false;
            digits = "33" + digits[1..];
        }
        else if (digits.StartsWith("330", StringComparison.Ordinal))
        {
            digits = "33" + digits[3..]; // "+33 (0)6 …"
        }

        if (digits.StartsWith("33", StringComparison.Ordinal) && (digits.Length != 11 || digits[2] == '0')) return false;
        if (digits.Length is < 8 or > 15 || digits[0] == '0') return false;
        e164 = "+" + digits;
        return true;
    }

    /// <summary>True for French mobile numbers (06, 07), the ones that can receive an SMS.</summary>
    public static bool IsFrenchMobile(string e164) => e164.StartsWith("+336", StringComparison.Ordinal) || e164.StartsWith("+337", StringComparison.Ordinal);
}
