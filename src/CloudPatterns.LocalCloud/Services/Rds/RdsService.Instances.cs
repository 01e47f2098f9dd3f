using System.Text.RegularExpressions;
using System.Xml.Linq;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Rds;

/// <summary>
/// CreateDBInstance (docs/localcloud-rds.md, "CreateDBInstance"): a stand-alone instance (engine, class, storage,
/// credentials, Multi-AZ) or a member of an Aurora cluster (DBClusterIdentifier), with the checks RDS makes before
/// anything is created. The master password is checked and never kept.
/// </summary>
internal sealed partial class RdsService
{
    /// <summary>The engines CreateDBInstance accepts (the API reference's list of Engine values).</summary>
    private static readonly string[] Engines =
    [
        "aurora-mysql", "aurora-postgresql", "mysql", "mariadb", "postgres", "oracle-ee", "oracle-ee-cdb", "oracle-se2", "oracle-se2-cdb",
        "sqlserver-ee", "sqlserver-se", "sqlserver-ex", "sqlserver-web", "db2-ae", "db2-se",
    ];

    /// <summary>The instance parameters kept as attributes, by their API names.</summary>
    private static readonly string[] InstanceSettings =
        ["DBInstanceClass", "Engine", "EngineVersion", "AllocatedStorage", "StorageType", "PromotionTier", DeletionProtectionAttribute, SubnetGroupAttribute];

    private IEnumerable<XElement> CreateDBInstance(AwsRequest request, QueryParameters parameters)
    {
        var identifier = RequiredIdentifier(parameters);
        var instanceClass = parameters.Get("DBInstanceClass")
            ?? throw AwsServiceException.Validation("ValidationError", ["Value null at 'dBInstanceClass' failed to satisfy constraint: Member must not be null"]);
        var engine = parameters.Get("Engine")
            ?? throw AwsServiceException.Validation("ValidationError", ["Value null at 'engine' failed to satisfy constraint: Member must not be null"]);
        if (!ClusterIdentifierPattern().IsMatch(identifier))
        {
            throw new AwsServiceException(400, "InvalidParameterValue", "The parameter DBInstanceIdentifier is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.");
        }

        if (!Engines.Contains(engine, StringComparer.Ordinal))
        {
            throw new AwsServiceException(400, "InvalidParameterValue", $"Invalid DB engine: {engine}. Allowed: {string.Join(", ", Engines)}.");
        }

        if (!InstanceClassPattern().IsMatch(instanceClass))
        {
            throw new AwsServiceException(400, "InvalidParameterValue", $"Invalid DB Instance class: {instanceClass}. A class is db.FAMILY.SIZE, e.g. db.t3.small.");
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in InstanceSettings)
        {
            if (parameters.Get(name) is { Length: > 0 } value)
            {
                attributes[name] = name == DeletionProtectionAttribute ? value.ToLowerInvariant() : value;
            }
        }

        var groups = Members(parameters, "VpcSecurityGroupIds", "VpcSecurityGroupId");
        if (groups.Count > 0)
        {
            attributes[SecurityGroupsAttribute] = System.Text.Json.JsonSerializer.Serialize(groups);
        }

        var zone = parameters.Get("AvailabilityZone");
        var multiAz = string.Equals(parameters.Get("MultiAZ"), "true", StringComparison.OrdinalIgnoreCase);
        if (parameters.Get("DBClusterIdentifier") is { } clusterIdentifier)
        {
            CheckClusterMember(request, parameters, engine, clusterIdentifier, multiAz);
            attributes["DBClusterIdentifier"] = clusterIdentifier;
        }
        else
        {
            CheckStandAlone(parameters, engine, zone, multiAz);
            attributes["MultiAZ"] = multiAz ? "true" : "false";
        }

        if (zone is not null)
        {
            attributes["AvailabilityZone"] = zone.StartsWith(request.Region, StringComparison.Ordinal) && zone.Length == request.Region.Length + 1
                ? zone
                : throw new AwsServiceException(400, "InvalidParameterValue", $"Invalid availability zone: {zone}. Zones of {request.Region}: {request.Region}a, {request.Region}b, {request.Region}c.");
        }

        attributes = AuroraClusters.Join(resources, request.AccountId, request.Region, attributes, zoneGiven: zone is not null);
        attributes.TryAdd("AvailabilityZone", request.Region + "a");
        var instance = new CloudResource(ResourceKind.RdsDbInstance, request.AccountId, request.Region, identifier.ToLowerInvariant(), failovers.Now, Tags(parameters), attributes);
        if (!resources.TryAdd(instance))
        {
            throw new AwsServiceException(400, "DBInstanceAlreadyExists", "DB instance already exists");
        }

        yield return DBInstance(instance, "creating");
    }

