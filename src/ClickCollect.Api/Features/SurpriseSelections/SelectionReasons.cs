using ClickCollect.Api.Features.Catalogue;

namespace ClickCollect.Api.Features.SurpriseSelections;

/// <summary>
/// The signals of an item said in French, in the order a librarian reads them: why it fits the
/// tastes, how it varies the bundle, that it fits the audience and format asked, and where the copy
/// is. Tie-breaks and the genre-redundancy penalty stay numbers in the signals only.
/// </summary>
internal static class SelectionReasons
{
    public static IReadOnlyList<string> Explain(IReadOnlyList<Signal> signals, Tastes tastes)
    {
        var reasons = new List<string>();
        var genres = signals.Where(s => s.Kind == "genre").Select(s => s.Label).ToList();
        if (genres.Count == 1) reasons.Add($"Genre demandé : {genres[0]}");
        if (genres.Count > 1) reasons.Add($"Genres demandés : {TasteText.Join(genres)}");
        var keywords = signals.Where(s => s.Kind == "keyword").Select(s => $"« {s.Label} »").ToList();
        if (keywords.Count > 0) reasons.Add($"Sujet demandé : {TasteText.Join(keywords)}");
        foreach (var s in signals)
        {
            var reason = s.Kind switch
            {
                "author" => $"Auteur aimé : {s.Label}",
                "sameAuthor" => $"Du même auteur que « {s.Label} », cité par le lecteur",
                "series" => $"Même série que « {s.Label} »",
                "readAlike" => $"Dans l'esprit de {s.Label}",
                "coverage" => $"Varie la sélection : premier titre pour « {s.Label} »",
                "pinned" => "Gardé par la bibliothécaire",
                "chosen" => "Choisi par la bibliothécaire",
                "filler" => "Complément : plus aucun document disponible ne correspondait aux goûts indiqués",
                "shown" => "Déjà proposé : gardé faute d'autre choix",
                _ => null,
            };
            if (reason is not null) reasons.Add(reason);
        }
        if (Fit(tastes) is { } fit) reasons.Add(fit);
        foreach (var s in signals)
        {
            if (s.Kind == "local") reasons.Add($"En rayon à {s.Label}, d'où part le point de retrait");
            if (s.Kind == "remote") reasons.Add($"En rayon à {s.Label} : viendra par la navette");
        }
        return reasons;
    }

    /// <summary>"Public adulte, gros caractères, en français : comme demandé", when the reader said so.</summary>
    static string? Fit(Tastes tastes)
    {
        var parts = new List<string>();
        if (tastes.Audience is { } audience) parts.Add("public " + AudienceName(audience));
        if (tastes.Formats.Count > 0) parts.Add(string.Join(" ou ", tastes.Formats.Select(FormatName)));
        if (tastes.Languages.Count > 0) parts.Add(string.Join(" ou ", tastes.Languages.Select(LanguageName)));
        if (parts.Count == 0) return null;
        var text = string.Join(", ", parts);
        return char.ToUpperInvariant(text[0]) + text[1..] + " : comme demandé";
    }

    public static string AudienceName(Audience audience) => audience switch
    {
        Audience.Adult => "adulte",
        Audience.Youth => "jeunesse",
        _ => "enfants",
    };

    public static string FormatName(DocumentFormat format) => format switch
    {
        DocumentFormat.Book => "livre",
        DocumentFormat.LargePrint => "gros caractères",
        DocumentFormat.Comics => "BD",
        DocumentFormat.Dvd => "DVD",
        DocumentFormat.Cd => "CD",
        _ => "livre audio",
    };

    public static string LanguageName(string code) => code.ToLowerInvariant() switch
    {
        "fr" => "en français",
        "en" => "en anglais",
        "es" => "en espagnol",
        "de" => "en allemand",
        "it" => "en italien",
        "pt" => "en portugais",
        "ar" => "en arabe",
        var other => $"en langue « {other} »",
    };
}
