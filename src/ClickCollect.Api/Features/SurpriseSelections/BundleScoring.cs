using ClickCollect.Api.Features.Catalogue;

namespace ClickCollect.Api.Features.SurpriseSelections;

/// <summary>
/// The hard filters and the score of one title (see <see cref="BundleProposer"/> for the whole). Each
/// title's score is summed without building its explanation; the signals are written out only for
/// the titles a bundle or a search shows, by the same code (<see cref="Evaluate"/>), so the numbers a
/// librarian reads are the numbers that ranked.
/// </summary>
internal static partial class BundleProposer
{
    public static bool Available(CandidateCopy copy, long requestId) =>
        copy.Status == CopyStatus.OnShelf && (copy.ReservedFor is null || copy.ReservedFor == requestId);

    static List<Scored> Eligible(BundleInput input, TasteModel model, SortedDictionary<string, int> excluded, Func<CandidateTitle, bool>? where)
    {
        void Exclude(string reason) => excluded[reason] = excluded.GetValueOrDefault(reason) + 1;
        foreach (var title in input.Titles)
            if (model.Shape(title) is { } shape) Exclude(shape);

        var slots = new Dictionary<long, Slot>(model.Scope.Count);
        var passing = new List<Slot>();
        foreach (var title in model.Scope)
        {
            if (slots.ContainsKey(title.Id)) continue;
            var refusal =
                input.AlreadyHad.Contains(title.Id) ? "alreadyHad"
                : model.LikedTitles.ContainsKey(title.Id) ? "likedTitle"
                : input.Removed.Contains(title.Id) ? "removed"
                : model.Avoided(title) ? "avoid"
                : null;
            var slot = new Slot(title, refusal is not null);
            slots[title.Id] = slot;
            if (refusal is not null) Exclude(refusal);
            else passing.Add(slot);
        }

        // One pass over the copies: the best available copy of each title still in.
        foreach (var copy in input.Copies)
        {
            if (copy.Status != CopyStatus.OnShelf || !slots.TryGetValue(copy.TitleId, out var slot) || slot.Refused) continue;
            slot.Shelved = true;
            if (!Available(copy, input.RequestId)) continue;
            if (slot.Best is null || Better(copy, slot.Best, input.PickupBranchId)) slot.Best = copy;
        }

        var result = new List<Scored>(passing.Count);
        foreach (var slot in passing)
        {
            if (slot.Best is not { } copy)
            {
                Exclude(slot.Shelved ? "reservedElsewhere" : "notOnShelf");
                continue;
            }
            if (where is not null && !where(slot.Title)) continue;
            result.Add(Score(slot.Title, copy, input, model));
        }
        return result;
    }

    sealed class Slot(CandidateTitle title, bool refused)
    {
        public CandidateTitle Title => title;
        public bool Refused => refused;
        public bool Shelved { get; set; }
        public CandidateCopy? Best { get; set; }
    }

    // On the shelf at the pickup point's branch first, then the lowest id: the same copy every time.
    static bool Better(CandidateCopy copy, CandidateCopy than, long branch) =>
        (copy.BranchId == branch) != (than.BranchId == branch) ? copy.BranchId == branch : copy.Id < than.Id;

    static Scored Score(CandidateTitle title, CandidateCopy copy, BundleInput input, TasteModel model)
    {
        var (score, matched, hit) = Evaluate(title, copy, input, model, null);
        return new Scored(title, copy, copy.BranchId == input.PickupBranchId, matched, score, hit,
            model.Genres(title.Genres), model.Authors(title.Authors));
    }

