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
