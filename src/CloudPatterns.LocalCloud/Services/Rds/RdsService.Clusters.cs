using System.Text.RegularExpressions;
using System.Xml.Linq;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Rds;

/// <summary>
/// Aurora DB clusters (docs/localcloud-rds.md, "Aurora clusters"): CreateDBCluster, DescribeDBClusters,
/// ModifyDBCluster (deletion protection, backup retention), DeleteDBCluster (refused while it has instances or
/// deletion protection), FailoverDBCluster (a reader promoted on the sandbox clock, <see cref="RdsFailovers"/>).
/// </summary>
internal sealed partial class RdsService
{
    /// <summary>The attributes the API and CloudFormation set on a cluster record, by their API parameter names.</summary>
    internal static readonly string[] ClusterSettings = ["Engine", "EngineVersion", "MasterUsername", "DatabaseName", "Port", "BackupRetentionPeriod", "StorageEncrypted", "KmsKeyId", DeletionProtectionAttribute, SubnetGroupAttribute];

    private void AddClusterOperations()
    {
        AddOperation("CreateDBCluster", mutating: true, CreateDBCluster);
        AddOperation("DescribeDBClusters", mutating: false, DescribeDBClusters);
        AddOperation("ModifyDBCluster", mutating: true, ModifyDBCluster);
        AddOperation("DeleteDBCluster", mutating: true, DeleteDBCluster);
        AddOperation("FailoverDBCluster", mutating: true, FailoverDBCluster);
    }

    /// <summary>
    /// CreateDBCluster for Aurora MySQL and PostgreSQL. The master password (MasterUserPassword, or
    /// ManageMasterUserPassword) is required and never kept: LocalCloud runs no database engine.
    /// </summary>
    private IEnumerable<XElement> CreateDBCluster(AwsRequest request, QueryParameters parameters)
    {
        var identifier = parameters.Get("DBClusterIdentifier")
            ?? throw AwsServiceException.Validation("ValidationError", ["Value null at 'dBClusterIdentifier' failed to satisfy constraint: Member must not be null"]);
        var engine = parameters.Get("Engine")
            ?? throw AwsServiceException.Validation("ValidationError", ["Value null at 'engine' failed to satisfy constraint: Member must not be null"]);
        if (!ClusterIdentifierPattern().IsMatch(identifier))
        {
            throw new AwsServiceException(400, "InvalidParameterValue", "The parameter DBClusterIdentifier is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.");
        }

        CheckNewCluster(engine, name => parameters.Get(name));
        var attributes = NewClusterAttributes(engine, name => parameters.Get(name));
        if (Members(parameters, "VpcSecurityGroupIds", "VpcSecurityGroupId") is { Count: > 0 } groups)
        {
            attributes[SecurityGroupsAttribute] = System.Text.Json.JsonSerializer.Serialize(groups);
        }

        var tags = Tags(parameters);
        var cluster = new CloudResource(ResourceKind.AuroraCluster, request.AccountId, request.Region, identifier.ToLowerInvariant(), failovers.Now, tags, attributes);
        if (!resources.TryAdd(cluster))
        {
            throw ClusterExists();
        }

        yield return DBCluster(cluster, "creating");
    }

    /// <summary>
    /// The checks CreateDBCluster and AWS::RDS::DBCluster make on a new cluster: an Aurora engine and the master
    /// credentials. A template cluster restored from a snapshot or a source cluster takes both from its source.
    /// </summary>
    internal static void CheckNewCluster(string engine, Func<string, string?> setting)
    {
        if (!AuroraClusters.IsAurora(engine))
        {
            throw new AwsServiceException(400, "InvalidParameterValue", $"Invalid DB engine: {engine}. LocalCloud's DB clusters are Aurora: aurora-mysql or aurora-postgresql.");
        }

        if (setting("SnapshotIdentifier") is null && setting("SourceDBClusterIdentifier") is null)
        {
            CheckCredentials(setting);
        }
    }

    internal static AwsServiceException ClusterExists() => new(400, "DBClusterAlreadyExistsFault", "DB Cluster already exists");

