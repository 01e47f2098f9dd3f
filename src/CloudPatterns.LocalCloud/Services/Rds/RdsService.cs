using System.Xml.Linq;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Rds;

/// <summary>
/// RDS (Query, 2014-10-31): DB instances as restore targets — describe, delete (refused while deletion protection is
/// on), modify deletion protection, list tags.
/// </summary>
internal sealed class RdsService : QueryService
{
    private readonly CloudResourceStore resources;

    public RdsService(CloudResourceStore resources)
        : base("rds", "2014-10-31", "http://rds.amazonaws.com/doc/2014-10-31/")
    {
        this.resources = resources;
        AddOperation("DescribeDBInstances", mutating: false, DescribeDBInstances);
        AddOperation("DeleteDBInstance", mutating: true, DeleteDBInstance);
        AddOperation("ModifyDBInstance", mutating: true, ModifyDBInstance);
        AddOperation("ListTagsForResource", mutating: false, ListTagsForResource);
    }

    private IEnumerable<XElement> DescribeDBInstances(AwsRequest request, QueryParameters parameters)
    {
        var instances = parameters.Get("DBInstanceIdentifier") is { } identifier
            ? [Find(request, identifier)]
            : resources.List(ResourceKind.RdsDbInstance, request.AccountId, request.Region);
        yield return Element("DBInstances", instances.Select(instance => DBInstance(instance, "available")));
    }

    /// <summary>The attribute that holds an instance's DeletionProtection ("true"/"false"; absent is AWS's default, off).</summary>
    internal const string DeletionProtectionAttribute = "DeletionProtection";

    /// <summary>AWS's refusal to delete an instance whose deletion protection is on (the API's and CloudFormation's delete).</summary>
    internal static void EnsureDeletable(CloudResource instance)
    {
        if (IsDeletionProtected(instance))
        {
            throw new AwsServiceException(400, "InvalidParameterCombination", "Cannot delete protected DB Instance, please disable deletion protection and try again.");
        }
    }

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

        yield return DBInstance(instance, "available");
    }

    private static string RequiredIdentifier(QueryParameters parameters) =>
        parameters.Get("DBInstanceIdentifier")
            ?? throw AwsServiceException.Validation("ValidationError", ["Value null at 'dBInstanceIdentifier' failed to satisfy constraint: Member must not be null"]);

    private IEnumerable<XElement> ListTagsForResource(AwsRequest request, QueryParameters parameters)
    {
        var arn = parameters.Get("ResourceName") ?? "";
        var instance = resources.Find(arn) is { } found && found.Kind == ResourceKind.RdsDbInstance && found.AccountId == request.AccountId
            ? found
            : throw NotFound(arn.Split(':')[^1]);
        yield return Element("TagList", instance.Tags.Select(tag => Element("Tag", new[] { Element("Key", tag.Key), Element("Value", tag.Value) })));
    }

    private CloudResource Find(AwsRequest request, string identifier) =>
        resources.Find(ResourceKind.RdsDbInstance, request.AccountId, request.Region, identifier) ?? throw NotFound(identifier);

    private static AwsServiceException NotFound(string identifier) => new(404, "DBInstanceNotFound", $"DBInstance {identifier} not found.");

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
            Optional("AvailabilityZone", instance.Attributes.GetValueOrDefault("AvailabilityZone")),
            Element("MultiAZ", instance.Attributes.GetValueOrDefault("MultiAZ") ?? "false"),
            Optional("EngineVersion", instance.Attributes.GetValueOrDefault("EngineVersion")),
            Optional("DBClusterIdentifier", instance.Attributes.GetValueOrDefault("DBClusterIdentifier")),
            Element("StorageEncrypted", "true"),
            Element("DeletionProtection", IsDeletionProtected(instance) ? "true" : "false"),
            Element("DBInstanceArn", instance.Arn),
            Element("TagList", instance.Tags.Select(tag => Element("Tag", new[] { Element("Key", tag.Key), Element("Value", tag.Value) }))),
        });
    }

    private XElement? Optional(string name, string? value) => string.IsNullOrEmpty(value) ? null : Element(name, value);
}
