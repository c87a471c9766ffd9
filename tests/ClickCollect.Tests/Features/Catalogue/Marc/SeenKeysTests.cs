using ClickCollect.Api.Features.Catalogue.Marc;

namespace ClickCollect.Tests.Features.Catalogue.Marc;

/// <summary>#12 item 1: what a MARC import has already read waits on disk, not in memory, and goes with the import.</summary>
public sealed class SeenKeysTests
{
    [Fact]
    public void A_key_remembers_the_record_that_named_it_first_per_kind_and_the_file_goes_with_the_import()
    {
        string file;
        using (var seen = new SeenKeys())
        {
            file = seen.FilePath;
            Assert.True(File.Exists(file));
            Assert.True(seen.TryAdd(SeenKeys.Kind.Barcode, "B001", 1));
            Assert.False(seen.TryAdd(SeenKeys.Kind.Barcode, "B001", 7));
            Assert.True(seen.TryAdd(SeenKeys.Kind.Record, "B001", 3)); // a record id may look like a barcode
            Assert.Equal(1, seen.FirstRecord(SeenKeys.Kind.Barcode, "B001"));
            Assert.Equal(3, seen.FirstRecord(SeenKeys.Kind.Record, "B001"));
            Assert.Null(seen.FirstRecord(SeenKeys.Kind.Barcode, "b001")); // barcodes are compared exactly
            Assert.True(seen.Contains(SeenKeys.Kind.Barcode, "B001"));
            Assert.Equal(1, seen.Count(SeenKeys.Kind.Barcode));
            Assert.Equal(1, seen.Count(SeenKeys.Kind.Record));
        }
        Assert.False(File.Exists(file));
    }
}
