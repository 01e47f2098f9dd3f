using System.Xml.Linq;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Rds;

/// <summary>
/// RDS (Query, 2014-10-31): DB instances — create (RdsService.Instances.cs), describe, delete (refused while deletion protection is
/// on), modify deletion protection, list tags; Multi-AZ failover (RebootDBInstance with ForceFailover) and its events
/// (<see cref="RdsFailovers"/>); Aurora clusters (RdsService.Clusters.cs).
/// </summary>
internal sealed partial class RdsService : QueryService
{
    private readonly CloudResourceStore resources;
    private readonly RdsFailovers failovers;

    public RdsService(CloudResourceStore resources, RdsFailovers failovers)
        : base("rds", "2014-10-31", "http://rds.amazonaws.com/doc/2014-10-31/")
    {
        this.resources = resources;
        this.failovers = failovers;
        AddOperation("RebootDBInstance", mutating: true, RebootDBInstance);
        AddOperation("DescribeEvents", mutating: false, DescribeEvents);
        AddOperation("DescribeDBInstances", mutating: false, DescribeDBInstances);
        AddOperation("CreateDBInstance", mutating: true, CreateDBInstance);
        AddOperation("DeleteDBInstance", mutating: true, DeleteDBInstance);
        AddOperation("ModifyDBInstance", mutating: true, ModifyDBInstance);
        AddOperation("ListTagsForResource", mutating: false, ListTagsForResource);
        AddClusterOperations();
    }

    private IEnumerable<XElement> DescribeDBInstances(AwsRequest request, QueryParameters parameters)
    {
        failovers.Settle();
        var instances = parameters.Get("DBInstanceIdentifier") is { } identifier
            ? [Find(request, identifier)]
            : resources.List(ResourceKind.RdsDbInstance, request.AccountId, request.Region);
        yield return Element("DBInstances", instances.Select(instance => DBInstance(instance, Status(instance))).ToList());
    }

    /// <summary>The attribute that holds an instance's DeletionProtection ("true"/"false"; absent is AWS's default, off).</summary>
    internal const string DeletionProtectionAttribute = "DeletionProtection";

    /// <summary>
    /// The attributes that place an instance in a VPC: its DB subnet group's name and its security groups (a JSON array
    /// of ids). They carry the names of RestoreDBInstanceFromDBSnapshot's parameters, so a backup's restore metadata
    /// shows them and a restore's metadata overrides them (docs/localcloud-backup.md, "Restore targets").
    /// </summary>
    internal const string SubnetGroupAttribute = "DBSubnetGroupName";

    internal const string SecurityGroupsAttribute = "VpcSecurityGroupIds";

    /// <summary>AWS's refusal to delete an instance whose deletion protection is on (the API's and CloudFormation's delete).</summary>
    internal static void EnsureDeletable(CloudResource instance)
    {
        if (IsDeletionProtected(instance))
        {
            throw new AwsServiceException(400, "InvalidParameterCombination", "Cannot delete protected DB Instance, please disable deletion protection and try again.");
        }
    }

    /// <summary>
    /// AWS::RDS::DBInstance and DBCluster have registry handlers, whose failures CloudFormation reports as
    /// "Resource handler returned message: "… (Service: Rds, Status Code: 400, Request ID: …)" (RequestToken: …,
    /// HandlerErrorCode: InvalidRequest)". Inferred from the registry's format; no real deletion-protection quote found.
    /// </summary>
    internal static string HandlerFailure(AwsServiceException error) =>
        $"Resource handler returned message: \"{error.Message} (Service: Rds, Status Code: {error.StatusCode}, Request ID: {Guid.NewGuid()})\" " +
        $"(RequestToken: {Guid.NewGuid()}, HandlerErrorCode: {(error.StatusCode == 404 ? "NotFound" : "InvalidRequest")})";

    private static bool IsDeletionProtected(CloudResource instance) =>
        string.Equals(instance.Attributes.GetValueOrDefault(DeletionProtectionAttribute), "true", StringComparison.OrdinalIgnoreCase);

    private IEnumerable<XElement> DeleteDBInstance(AwsRequest request, QueryParameters parameters)
    {
        var instance = Find(request, RequiredIdentifier(parameters));
        EnsureDeletable(instance);
        resources.Remove(instance.Arn);
        yield return DBInstance(instance, "deleting");
    }

