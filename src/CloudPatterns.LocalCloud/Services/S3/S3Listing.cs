namespace CloudPatterns.LocalCloud.Services.S3;

/// <summary>One page of a key listing: entries, the common prefixes the delimiter rolled up, and where to go on.</summary>
/// <param name="ResumeAfter">The last key or common prefix on the page (the next page's marker).</param>
/// <param name="ResumeAfterEntry">The last entry when the page ended on an entry rather than a common prefix.</param>
internal sealed record ListingPage<T>(IReadOnlyList<T> Entries, IReadOnlyList<string> CommonPrefixes, bool IsTruncated, string? ResumeAfter, T? ResumeAfterEntry);

/// <summary>S3's listing rules, shared by ListObjectsV2 and ListObjectVersions: prefix, delimiter roll-up, max-keys.</summary>
internal static class S3Listing
{
    /// <summary>Pages <paramref name="entries"/> (in key order, already past the caller's marker).</summary>
    public static ListingPage<T> Page<T>(IEnumerable<T> entries, Func<T, string> keyOf, string prefix, string? delimiter, int maxKeys)
    {
        var page = new List<T>();

        // max-keys=0 asks for no keys at all, which S3 answers as a complete, empty page.
        if (maxKeys == 0)
        {
            return new ListingPage<T>(page, [], false, null, default);
        }

        var prefixes = new List<string>();
        T? lastEntry = default;
        string? resumeAfter = null;
        string? lastPrefix = null;
        foreach (var entry in entries)
        {
            var key = keyOf(entry);
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var cut = string.IsNullOrEmpty(delimiter) ? -1 : key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
            var commonPrefix = cut < 0 ? null : key[..(cut + delimiter!.Length)];
            if (commonPrefix is not null && commonPrefix == lastPrefix)
            {
                continue;
            }

            if (page.Count + prefixes.Count == maxKeys)
            {
                return new ListingPage<T>(page, prefixes, true, resumeAfter, lastEntry);
            }

            if (commonPrefix is null)
            {
                page.Add(entry);
                (lastEntry, resumeAfter) = (entry, key);
            }
            else
            {
                prefixes.Add(commonPrefix);
                (lastEntry, resumeAfter, lastPrefix) = (default, commonPrefix, commonPrefix);
            }
        }

        return new ListingPage<T>(page, prefixes, false, resumeAfter, lastEntry);
    }

    /// <summary>
    /// The entries under <paramref name="prefix"/> in key order, each group of keys the delimiter rolls up into one
    /// common prefix stood for by its last key: <see cref="Page"/> rolls a group up into one prefix anyway, so listing
    /// the few days of a prefix over 100,000 keys sorts the days, not the keys. Any key between a group's first and
    /// last shares its prefix, so the order against other entries is unchanged, and the last key is after a marker
    /// inside the group exactly when some key of the group is.
    /// </summary>
    public static List<T> InKeyOrder<T>(IEnumerable<T> entries, Func<T, string> keyOf, string prefix, string? delimiter)
    {
        var plain = new List<T>();
        var groups = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var key = keyOf(entry);
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var cut = string.IsNullOrEmpty(delimiter) ? -1 : key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
            if (cut < 0)
            {
                plain.Add(entry);
                continue;
            }

            var commonPrefix = key[..(cut + delimiter!.Length)];
            if (!groups.TryGetValue(commonPrefix, out var last) || string.CompareOrdinal(key, keyOf(last)) > 0)
            {
                groups[commonPrefix] = entry;
            }
        }

        return plain.Concat(groups.Values).OrderBy(keyOf, StringComparer.Ordinal).ToList();
    }

    /// <summary>Whether <paramref name="key"/> lies at or before a marker (a key, or a rolled-up common prefix).</summary>
    public static bool AtOrBefore(string key, string? marker, string? delimiter) =>
        marker is not null
        && (string.CompareOrdinal(key, marker) <= 0
            || (!string.IsNullOrEmpty(delimiter) && marker.EndsWith(delimiter, StringComparison.Ordinal) && key.StartsWith(marker, StringComparison.Ordinal)));
}
