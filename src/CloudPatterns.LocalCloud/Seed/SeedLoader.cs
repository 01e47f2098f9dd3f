using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace CloudPatterns.LocalCloud.Seed;

/// <summary>Reads a YAML seed file (format: seeds/sample-org.yaml) into a <see cref="SeedOrganization"/>.</summary>
internal static partial class SeedLoader
{
    private const string DefaultSeedResource = "CloudPatterns.LocalCloud.seeds.sample-org.yaml";
    private const int DefaultMaxSessionDurationSeconds = 3600;
    private const long FirstWorkloadAccountId = 900000000001;

    public static SeedOrganization Load(string? seedPath, int workloadAccountCount, DateTimeOffset joined)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workloadAccountCount);
        var source = seedPath ?? "the embedded default seed";
        using var reader = seedPath is null ? OpenDefaultSeed() : new StreamReader(seedPath);
        SeedFile file;
        try
        {
            file = new DeserializerBuilder()
                .WithNamingConvention(CamelCaseNamingConvention.Instance)
                .Build()
                .Deserialize<SeedFile>(reader) ?? throw new InvalidDataException($"Seed {source} is empty.");
        }
        catch (YamlException error)
        {
            throw new InvalidDataException($"Seed {source} is not valid: {error.Message}", error);
        }

        try
        {
            return Build(file, workloadAccountCount, joined);
        }
        catch (Exception error) when (error is FormatException or ArgumentException or JsonException or KeyNotFoundException)
        {
            throw new InvalidDataException($"Seed {source} is not valid: {error.Message}", error);
        }
    }

    private static StreamReader OpenDefaultSeed() =>
        new(typeof(SeedLoader).Assembly.GetManifestResourceStream(DefaultSeedResource)
            ?? throw new InvalidOperationException($"Resource {DefaultSeedResource} is missing from the build."));

    private static SeedOrganization Build(SeedFile file, int workloadAccountCount, DateTimeOffset joined)
    {
        var organization = file.Organization ?? throw new FormatException("'organization' is missing.");
        Require(OrganizationIdPattern(), organization.Id, "organization.id");
        Require(RootIdPattern(), organization.RootId, "organization.rootId");
        Require(AccountIdPattern(), organization.ManagementAccountId, "organization.managementAccountId");
        if (file.Regions.Count == 0)
        {
            throw new FormatException("'regions' must name at least one region.");
        }

        var units = new List<SeedOrganizationalUnit>();
        AddUnits(file.OrganizationalUnits, "", organization.RootId, organization.RootId[2..], units);
        var unitPaths = units.Select(unit => unit.Path).Append("/").ToHashSet(StringComparer.Ordinal);

        var accountEntries = file.Accounts.ToList();
        if (workloadAccountCount > 0)
        {
            var workload = file.WorkloadAccounts
                ?? throw new FormatException("'workloadAccounts' is missing, so --workload-accounts cannot generate accounts.");
            accountEntries.AddRange(Enumerable.Range(1, workloadAccountCount).Select(index => GenerateWorkloadAccount(workload, index)));
        }

        var accounts = new List<SeedAccount>();
        var accessKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in accountEntries)
        {
            Require(AccountIdPattern(), entry.Id, "accounts[].id");
            var isManagement = entry.Id == organization.ManagementAccountId;
            var admin = entry.Admin ?? throw new FormatException($"Account {entry.Id} has no 'admin' access key.");
            Require(LongTermAccessKeyPattern(), admin.AccessKeyId, $"accounts[{entry.Id}].admin.accessKeyId");
            if (string.IsNullOrEmpty(admin.SecretAccessKey) || !accessKeys.Add(admin.AccessKeyId))
            {
                throw new FormatException($"Account {entry.Id} needs a secretAccessKey and an accessKeyId no other account uses.");
            }

            if (!unitPaths.Contains(entry.OrganizationalUnit))
            {
                throw new FormatException($"Account {entry.Id} names organizational unit '{entry.OrganizationalUnit}', which the seed does not define.");
            }

            var roleEntries = isManagement ? entry.Roles : file.MemberAccountRoles.Concat(entry.Roles);
            var roles = roleEntries.Select(role => BuildRole(entry.Id, role)).ToList();
            var resources = entry.Resources.Select(resource => BuildResource(entry.Id, file.Regions, resource)).ToList();
            accounts.Add(new SeedAccount(
                entry.Id,
                entry.Name,
                entry.Email ?? $"{entry.Name}@example.com",
                entry.OrganizationalUnit,
                entry.Tags,
                new SeedAccessKey(admin.UserName, admin.AccessKeyId, admin.SecretAccessKey),
                roles,
                isManagement,
                joined)
            {
                Resources = resources,
            });
        }

        if (accounts.Select(account => account.Id).Distinct().Count() != accounts.Count)
        {
            throw new FormatException("Account ids must be unique.");
        }

        if (!accounts.Any(account => account.IsManagementAccount))
        {
            throw new FormatException($"The management account {organization.ManagementAccountId} is not among the accounts.");
        }

        return new SeedOrganization(organization.Id, organization.RootId, organization.ManagementAccountId, file.Regions, units, accounts)
        {
            Certificates = BuildCertificates(file.Certificates, file.Regions, unitPaths, accounts),
        };
    }

    // One ISSUED certificate per region for <account name>.<domainSuffix>, for each account in (or under) the named OUs.
    private static List<SeedCertificate> BuildCertificates(CertificatesEntry? entry, List<string> regions, HashSet<string> unitPaths, List<SeedAccount> accounts)
    {
        if (entry is null)
        {
            return [];
        }

        if (entry.OrganizationalUnits.FirstOrDefault(path => !unitPaths.Contains(path)) is { } unknown || string.IsNullOrEmpty(entry.DomainSuffix))
        {
            throw new FormatException($"'certificates' needs a domainSuffix and organizational units the seed defines ({string.Join(", ", entry.OrganizationalUnits)}).");
        }

        return accounts
            .Where(account => entry.OrganizationalUnits.Any(path => account.OrganizationalUnitPath == path || account.OrganizationalUnitPath.StartsWith(path + "/", StringComparison.Ordinal)))
            .SelectMany(account => regions.Select(region => new SeedCertificate(account.Id, region, $"{account.Name}.{entry.DomainSuffix}")))
            .ToList();
    }

    private static SeedRole BuildRole(string accountId, RoleEntry entry)
    {
        var maxSessionDuration = entry.MaxSessionDuration ?? DefaultMaxSessionDurationSeconds;
        if (maxSessionDuration is < 3600 or > 43200)
        {
            throw new FormatException($"Role {entry.Name} in {accountId}: maxSessionDuration must be 3600..43200 seconds, as in IAM.");
        }

        if (entry.ManagedPolicies.FirstOrDefault(arn => Authorization.ManagedPolicyDocuments.Find(arn) is null) is { } unknown)
        {
            throw new FormatException($"Role {entry.Name} in {accountId}: managed policy {unknown} is not one LocalCloud has a document for ({string.Join(", ", Authorization.ManagedPolicyDocuments.Arns)}).");
        }

        return new SeedRole(accountId, entry.Name, maxSessionDuration, entry.TrustPolicy, entry.ManagedPolicies);
    }

    private static SeedResource BuildResource(string accountId, List<string> regions, ResourceEntry entry)
    {
        if (!SeedResource.Types.Contains(entry.Type) || !regions.Contains(entry.Region) || string.IsNullOrEmpty(entry.Name))
        {
            throw new FormatException($"Resource '{entry.Name}' in {accountId} needs a type ({string.Join(", ", SeedResource.Types)}), a name and one of the seed's regions.");
        }

        if (entry.Contents.Count > 0 && entry.Type is not ("S3" or "EFS"))
        {
            throw new FormatException($"Resource '{entry.Name}' in {accountId} has contents, which only S3 buckets and EFS file systems hold.");
        }

        return new SeedResource(entry.Type, entry.Region, entry.Name, entry.Tags, entry.Properties, entry.Contents);
    }

    private static void AddUnits(List<OrganizationalUnitEntry> entries, string parentPath, string parentId, string rootSuffix, List<SeedOrganizationalUnit> units)
    {
        foreach (var entry in entries)
        {
            var path = $"{parentPath}/{entry.Name}";
            var unit = new SeedOrganizationalUnit(entry.Id ?? DeriveUnitId(rootSuffix, path), entry.Name, path, parentId, entry.Tags);
            Require(UnitIdPattern(), unit.Id, $"organizationalUnits[{path}].id");
            units.Add(unit);
            AddUnits(entry.Children, path, unit.Id, rootSuffix, units);
        }
    }

    // Stable ids keep OU ids the same from run to run, so tests and users can keep them.
    private static string DeriveUnitId(string rootSuffix, string path) =>
        $"ou-{rootSuffix}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(path)))[..8]}";

    private static AccountEntry GenerateWorkloadAccount(WorkloadAccountsEntry workload, int index)
    {
        var id = (FirstWorkloadAccountId + index - 1).ToString("D12", CultureInfo.InvariantCulture);
        var name = $"workload-{index:D4}";
        return new AccountEntry
        {
            Id = id,
            Name = name,
            OrganizationalUnit = workload.OrganizationalUnit,
            Tags = workload.Tags,
            Admin = new AccessKeyEntry
            {
                AccessKeyId = $"AKIALC{id}AD",
                SecretAccessKey = $"LocalCloudSandboxSecret{id}Admin",
            },
        };
    }

    private static void Require(Regex pattern, [NotNull] string? value, string field)
    {
        if (value is null || !pattern.IsMatch(value))
        {
            throw new FormatException($"'{field}' is '{value}', which does not match {pattern}.");
        }
    }

    [GeneratedRegex(@"^o-[a-z0-9]{10,32}$")]
    private static partial Regex OrganizationIdPattern();

    [GeneratedRegex(@"^r-[0-9a-z]{4,32}$")]
    private static partial Regex RootIdPattern();

    [GeneratedRegex(@"^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$")]
    private static partial Regex UnitIdPattern();

    [GeneratedRegex(@"^[0-9]{12}$")]
    private static partial Regex AccountIdPattern();

    [GeneratedRegex(@"^AKIA[A-Z0-9]{16}$")]
    private static partial Regex LongTermAccessKeyPattern();

    // YAML shapes; property names are the camelCase keys of the seed file.
    private sealed class SeedFile
    {
        public OrganizationEntry? Organization { get; set; }
        public List<string> Regions { get; set; } = [];
        public List<OrganizationalUnitEntry> OrganizationalUnits { get; set; } = [];
        public List<RoleEntry> MemberAccountRoles { get; set; } = [];
        public List<AccountEntry> Accounts { get; set; } = [];
        public WorkloadAccountsEntry? WorkloadAccounts { get; set; }
        public CertificatesEntry? Certificates { get; set; }
    }

    private sealed class CertificatesEntry
    {
        public List<string> OrganizationalUnits { get; set; } = [];
        public string DomainSuffix { get; set; } = "";
    }

    private sealed class OrganizationEntry
    {
        public string? Id { get; set; }
        public string? RootId { get; set; }
        public string? ManagementAccountId { get; set; }
    }

    private sealed class OrganizationalUnitEntry
    {
        public string? Id { get; set; }
        public string Name { get; set; } = "";
        public Dictionary<string, string> Tags { get; set; } = [];
        public List<OrganizationalUnitEntry> Children { get; set; } = [];
    }

    private sealed class RoleEntry
    {
        public string Name { get; set; } = "";
        public int? MaxSessionDuration { get; set; }
        public string TrustPolicy { get; set; } = "";

        public List<string> ManagedPolicies { get; set; } = [];
    }

    private sealed class AccountEntry
    {
        public string? Id { get; set; }
        public string Name { get; set; } = "";
        public string? Email { get; set; }
        public string OrganizationalUnit { get; set; } = "/";
        public Dictionary<string, string> Tags { get; set; } = [];
        public AccessKeyEntry? Admin { get; set; }
        public List<RoleEntry> Roles { get; set; } = [];
        public List<ResourceEntry> Resources { get; set; } = [];
    }

    private sealed class ResourceEntry
    {
        public string Type { get; set; } = "";
        public string Region { get; set; } = "";
        public string Name { get; set; } = "";
        public Dictionary<string, string> Tags { get; set; } = [];
        public Dictionary<string, string> Properties { get; set; } = [];
        public Dictionary<string, string> Contents { get; set; } = [];
    }

    private sealed class AccessKeyEntry
    {
        public string UserName { get; set; } = "admin";
        public string? AccessKeyId { get; set; }
        public string SecretAccessKey { get; set; } = "";
    }

    private sealed class WorkloadAccountsEntry
    {
        public string OrganizationalUnit { get; set; } = "/";
        public Dictionary<string, string> Tags { get; set; } = [];
    }
}