    /// <summary>
    /// Changes deletion protection, the one setting LocalCloud's instances can change. AWS applies it at once whatever
    /// ApplyImmediately says (the RDS guide's table of modifiable settings), so ApplyImmediately is accepted and ignored.
    /// </summary>
    private IEnumerable<XElement> ModifyDBInstance(AwsRequest request, QueryParameters parameters)
    {
        var instance = Find(request, RequiredIdentifier(parameters));
        if (parameters.Get("DeletionProtection") is { } protection)
        {
            var attributes = new Dictionary<string, string>(instance.Attributes, StringComparer.Ordinal)
            {
                [DeletionProtectionAttribute] = string.Equals(protection, "true", StringComparison.OrdinalIgnoreCase) ? "true" : "false",
            };
            instance = instance with { Attributes = attributes };
            resources.Replace(instance);
        }

        yield return DBInstance(instance, Status(instance));
    }

    private string Status(CloudResource instance) => failovers.State(instance).Rebooting ? "rebooting" : "available";

    /// <summary>
    /// RebootDBInstance: with ForceFailover a Multi-AZ instance fails over to its standby (60–120 simulated seconds,
    /// "rebooting" meanwhile); refused for a Single-AZ instance and while a reboot is under way. A plain reboot is
    /// immediate here (LocalCloud runs no database engine).
    /// </summary>
    private IEnumerable<XElement> RebootDBInstance(AwsRequest request, QueryParameters parameters)
    {
        failovers.Settle();
        var instance = Find(request, RequiredIdentifier(parameters));
        var forceFailover = string.Equals(parameters.Get("ForceFailover"), "true", StringComparison.OrdinalIgnoreCase);
        if (forceFailover && !RdsFailovers.IsMultiAz(instance))
        {
            throw new AwsServiceException(400, "InvalidParameterCombination", $"Cannot reboot DB instance {instance.Name} with force failover because it is not a Multi-AZ DB instance.");
        }

        if (failovers.State(instance).FailingOver)
        {
            throw new AwsServiceException(400, "InvalidDBInstanceState", $"DB instance {instance.Name} is not in available state.");
        }

        if (forceFailover)
        {
            failovers.Start(instance, rebooting: true);
        }

        return [DBInstance(instance, forceFailover ? "rebooting" : "available")];
    }

    /// <summary>DescribeEvents: failover events of the last Duration minutes (default 60), or between StartTime and EndTime.</summary>
    private IEnumerable<XElement> DescribeEvents(AwsRequest request, QueryParameters parameters)
    {
        failovers.Settle();
        var now = failovers.Now;
        var end = Time(parameters, "EndTime") ?? now;
        var start = Time(parameters, "StartTime") ?? end - TimeSpan.FromMinutes(int.TryParse(parameters.Get("Duration"), out var minutes) ? minutes : 60);
        var (source, type) = (parameters.Get("SourceIdentifier"), parameters.Get("SourceType"));
        if (source is not null && type is null)
        {
            throw new AwsServiceException(400, "InvalidParameterCombination", "Cannot specify source identifier without source type");
        }

        var categories = parameters.GetList("EventCategories");
        var selected = failovers.Events(request.AccountId, request.Region).Where(entry => entry.Date >= start && entry.Date <= end
            && (source is null || entry.SourceIdentifier == source) && (type is null || entry.SourceType == type)
            && (categories.Count == 0 || categories.Contains(entry.Category)));
        return [Element("Events", selected.Select(entry => Element("Event", new[]
        {
            Element("SourceIdentifier", entry.SourceIdentifier),
            Element("SourceType", entry.SourceType),
            Element("Message", entry.Message),
            Element("EventCategories", Element("EventCategory", entry.Category)),
            Element("Date", Timestamp(entry.Date)),
            Element("SourceArn", entry.SourceArn),
        })).ToList())];
    }

