using ClickCollect.Api.Features.SurpriseSelections;

namespace ClickCollect.Tests.Features.SurpriseSelections;

public sealed class TasteTextTests
{
    [Theory]
    [InlineData("L'Étranger !", "l etranger")]
    [InlineData("  Leïla  SLIMANI ", "leila slimani")]
    [InlineData("Œdipe roi", "odipe roi")]
    [InlineData("Science-fiction", "science fiction")]
    [InlineData("Ærø, Søren", "aro soren")]
    [InlineData("", "")]
    public void Fold_ignores_case_accents_and_punctuation(string text, string folded) => Assert.Equal(folded, TasteText.Fold(text));

    [Theory]
    [InlineData("Polars nordiques", "polar nordique")]
    [InlineData("Bandes dessinées", "bande dessinee")]
    [InlineData("les BD", "les bd")]
    public void Key_also_ignores_plurals(string text, string key) => Assert.Equal(key, TasteText.Key(text));

    [Theory]
    [InlineData("Vargas, Fred", "Fred Vargas")]
    [InlineData("Wells, H. G. (Herbert George)", "H. G. Wells")]
    [InlineData("Hergé", "Hergé")]
    public void Authors_are_shown_the_way_readers_say_them(string catalogue, string shown) => Assert.Equal(shown, TasteText.DisplayAuthor(catalogue));

    [Theory]
    [InlineData("Millénium. 2, La Fille qui rêvait d'un bidon d'essence", "millenium")]
    [InlineData("Persepolis. 1", "persepolis")]
    [InlineData("Astérix le Gaulois", null)]
    [InlineData("Système 1 / Système 2", null)]
    [InlineData("M. Dupont. 3", "m dupont")]
    public void A_numbered_volume_belongs_to_its_series(string title, string? series) => Assert.Equal(series, TasteText.SeriesKey(title));

    [Theory]
    [InlineData("fred vargas", "vargas, fred", true)]
    [InlineData("vargas", "vargas, fred", true)]
    [InlineData("j k rowling", "rowling, j. k.", true)]
    [InlineData("fred", "vargas, fred", true)]
    [InlineData("fred dupont", "vargas, fred", false)]
    public void A_name_matches_when_all_its_words_are_in_the_author(string name, string author, bool matches) =>
        Assert.Equal(matches, TasteText.NameMatches(TasteText.Tokens(name), TasteText.Tokens(author)));
}
