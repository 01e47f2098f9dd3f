using System.Globalization;
using System.Text;

namespace CloudPatterns.LocalCloud.Protocols;

/// <summary>
/// Opaque pagination tokens: the operation and the offset of the next item, base64-encoded. A token from another
/// operation or one a client made up is not accepted.
/// </summary>
internal static class PageTokens
{
    private const string Version = "lc1";

    public static string Create(string operation, int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Version}:{operation}:{offset}")));

    /// <summary>
    /// One page of <paramref name="items"/> from the offset in <paramref name="token"/> (the start when null), and
    /// the token of the next page (null on the last); a token that is not this operation's is refused.
    /// </summary>
    public static (IReadOnlyList<T> Page, string? NextToken) Page<T>(IReadOnlyList<T> items, string operation, string? token, int pageSize, Func<AwsServiceException> invalidToken)
    {
        var offset = 0;
        if (token is not null && !TryRead(operation, token, out offset))
        {
            throw invalidToken();
        }

        var page = items.Skip(offset).Take(pageSize).ToList();
        return (page, offset + pageSize < items.Count ? Create(operation, offset + pageSize) : null);
    }

    public static bool TryRead(string operation, string? token, out int offset)
    {
        offset = 0;
        var buffer = new byte[((token?.Length ?? 0) * 3 / 4) + 3];
        if (token is null || !Convert.TryFromBase64String(token, buffer, out var length))
        {
            return false;
        }

        var prefix = $"{Version}:{operation}:";
        var decoded = Encoding.UTF8.GetString(buffer, 0, length);
        return decoded.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(decoded.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out offset);
    }
}