    private static DateTimeOffset? Time(QueryParameters parameters, string name) =>
        parameters.Get(name) is { } text ? DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal) : null;

    private static string RequiredIdentifier(QueryParameters parameters) =>
        parameters.Get("DBInstanceIdentifier")
            ?? throw AwsServiceException.Validation("ValidationError", ["Value null at 'dBInstanceIdentifier' failed to satisfy constraint: Member must not be null"]);

    private IEnumerable<XElement> ListTagsForResource(AwsRequest request, QueryParameters parameters)
    {
        var arn = parameters.Get("ResourceName") ?? "";
        var instance = resources.Find(arn) is { } found && (found.Kind == ResourceKind.RdsDbInstance || found.Kind == ResourceKind.AuroraCluster) && found.AccountId == request.AccountId
            ? found
            : throw (arn.Contains(":cluster:", StringComparison.Ordinal) ? AuroraClusters.NotFound(arn.Split(':')[^1]) : NotFound(arn.Split(':')[^1]));
        yield return TagList(instance);
    }

    private CloudResource Find(AwsRequest request, string identifier) =>
        resources.Find(ResourceKind.RdsDbInstance, request.AccountId, request.Region, identifier) ?? throw NotFound(identifier);

    internal static AwsServiceException NotFound(string identifier) => new(404, "DBInstanceNotFound", $"DBInstance {identifier} not found.");

    /// <summary>
    /// A DBInstance as DescribeDBInstances shows it. Members the instance has no value for are left out, never sent
    /// empty: botocore parses an empty integer member as an error for the whole response. Aurora instances report
    /// AllocatedStorage 1 (their storage belongs to the cluster), others the template's or RDS's default of 20.
    /// </summary>
    private XElement DBInstance(CloudResource instance, string status)
    {
        var engine = instance.Attributes.GetValueOrDefault("Engine") ?? "mysql";
        var allocatedStorage = engine.StartsWith("aurora", StringComparison.Ordinal) ? "1" : instance.Attributes.GetValueOrDefault("AllocatedStorage") ?? "20";
        return Element("DBInstance", new object?[]
        {
            Element("DBInstanceIdentifier", instance.Name),
            Optional("DBInstanceClass", instance.Attributes.GetValueOrDefault("DBInstanceClass")),
            Element("Engine", engine),
            Element("DBInstanceStatus", status),
            Element("AllocatedStorage", allocatedStorage),
            Element("InstanceCreateTime", Timestamp(instance.CreationTime)),
            Element("Endpoint", new[] { Element("Address", RdsEndpoint.Host(instance)), Element("Port", RdsEndpoint.Port(engine)) }),
            Element("AvailabilityZone", RdsFailovers.Primary(instance)),
            Optional("SecondaryAvailabilityZone", RdsFailovers.Secondary(instance)),
            Element("MultiAZ", instance.Attributes.GetValueOrDefault("MultiAZ") ?? "false"),
            Optional("EngineVersion", instance.Attributes.GetValueOrDefault("EngineVersion")),
            Optional("DBClusterIdentifier", instance.Attributes.GetValueOrDefault("DBClusterIdentifier")),
            instance.Attributes.GetValueOrDefault(SubnetGroupAttribute) is { Length: > 0 } subnetGroup
                ? Element("DBSubnetGroup", new[] { Element("DBSubnetGroupName", subnetGroup), Element("SubnetGroupStatus", "Complete") })
                : null,
            Element("VpcSecurityGroups", SecurityGroups(instance).Select(group => Element("VpcSecurityGroupMembership", new[] { Element("VpcSecurityGroupId", group), Element("Status", "active") }))),
            Element("StorageEncrypted", "true"),
            Element("DeletionProtection", IsDeletionProtected(instance) ? "true" : "false"),
            Element("DBInstanceArn", instance.Arn),
            TagList(instance),
        });
    }

    /// <summary>The instance's VPC security groups (<see cref="SecurityGroupsAttribute"/>); none when it names none.</summary>
    internal static IReadOnlyList<string> SecurityGroups(CloudResource instance) => SecurityGroups(instance.Attributes.GetValueOrDefault(SecurityGroupsAttribute));

    /// <summary>VPC security group ids as kept or given in restore metadata: a JSON array, or ids separated by commas.</summary>
    internal static IReadOnlyList<string> SecurityGroups(string? text) =>
        text switch
        {
            { Length: > 0 } groups when groups.TrimStart().StartsWith('[') => System.Text.Json.JsonSerializer.Deserialize<string[]>(groups) ?? [],
            { Length: > 0 } groups => groups.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            _ => [],
        };

    private XElement TagList(CloudResource resource) =>
        Element("TagList", resource.Tags.Select(tag => Element("Tag", new[] { Element("Key", tag.Key), Element("Value", tag.Value) })));

    private XElement? Optional(string name, string? value) => string.IsNullOrEmpty(value) ? null : Element(name, value);
}