    /// <summary>A cluster member takes its engine, credentials, storage and availability from the cluster.</summary>
    private void CheckClusterMember(AwsRequest request, QueryParameters parameters, string engine, string clusterIdentifier, bool multiAz)
    {
        var cluster = AuroraClusters.Find(resources, request.AccountId, request.Region, clusterIdentifier);
        if (cluster.Attributes.GetValueOrDefault("Engine") is { } clusterEngine && clusterEngine != engine)
        {
            throw new AwsServiceException(400, "InvalidParameterCombination", $"The engine name requested for your DB instance ({engine}) doesn't match the engine name of your DB cluster ({clusterEngine}).");
        }

        var clusterOwned = new[] { "MasterUsername", "MasterUserPassword", "ManageMasterUserPassword", "AllocatedStorage", "BackupRetentionPeriod" }
            .Where(name => parameters.Get(name) is { Length: > 0 }).ToList();
        if (multiAz)
        {
            clusterOwned.Add("MultiAZ");
        }

        if (clusterOwned.Count > 0)
        {
            throw new AwsServiceException(400, "InvalidParameterCombination", $"The requested DB instance will be a member of DB cluster {cluster.Name}, which sets {string.Join(", ", clusterOwned)}: leave them out of CreateDBInstance.");
        }
    }

    /// <summary>A stand-alone instance: not Aurora, credentials, storage in RDS's range, no zone with Multi-AZ.</summary>
    private static void CheckStandAlone(QueryParameters parameters, string engine, string? zone, bool multiAz)
    {
        if (AuroraClusters.IsAurora(engine))
        {
            throw new AwsServiceException(400, "InvalidParameterValue", $"An {engine} DB instance is a member of a DB cluster: give DBClusterIdentifier (create the cluster with CreateDBCluster first).");
        }

        CheckCredentials(parameters);
        var storage = parameters.Get("AllocatedStorage");
        if (!int.TryParse(storage, out var gibibytes) || gibibytes is < 20 or > 65536)
        {
            var type = parameters.Get("StorageType") ?? "gp2";
            throw new AwsServiceException(400, storage is null ? "InvalidParameterValue" : "InvalidParameterCombination", storage is null
                ? $"The parameter AllocatedStorage must be provided for {engine}: 20 to 65536 GiB."
                : $"Invalid storage size for engine name {engine} and storage type {type}: {storage}");
        }

        if (multiAz && zone is not null)
        {
            throw new AwsServiceException(400, "InvalidParameterCombination", "Requesting a specific availability zone is not valid for Multi-AZ instances.");
        }
    }

    /// <summary>MasterUsername and exactly one of MasterUserPassword and ManageMasterUserPassword (CreateDBInstance, CreateDBCluster, AWS::RDS::DBCluster).</summary>
    internal static void CheckCredentials(Func<string, string?> setting)
    {
        if (string.IsNullOrWhiteSpace(setting("MasterUsername")))
        {
            throw new AwsServiceException(400, "InvalidParameterValue", "The parameter MasterUsername must be provided and must not be blank.");
        }

        var managed = string.Equals(setting("ManageMasterUserPassword"), "true", StringComparison.OrdinalIgnoreCase);
        if (managed == !string.IsNullOrEmpty(setting("MasterUserPassword")))
        {
            throw new AwsServiceException(400, managed ? "InvalidParameterCombination" : "InvalidParameterValue", managed
                ? "You can't specify MasterUserPassword and ManageMasterUserPassword at the same time."
                : "The parameter MasterUserPassword must be provided and must not be blank.");
        }
    }

    private static void CheckCredentials(QueryParameters parameters) => CheckCredentials(name => parameters.Get(name));

    /// <summary>
    /// A Query list of RDS: botocore names each item by the list's member name (<c>Tags.Tag.1</c>,
    /// <c>VpcSecurityGroupIds.VpcSecurityGroupId.1</c>); the generic <c>.member.N</c> form is read too.
    /// </summary>
    private static IReadOnlyList<string> Members(QueryParameters parameters, string list, string member) =>
        parameters.GetList(list) is { Count: > 0 } generic ? generic : Enumerable.Range(1, int.MaxValue).Select(index => parameters.Get($"{list}.{member}.{index}")).TakeWhile(item => item is not null).Select(item => item!).ToList();

    /// <summary>Tags of a create call (<c>Tags.Tag.N.Key</c>/<c>Value</c>, or <c>Tags.member.N</c>).</summary>
    private static Dictionary<string, string> Tags(QueryParameters parameters)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in new[] { "Tag", "member" })
        {
            for (var index = 1; parameters.Get($"Tags.{member}.{index}.Key") is { } key; index++)
            {
                tags[key] = parameters.Get($"Tags.{member}.{index}.Value") ?? "";
            }
        }

        return tags;
    }

    [GeneratedRegex(@"^db\.[a-z0-9]+(-[a-z0-9]+)?\.[a-z0-9]+$")]
    private static partial Regex InstanceClassPattern();
}
