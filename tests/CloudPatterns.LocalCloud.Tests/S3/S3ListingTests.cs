using CloudPatterns.LocalCloud.Services.S3;

namespace CloudPatterns.LocalCloud.Tests.S3;

/// <summary>Listing rules shared by ListObjectsV2 and ListObjectVersions.</summary>
public sealed class S3ListingTests
{
    private static readonly string[] Keys = ["a.txt", "logs/1.txt", "logs/2.txt", "reports/x.json", "z.txt"];

    [Fact]
    public void Delimiter_RollsKeysUpIntoCommonPrefixes_WhichCountTowardsMaxKeys()
    {
        var first = S3Listing.Page(Keys, key => key, "", "/", 3);

        Assert.Equal(["a.txt"], first.Entries);
        Assert.Equal(["logs/", "reports/"], first.CommonPrefixes);
        Assert.True(first.IsTruncated);
        Assert.Equal("reports/", first.ResumeAfter);

        var rest = S3Listing.Page(Keys.Where(key => !S3Listing.AtOrBefore(key, first.ResumeAfter, "/")), key => key, "", "/", 3);
        Assert.Equal(["z.txt"], rest.Entries);
        Assert.False(rest.IsTruncated);
    }

    [Fact]
    public void KeysRolledUpIntoOnePrefix_AreSortedAsOne_AndListTheSameAsEveryKey()
    {
        string[] unordered = ["z.txt", "logs/2.txt", "reports/x.json", "a.txt", "logs/1.txt", "logs/3/deep.txt", "other"];

        var grouped = S3Listing.InKeyOrder(unordered, key => key, "", "/");

        // One entry per common prefix (its last key) between the plain keys, in key order.
        Assert.Equal(["a.txt", "logs/3/deep.txt", "other", "reports/x.json", "z.txt"], grouped);
        // Paged as the full sorted listing pages, after a marker inside a group too.
        var sorted = unordered.Order(StringComparer.Ordinal).ToList();
        foreach (string? marker in new[] { null, "logs/", "logs/1.txt", "logs/3/deep.txt", "other" })
        {
            var expected = S3Listing.Page(sorted.Where(key => !S3Listing.AtOrBefore(key, marker, "/")), key => key, "", "/", 2);
            var actual = S3Listing.Page(grouped.Where(key => !S3Listing.AtOrBefore(key, marker, "/")), key => key, "", "/", 2);
            Assert.Equal(expected.Entries, actual.Entries);
            Assert.Equal(expected.CommonPrefixes, actual.CommonPrefixes);
            Assert.Equal((expected.IsTruncated, expected.ResumeAfter), (actual.IsTruncated, actual.ResumeAfter));
        }

        Assert.Equal(["logs/1.txt", "logs/2.txt", "logs/3/deep.txt"], S3Listing.InKeyOrder(unordered, key => key, "logs/", null));
    }

    [Fact]
    public void Prefix_SelectsKeys_AndMaxKeysZero_IsAnEmptyCompletePage()
    {
        Assert.Equal(["logs/1.txt", "logs/2.txt"], S3Listing.Page(Keys, key => key, "logs/", null, 1000).Entries);

        var none = S3Listing.Page(Keys, key => key, "", null, 0);
        Assert.Empty(none.Entries);
        Assert.False(none.IsTruncated);
    }
}