    /// <summary>
    /// The score of a title: its points, whether it matches a stated taste, and which stated genres it
    /// has (bit i: genre term i). With <paramref name="signals"/>, also writes each point down.
    /// </summary>
    static (double Score, bool Matched, long Hit) Evaluate(CandidateTitle title, CandidateCopy copy, BundleInput input, TasteModel model,
        List<Signal>? signals)
    {
        var genres = model.Genres(title.Genres);
        var authors = model.Authors(title.Authors);
        double score = 0;
        var matched = false;
        var hit = 0L;
        void Note(string kind, string? label, double points, bool taste)
        {
            score += points;
            matched |= taste;
            signals?.Add(new(kind, label ?? "", points));
        }

        foreach (var id in genres.Ids)
        {
            var terms = model.TermsOf(id);
            if (terms == 0) continue;
            hit |= terms;
            Note("genre", signals is null ? null : model.GenreName(id), GenrePoints, true);
        }
        if (model.KeywordTerms.Count > 0)
        {
            var text = model.TitleKey(title) + " " + TasteText.Key(title.Genres);
            foreach (var term in model.KeywordTerms)
                if (TasteText.ContainsPhrase(text, TasteText.Key(term))) Note("keyword", term, KeywordPoints, true);
        }

        var likedAuthor = Known(authors, model.LikedAuthors);
        var likedTitleAuthor = Known(authors, model.LikedTitleAuthors);
        if (likedAuthor is not null) Note("author", model.LikedAuthors[likedAuthor], LikedAuthorPoints, true);
        else if (likedTitleAuthor is not null) Note("sameAuthor", model.LikedTitleAuthors[likedTitleAuthor], SameAuthorPoints, true);
        if (model.LikedSeries.Count > 0 && TasteText.SeriesKey(title.Title) is { } series && model.LikedSeries.TryGetValue(series, out var volume))
            Note("series", volume, SeriesPoints, true);
        if (likedAuthor is null && likedTitleAuthor is null && model.Profiles.Count > 0 && model.ReadAlike(genres) is { } readAlike)
            Note("readAlike", readAlike, ReadAlikePoints, true);

        var local = copy.BranchId == input.PickupBranchId;
        var branch = signals is null ? null : input.BranchNames.TryGetValue(copy.BranchId, out var name) ? name : $"#{copy.BranchId}";
        if (local) Note("local", branch, LocalPoints, false);
        else Note("remote", branch, 0, false);
        if (input.Shown.Contains(title.Id)) Note("shown", null, ShownPoints, false);
        Note("tieBreak", null, TieBreak(input.Seed, title.Id), false);
        return (score, matched, hit);
    }

    /// <summary>The first of the title's authors in <paramref name="known"/> (folded names), tested on the whole field first.</summary>
    static string? Known(TasteModel.AuthorInfo authors, IReadOnlyDictionary<string, string> known)
    {
        if (known.Count == 0) return null;
        var any = false;
        foreach (var name in known.Keys)
            if (authors.Folded.Contains(name, StringComparison.Ordinal)) { any = true; break; }
        return any ? authors.Keys.FirstOrDefault(known.ContainsKey) : null;
    }

    /// <summary>[0, 0.5) from the seed and the title alone: the same seed gives the same bundle whatever the input order.</summary>
    internal static double TieBreak(int seed, long titleId)
    {
        var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)titleId * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return Math.Round((z >> 11) * (1.0 / (1UL << 53)) * TieBreakRange, 3);
    }

    sealed class Scored(CandidateTitle title, CandidateCopy copy, bool local, bool matched, double score, long genreTermsHit,
        TasteModel.GenreInfo genres, TasteModel.AuthorInfo authors)
    {
        bool seriesKnown;
        string? series;
        readonly List<Signal> extra = [];

        public CandidateTitle Title => title;
        public CandidateCopy Copy => copy;
        public bool Local => local;
        public bool Matched => matched;
        public int[] GenreIds => genres.Ids;
        public long GenreTermsHit => genreTermsHit;
        /// <summary>Read only for the few titles the greedy pass looks at.</summary>
        public string[] AuthorKeys => authors.Keys;
        public bool Taken { get; set; }
        /// <summary>The points before the diversity pass.</summary>
        public double Score => score;

        /// <summary>A signal of the diversity pass or the librarian (pinned).</summary>
        public void Add(Signal signal) => extra.Add(signal);

        public string? Series()
        {
            if (!seriesKnown) (series, seriesKnown) = (TasteText.SeriesKey(title.Title), true);
            return series;
        }

        public BundleItem ToItem(BundleInput input, TasteModel model)
        {
            var signals = new List<Signal>();
            Evaluate(title, copy, input, model, signals);
            signals.AddRange(extra);
            var total = 0.0;
            foreach (var s in signals) total += s.Points;
            return new(copy.Id, title.Id, local, extra.Exists(s => s.Kind == "pinned"), Math.Round(total, 2), signals,
                SelectionReasons.Explain(signals, input.Tastes));
        }
    }
}
