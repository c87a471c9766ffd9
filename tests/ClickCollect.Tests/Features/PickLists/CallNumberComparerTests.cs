using ClickCollect.Api.Features.PickLists;

namespace ClickCollect.Tests.Features.PickLists;

public sealed class CallNumberComparerTests
{
    [Theory]
    [InlineData("843 CAM", "843.914 CAM")]   // a class before its subdivisions
    [InlineData("843.9 CAM", "843.914 CAM")]
    [InlineData("843.914 CAM", "843.92 DUR")]
    [InlineData("92 HUG", "843 CAM")]         // numbers compare as numbers, not text
    [InlineData("BD ASSE", "BD ASTE")]
    [InlineData("BD ASTE", "BD GOSC")]
    [InlineData("R CAM", "R ÉCO")]             // accents do not send a word to the end
    [InlineData("r cam", "R CAN")]             // nor does case
    [InlineData("R CAM", "R CAM 2")]           // shorter first
    [InlineData("641.5 DUC", "BD ASSE")]       // Dewey numbers before lettered shelves
    [InlineData("", "A PON")]
    public void Call_numbers_sort_the_way_librarians_shelve_them(string before, string after)
    {
        Assert.True(CallNumberComparer.Instance.Compare(before, after) < 0, $"{before} should come before {after}");
        Assert.True(CallNumberComparer.Instance.Compare(after, before) > 0, $"{after} should come after {before}");
    }

    [Fact]
    public void A_shelf_of_mixed_call_numbers_comes_out_in_walk_order()
    {
        string[] shelf = ["843.914 CAM", "BD ASTE", "843 CAM", "BD ASSE", "843.92 DUR", "R CAM", "641.5 DUC"];
        Assert.Equal(["641.5 DUC", "843 CAM", "843.914 CAM", "843.92 DUR", "BD ASSE", "BD ASTE", "R CAM"],
            shelf.Order(CallNumberComparer.Instance));
    }
}

public sealed class PickListCollationTests
{
    [Fact] // #15: the pick list sorts with the French collation whatever the server's culture
    public void Lines_sort_in_french_order_even_on_a_server_running_in_swedish()
    {
        var before = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            // Swedish puts Ö and Å after Z; a French librarian looks for "Œdipe" and "Ödön" among the O.
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo("sv-SE");
            PickRow Row(long id, string title, string branch = "Médiathèque centrale") =>
                new() { HoldId = id, Title = title, OwnerBranchId = branch.Length, OwnerBranchName = branch, ShelfLocation = "Romans", CallNumber = "R" };
            var rows = new[] { Row(1, "Zadig"), Row(2, "Ödön et Ödön"), Row(3, "Oscar"), Row(4, "Ålesund", "Åbo"), Row(5, "Élise"), Row(6, "X", "Zurich") };

            var groups = PickListBuilder.PickGroups(rows, new Dictionary<(long, string), int>(), null, false, TimeZoneInfo.Utc);

            Assert.Equal(["Åbo", "Médiathèque centrale", "Zurich"], groups.Select(g => g.Name));
            Assert.Equal(["Élise", "Ödön et Ödön", "Oscar", "Zadig"], groups[1].Lines.Select(l => l.Title));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = before;
        }
    }
}
