using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates.Modules;

/// <summary>One registered version of a module: its template fragment and the schema generated from it.</summary>
public sealed record ModuleVersion(string TypeName, string VersionId, string Arn, JsonObject Fragment, string Schema, DateTimeOffset Registered)
{
    /// <summary>The type's ARN without the version (DescribeType's Arn of the default version).</summary>
    public string TypeArn => Arn[..Arn.LastIndexOf('/')];
}

/// <summary>
/// The modules registered in each account and region (CloudFormation's registry for <c>Type MODULE</c>;
/// docs/localcloud-cloudformation-modules.md). RegisterType hands over the package <c>cfn submit</c> builds: a zip with
/// <c>schema.json</c> and one fragment under <c>fragments/</c>. Each registration is a new version; the first is the
/// default, as in the registry.
/// </summary>
public sealed partial class ModuleRegistry
{
    private readonly ConcurrentDictionary<(string Account, string Region, string TypeName), List<ModuleVersion>> _modules = new();

    /// <summary>The botocore model's TypeName pattern, with the MODULE suffix a module's name ends in.</summary>
    public const string TypeNamePattern = "[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}(::MODULE){0,1}";

    [GeneratedRegex(@"^[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::MODULE$")]
    private static partial Regex ModuleTypeName();

    public static bool IsValidTypeName(string typeName) => ModuleTypeName().IsMatch(typeName);

    public static bool IsModuleType(string typeName) => typeName.EndsWith("::MODULE", StringComparison.Ordinal);

    /// <summary>Registers a new version from the package's bytes; refusals name what is wrong with the package.</summary>
    public ModuleVersion Register(string account, string region, string typeName, byte[] package, DateTimeOffset now)
    {
        if (!IsValidTypeName(typeName))
        {
            throw CloudFormationException.Validation($"Type name '{typeName}' is not a module type name: Organization::Service::Name::MODULE (letters and digits, 2 to 64 each).");
        }
        var (fragment, schema) = ReadPackage(package);
        var versions = _modules.GetOrAdd((account, region, typeName), _ => []);
        lock (versions)
        {
            var versionId = (versions.Count == 0 ? 1 : int.Parse(versions[^1].VersionId, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
            var arn = $"arn:aws:cloudformation:{region}:{account}:type/module/{typeName.Replace("::", "-", StringComparison.Ordinal)}/{versionId}";
            var version = new ModuleVersion(typeName, versionId, arn, fragment, schema, now);
            versions.Add(version);
            return version;
        }
    }

    /// <summary>The default (first registered) version of a module, or the version asked for; null when none.</summary>
    public ModuleVersion? Find(string account, string region, string typeName, string? versionId = null)
    {
        if (!_modules.TryGetValue((account, region, typeName), out var versions))
        {
            return null;
        }
        lock (versions)
        {
            return versionId is null ? versions.FirstOrDefault() : versions.FirstOrDefault(version => version.VersionId == versionId);
        }
    }

    /// <summary>Removes one version, or the whole type when no version is given; false when there was none.</summary>
    public bool Deregister(string account, string region, string typeName, string? versionId)
    {
        if (!_modules.TryGetValue((account, region, typeName), out var versions))
        {
            return false;
        }
        lock (versions)
        {
            var removed = versionId is null ? versions.RemoveAll(_ => true) : versions.RemoveAll(version => version.VersionId == versionId);
            if (versions.Count == 0)
            {
                _modules.TryRemove((account, region, typeName), out _);
            }
            return removed > 0;
        }
    }

    /// <summary>The fragment (fragments/NAME.json|yaml|yml, exactly one) and schema.json of a module package.</summary>
    private static (JsonObject Fragment, string Schema) ReadPackage(byte[] package)
    {
        try
        {
            using var archive = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read);
            var fragments = archive.Entries
                .Where(entry => entry.FullName.TrimStart('/').StartsWith("fragments/", StringComparison.Ordinal)
                    && new[] { ".json", ".yaml", ".yml" }.Contains(Path.GetExtension(entry.Name).ToLowerInvariant()))
                .ToList();
            if (fragments.Count != 1)
            {
                throw CloudFormationException.Validation($"The module package must hold exactly one template fragment under fragments/ (.json, .yaml or .yml); it holds {fragments.Count}.");
            }
            var schemaEntry = archive.Entries.FirstOrDefault(entry => entry.FullName == "schema.json")
                ?? throw CloudFormationException.Validation("The module package has no schema.json.");
            var fragment = TemplateParser.Parse(ReadText(fragments[0]));
            if (fragment["Resources"] is not JsonObject { Count: > 0 })
            {
                throw CloudFormationException.Validation("The module's template fragment must have a Resources section.");
            }
            return (fragment, ReadText(schemaEntry));
        }
        catch (InvalidDataException)
        {
            throw CloudFormationException.Validation("The module package is not a zip file.");
        }
    }

    private static string ReadText(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }
}
