namespace ClickCollect.Api.Features.SurpriseSelections;

/// <summary>
/// The catalogue's strings as the builder compares them. Genre and author fields repeat across
/// thousands of titles, so each distinct string is analysed once per proposal and cached, and only
/// as far as asked: that keeps a 100,000-copy proposal within its latency budget (make bench-selection).
/// </summary>
internal sealed partial class TasteModel
{
    readonly Dictionary<string, int> genreIds = new(StringComparer.Ordinal);   // genre key → id
    readonly Dictionary<string, int> nameIds = new(StringComparer.Ordinal);    // a genre as spelt in the catalogue → id (-1: none)
    readonly List<string> genreNames = [];                                     // id → catalogue spelling
    readonly Dictionary<string, GenreInfo> genreCache = new(StringComparer.Ordinal);
    readonly Dictionary<string, AuthorInfo> authorCache = new(StringComparer.Ordinal);
    readonly Dictionary<long, string> titleKeys = [];

    public sealed class GenreInfo
    {
        public required int[] Ids { get; init; }
        /// <summary>The set as text, to tell sets apart.</summary>
        public string Key => string.Join(',', Ids);
        public bool Avoided { get; set; }
        /// <summary>The first read-alike profile it fits, as a label; computed once, when first asked.</summary>
        public string? ReadAlike { get; set; }
        public bool ReadAlikeKnown { get; set; }
    }

    /// <summary>An authors field, analysed only as far as asked (most titles never need their tokens).</summary>
    public sealed class AuthorInfo(string authors)
    {
        string[]? names, keys;
        string[][]? tokens;
        string? folded;

        public string[] Names => names ??= Catalogue.CatalogueText.SplitAuthors(authors);
        /// <summary>Folded names: the key of "at most two per author".</summary>
        public string[] Keys => keys ??= Names.Select(TasteText.Fold).ToArray();
        public string[][] Tokens => tokens ??= Names.Select(TasteText.Tokens).ToArray();
        /// <summary>The whole field folded: a cheap first test before looking at each name.</summary>
        public string Folded => folded ??= TasteText.Fold(authors);

        public bool MayContain(string[] words)
        {
            foreach (var word in words)
                if (!Folded.Contains(word, StringComparison.Ordinal)) return false;
            return true;
        }
    }

    public GenreInfo Genres(string genres)
    {
        if (genreCache.TryGetValue(genres, out var info)) return info;
        // Spans and an alternate lookup: no substring per genre name (thousands of titles per proposal).
        var names = nameIds.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<int> ids = stackalloc int[32];
        var count = 0;
        var text = genres.AsSpan();
        foreach (var range in text.Split(Catalogue.CatalogueText.GenreSeparator))
        {
            var name = text[range].Trim();
            if (name.IsEmpty) continue;
            if (!names.TryGetValue(name, out var id))
            {
                var spelt = name.ToString();
                var key = TasteText.Key(spelt);
                if (key.Length == 0) id = -1;
                else if (!genreIds.TryGetValue(key, out id))
                {
                    id = genreNames.Count;
                    genreIds[key] = id;
                    genreNames.Add(spelt);
                }
                nameIds[spelt] = id;
            }
            if (id >= 0 && count < ids.Length && !ids[..count].Contains(id)) ids[count++] = id;
        }
        ids[..count].Sort();
        info = new GenreInfo { Ids = ids[..count].ToArray() };
        genreCache[genres] = info;
        return info;
    }

    public AuthorInfo Authors(string authors)
    {
        if (!authorCache.TryGetValue(authors, out var info)) authorCache[authors] = info = new AuthorInfo(authors);
        return info;
    }

    public string TitleKey(CandidateTitle title)
    {
        if (!titleKeys.TryGetValue(title.Id, out var key)) titleKeys[title.Id] = key = TasteText.Key(title.Title);
        return key;
    }
}
