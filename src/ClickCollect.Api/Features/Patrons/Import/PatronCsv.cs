using System.Globalization;
using System.Text.RegularExpressions;
using ClickCollect.Api.Infrastructure.Csv;
using ClickCollect.Api.Infrastructure.Http;

namespace ClickCollect.Api.Features.Patrons.Import;

/// <summary>One reader of the library system's patron export; the phone as written (read in the home branch's region later).</summary>
internal sealed record PatronImportRow(int Line, string CardNumber, string FirstName, string LastName, string? Phone, string? Email,
    string? HomeBranchCode, DateOnly? ExpiresOn, bool Blocked);

internal sealed record PatronFile(int Read, IReadOnlyList<PatronImportRow> Rows, IReadOnlyList<ImportRejection> Rejected);

/// <summary>
/// Reads the library system's patron export (DESIGN "Public contract", issue 12 item 5): a header with
/// <c>cardNumber,firstName,lastName</c> and any of <c>phone,email,homeBranchCode,expiresOn,blocked</c>
/// (any order, any case), one reader a line. Only turns text into typed rows; what the values must
/// match (branches, phone numbers in the branch's region) is <see cref="PatronImport"/>'s.
/// </summary>
internal static partial class PatronCsv
{
    public static readonly string[] Columns = ["cardNumber", "firstName", "lastName", "phone", "email", "homeBranchCode", "expiresOn", "blocked"];

    static readonly CsvColumns Layout = new(Columns, ["cardNumber", "firstName", "lastName"]);

    public static async Task<PatronFile> ReadAsync(Stream body, CancellationToken ct)
    {
        var file = await CsvImport.ReadAsync(body, Layout, ToRow, ct);
        return new PatronFile(file.Read, file.Rows, file.Rejected);
    }

    [GeneratedRegex("^[A-Za-z0-9-]{1,40}$")]
    private static partial Regex CardPattern();

    // Loose on purpose: the library system already holds it; this catches a column shifted by one.
    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    static PatronImportRow? ToRow(CsvRow record, List<ImportRejection> rejected)
    {
        var line = record.Line;
        var before = rejected.Count;
        string Text(string column) => record[column].Trim();
        string? Optional(string column) => Text(column) is { Length: > 0 } t ? t : null;

        var card = Text("cardNumber");
        if (card.Length == 0) rejected.Add(new(line, "cardNumber", "Numéro de carte obligatoire."));
        else if (!CardPattern().IsMatch(card))
            rejected.Add(new(line, "cardNumber", $"« {card} » : lettres sans accent, chiffres et « - » seulement, 40 au plus."));
        var first = Text("firstName");
        var last = Text("lastName");
        if (last.Length == 0) rejected.Add(new(line, "lastName", "Nom obligatoire."));
        if (first.Length > 100) rejected.Add(new(line, "firstName", "100 caractères au plus."));
        if (last.Length > 100) rejected.Add(new(line, "lastName", "100 caractères au plus."));
        var email = Optional("email");
        if (email is not null && (email.Length > 200 || !EmailPattern().IsMatch(email)))
            rejected.Add(new(line, "email", $"« {email} » n'est pas une adresse électronique."));

        DateOnly? expiresOn = null;
        if (Optional("expiresOn") is { } expires)
        {
            if (DateOnly.TryParseExact(expires, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) expiresOn = date;
            else rejected.Add(new(line, "expiresOn", $"« {expires} » n'est pas une date au format AAAA-MM-JJ (ex. 2027-06-30)."));
        }
        var blocked = false;
        if (Optional("blocked") is { } flag)
        {
            switch (flag.ToLowerInvariant())
            {
                case "true" or "1" or "y" or "yes" or "o" or "oui": blocked = true; break;
                case "false" or "0" or "n" or "no" or "non": break;
                default: rejected.Add(new(line, "blocked", $"« {flag} » : true ou false (vide : false).")); break;
            }
        }
        return rejected.Count == before
            ? new PatronImportRow(line, card, first, last, Optional("phone"), email, Optional("homeBranchCode")?.ToUpperInvariant(), expiresOn, blocked)
            : null;
    }
}
