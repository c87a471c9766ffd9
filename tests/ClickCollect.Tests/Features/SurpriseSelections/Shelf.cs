using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Api.Features.SurpriseSelections;

namespace ClickCollect.Tests.Features.SurpriseSelections;

/// <summary>A small catalogue in memory for the bundle builder's table tests: branch 1 serves the pickup point, branch 2 is across town.</summary>
internal sealed class Shelf
{
    public const long Here = 1, There = 2;
    readonly List<CandidateTitle> titles = [];
    readonly List<CandidateCopy> copies = [];
    long nextCopy = 1000;

    public Shelf Title(long id, string title, string authors, string genres, Audience audience = Audience.Adult,
        DocumentFormat format = DocumentFormat.Book, string language = "fr", long branch = Here, CopyStatus status = CopyStatus.OnShelf,
        long? reservedFor = null)
    {
        titles.Add(new CandidateTitle { Id = id, Title = title, Authors = authors, Genres = genres, Audience = audience, Format = format, Language = language });
        copies.Add(new CandidateCopy { Id = CopyOf(id, 0), TitleId = id, BranchId = branch, Status = status, ReservedFor = reservedFor });
        return this;
    }

    /// <summary>Another copy of title <paramref name="id"/>.</summary>
    public Shelf Copy(long id, long branch, CopyStatus status = CopyStatus.OnShelf, long? reservedFor = null)
    {
        copies.Add(new CandidateCopy { Id = ++nextCopy, TitleId = id, BranchId = branch, Status = status, ReservedFor = reservedFor });
        return this;
    }

    /// <summary>The first copy of a title has id 100 × title id.</summary>
    public static long CopyOf(long titleId, int n) => titleId * 100 + n;

    public BundleInput For(Tastes tastes, int seed = 1) => new()
    {
        Tastes = tastes,
        RequestId = 7,
        PickupBranchId = Here,
        BranchNames = new Dictionary<long, string> { [Here] = "Centrale", [There] = "Les Prés" },
        Titles = titles.ToList(),
        Copies = copies.ToList(),
        Seed = seed,
    };

    /// <summary>Many unrelated titles to pad a catalogue (genre "Divers"), ids from 9000.</summary>
    public Shelf Padding(int count, string genres = "Divers")
    {
        for (var i = 0; i < count; i++) Title(9000 + i, $"Remplissage {i}", $"Auteur{i}, Anonyme", genres);
        return this;
    }
}