    /// <summary>A new cluster's attributes from its settings (API parameters or template properties), with RDS's defaults.</summary>
    internal static Dictionary<string, string> NewClusterAttributes(string engine, Func<string, string?> setting)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Port"] = RdsEndpoint.Port(engine),
            ["BackupRetentionPeriod"] = "1",
            ["StorageEncrypted"] = "false",
            ["DbClusterResourceId"] = "cluster-" + ResourceKind.RandomHex(26).ToUpperInvariant(),
        };
        foreach (var name in ClusterSettings)
        {
            if (setting(name) is { Length: > 0 } value)
            {
                attributes[name] = value is "True" or "False" ? value.ToLowerInvariant() : value;
            }
        }

        return attributes;
    }

    private IEnumerable<XElement> DescribeDBClusters(AwsRequest request, QueryParameters parameters)
    {
        failovers.Settle();
        var clusters = parameters.Get("DBClusterIdentifier") is { } identifier
            ? [AuroraClusters.Find(resources, request.AccountId, request.Region, identifier)]
            : resources.List(ResourceKind.AuroraCluster, request.AccountId, request.Region);
        yield return Element("DBClusters", clusters.Select(cluster => DBCluster(cluster, ClusterStatus(cluster))).ToList());
    }

    /// <summary>ModifyDBCluster: DeletionProtection and BackupRetentionPeriod (1–35 days), applied at once as AWS does.</summary>
    private IEnumerable<XElement> ModifyDBCluster(AwsRequest request, QueryParameters parameters)
    {
        failovers.Settle();
        var cluster = AuroraClusters.Find(resources, request.AccountId, request.Region, RequiredClusterIdentifier(parameters));
        var attributes = new Dictionary<string, string>(cluster.Attributes, StringComparer.Ordinal);
        if (parameters.Get("BackupRetentionPeriod") is { } retention)
        {
            attributes["BackupRetentionPeriod"] = int.TryParse(retention, out var days) && days is >= 1 and <= 35
                ? retention
                : throw new AwsServiceException(400, "InvalidParameterValue", $"Invalid backup retention period: {retention}. It must be between 1 and 35 days.");
        }

        if (parameters.Get("DeletionProtection") is { } protection)
        {
            attributes[DeletionProtectionAttribute] = string.Equals(protection, "true", StringComparison.OrdinalIgnoreCase) ? "true" : "false";
        }

        cluster = cluster with { Attributes = attributes };
        resources.Replace(cluster);
        yield return DBCluster(cluster, ClusterStatus(cluster));
    }

    /// <summary>AWS's refusals to delete a cluster: deletion protection, then instances still in it.</summary>
    internal static void EnsureClusterDeletable(CloudResourceStore resources, CloudResource cluster)
    {
        if (IsDeletionProtected(cluster))
        {
            throw new AwsServiceException(400, "InvalidParameterCombination", "Cannot delete protected Cluster, please disable deletion protection and try again.");
        }

        if (AuroraClusters.Members(resources, cluster).Count > 0)
        {
            throw new AwsServiceException(400, "InvalidDBClusterStateFault", "Cluster cannot be deleted, it still contains DB instances in non-deleting state.");
        }
    }

    private IEnumerable<XElement> DeleteDBCluster(AwsRequest request, QueryParameters parameters)
    {
        var cluster = AuroraClusters.Find(resources, request.AccountId, request.Region, RequiredClusterIdentifier(parameters));
        if (!string.Equals(parameters.Get("SkipFinalSnapshot"), "true", StringComparison.OrdinalIgnoreCase) && parameters.Get("FinalDBSnapshotIdentifier") is null)
        {
            throw new AwsServiceException(400, "InvalidParameterCombination", "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.");
        }

        EnsureClusterDeletable(resources, cluster);
        resources.Remove(cluster.Arn);
        yield return DBCluster(cluster, "deleting");
    }

    /// <summary>
    /// FailoverDBCluster: promotes TargetDBInstanceIdentifier, else a reader (<see cref="RdsFailovers.PromotionCandidate"/>);
    /// refused for a cluster without a reader, while a failover is under way, and for a target that is not a reader of it.
    /// </summary>
    private IEnumerable<XElement> FailoverDBCluster(AwsRequest request, QueryParameters parameters)
    {
        failovers.Settle();
        var cluster = AuroraClusters.Find(resources, request.AccountId, request.Region, RequiredClusterIdentifier(parameters));
        var target = failovers.ClusterFailover(cluster, parameters.Get("TargetDBInstanceIdentifier"));
        failovers.StartCluster(cluster, target.Writer, target.Target);
        yield return DBCluster(cluster, "failing-over");
    }

    private string ClusterStatus(CloudResource cluster) => failovers.ClusterFailoverTarget(cluster) is null ? "available" : "failing-over";

    private static string RequiredClusterIdentifier(QueryParameters parameters) =>
        parameters.Get("DBClusterIdentifier")
            ?? throw AwsServiceException.Validation("ValidationError", ["Value null at 'dBClusterIdentifier' failed to satisfy constraint: Member must not be null"]);

    private XElement DBCluster(CloudResource cluster, string status)
    {
        var members = AuroraClusters.Members(resources, cluster);
        var writer = AuroraClusters.Writer(members, cluster);
        var zones = members.Select(RdsFailovers.Primary).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var setting = (string name) => cluster.Attributes.GetValueOrDefault(name);
        return Element("DBCluster", new object?[]
        {
            Element("AllocatedStorage", "1"),
            Element("AvailabilityZones", (zones.Count > 0 ? zones : [cluster.Region + "a", cluster.Region + "b", cluster.Region + "c"]).Select(zone => Element("AvailabilityZone", zone))),
            Element("BackupRetentionPeriod", setting("BackupRetentionPeriod") ?? "1"),
            Optional("DatabaseName", setting("DatabaseName")),
            Element("DBClusterIdentifier", cluster.Name),
            Element("Status", status),
            Optional("DBSubnetGroup", setting(SubnetGroupAttribute)),
            Element("Endpoint", RdsEndpoint.ClusterHost(cluster)),
            Element("ReaderEndpoint", RdsEndpoint.ReaderHost(cluster)),
            Element("MultiAZ", zones.Count > 1 ? "true" : "false"),
            Element("Engine", setting("Engine") ?? "aurora-mysql"),
            Optional("EngineVersion", setting("EngineVersion")),
            Element("Port", setting("Port") ?? RdsEndpoint.Port(setting("Engine") ?? "aurora-mysql")),
            Optional("MasterUsername", setting("MasterUsername")),
            Element("DBClusterMembers", members.Select(member => Element("DBClusterMember", new[]
            {
                Element("DBInstanceIdentifier", member.Name),
                Element("IsClusterWriter", member.Name == writer?.Name ? "true" : "false"),
                Element("DBClusterParameterGroupStatus", "in-sync"),
                Element("PromotionTier", member.Attributes.GetValueOrDefault("PromotionTier") ?? "1"),
            }))),
            Element("VpcSecurityGroups", SecurityGroups(cluster).Select(group => Element("VpcSecurityGroupMembership", new[] { Element("VpcSecurityGroupId", group), Element("Status", "active") }))),
            Element("StorageEncrypted", setting("StorageEncrypted") ?? "false"),
            Optional("KmsKeyId", setting("KmsKeyId")),
            Element("DbClusterResourceId", setting("DbClusterResourceId") ?? "cluster-" + cluster.Name.ToUpperInvariant()),
            Element("DBClusterArn", cluster.Arn),
            Element("ClusterCreateTime", Timestamp(cluster.CreationTime)),
            Element("EngineMode", "provisioned"),
            Element("DeletionProtection", IsDeletionProtected(cluster) ? "true" : "false"),
            TagList(cluster),
        });
    }

    /// <summary>RDS's identifier rule for clusters and instances: a letter first; letters, digits, hyphens; no trailing or double hyphen; 1–63 characters.</summary>
    [GeneratedRegex("^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}(?<!-)$")]
    internal static partial Regex ClusterIdentifierPattern();
}
