using System.Text;
using System.Text.RegularExpressions;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates;

/// <summary>
/// A parameter's AllowedPattern is a Java regular expression (docs/localcloud-cloudformation-validation.md): its
/// POSIX classes (\p{Print}, \p{Alnum}...) are US-ASCII ranges, which .NET's regular expressions do not know. They
/// become those ranges (inside a character class, the range alone).
/// </summary>
internal static class JavaPattern
{
    private static readonly Dictionary<string, string> PosixClasses = new(StringComparer.Ordinal)
    {
        ["Lower"] = "a-z", ["Upper"] = "A-Z", ["ASCII"] = @"\x00-\x7F", ["Alpha"] = "a-zA-Z", ["Digit"] = "0-9", ["Alnum"] = "a-zA-Z0-9",
        ["Punct"] = @"!-/:-@\[-`{-~", ["Graph"] = @"!-~", ["Print"] = @"\x20-\x7E", ["Blank"] = @" \t", ["Cntrl"] = @"\x00-\x1F\x7F",
        ["XDigit"] = "0-9a-fA-F", ["Space"] = @" \t\n\x0B\f\r",
    };

    public static bool IsMatch(string value, string pattern) => Regex.IsMatch(value, $"^(?:{ToDotNet(pattern)})$");

    public static string ToDotNet(string pattern)
    {
        var result = new StringBuilder(pattern.Length);
        var depth = 0;
        for (var index = 0; index < pattern.Length; index++)
        {
            var character = pattern[index];
            if (character == '\\' && index + 1 < pattern.Length)
            {
                var close = pattern.IndexOf('}', index);
                if (pattern[index + 1] is 'p' or 'P' && index + 2 < pattern.Length && pattern[index + 2] == '{' && close > 0
                    && PosixClasses.TryGetValue(pattern[(index + 3)..close], out var range))
                {
                    var negated = pattern[index + 1] == 'P';
                    result.Append(depth > 0 && !negated ? range : $"[{(negated ? "^" : "")}{range}]");
                    index = close;
                    continue;
                }
                result.Append(character).Append(pattern[index + 1]);
                index++;
                continue;
            }
            depth += character == '[' ? 1 : character == ']' && depth > 0 ? -1 : 0;
            result.Append(character);
        }
        return result.ToString();
    }
}
