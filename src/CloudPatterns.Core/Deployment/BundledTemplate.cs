using System;
using System.Collections.Concurrent;
using System.IO;

namespace CloudPatterns.Core.Deployment;

/// <summary>
/// The templates under templates/, embedded in this assembly so the engine and the module's template files agree on
/// one copy. Names are paths under templates/ ("disaster-recovery/central-vault.yaml").
/// </summary>
public static class BundledTemplate
{
    private static readonly ConcurrentDictionary<string, string> Bodies = new(StringComparer.Ordinal);

    public static string Body(string path) => Bodies.GetOrAdd(path, Read);

    private static string Read(string path)
    {
        var resource = "CloudPatterns.Core.Templates." + path.Replace('/', '.');
        using var stream = typeof(BundledTemplate).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The template {path} is missing from CloudPatterns.Core.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
