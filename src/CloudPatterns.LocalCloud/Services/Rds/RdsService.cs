using System.Xml.Linq;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Rds;

/// <summary>RDS (Query, 2014-10-31): DB instances as restore targets — describe, delete, list tags.</summary>
internal sealed class RdsService : QueryService
{
    private readonly CloudResourceStore resources;

    public RdsService(CloudResourceStore resources)
        : base("rds", "2014-10-31", "http://rds.amazonaws.com/doc/2014-10-31/")
    {
        this.resources = resources;
        AddOperation("DescribeDBInstances", mutating: false, DescribeDBInstances);
        AddOperation("DeleteDBInstance", mutating: true, DeleteDBInstance);
        AddOperation("ListTagsForResource", mutating: false, ListTagsForResource);
    }

    private IEnumerable<XElement> DescribeDBInstances(AwsRequest request, QueryParameters parameters)
    {
        var instances = parameters.Get("DBInstanceIdentifier") is { } identifier
            ? [Find(request, identifier)]
            : resources.List(ResourceKind.RdsDbInstance, request.AccountId, request.Region);
        yield return Element("DBInstances", instances.Select(instance => DBInstance(instance, "available")));
    }

    private IEnumerable<XElement> DeleteDBInstance(AwsRequest request, QueryParameters parameters)
    {
        var instance = Find(request, parameters.Get("DBInstanceIdentifier")
            ?? throw AwsServiceException.Validation("ValidationError", ["Value null at 'dBInstanceIdentifier' failed to satisfy constraint: Member must not be null"]));
        resources.Remove(instance.Arn);
        yield return DBInstance(instance, "deleting");
    }

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

    private XElement DBInstance(CloudResource instance, string status) => Element("DBInstance", new object[]
    {
        Element("DBInstanceIdentifier", instance.Name),
        Element("DBInstanceClass", instance.Attributes.GetValueOrDefault("DBInstanceClass")),
        Element("Engine", instance.Attributes.GetValueOrDefault("Engine")),
        Element("DBInstanceStatus", status),
        Element("AllocatedStorage", instance.Attributes.GetValueOrDefault("AllocatedStorage")),
        Element("InstanceCreateTime", Timestamp(instance.CreationTime)),
        Element("AvailabilityZone", instance.Attributes.GetValueOrDefault("AvailabilityZone")),
        Element("MultiAZ", instance.Attributes.GetValueOrDefault("MultiAZ", "false")),
        Element("EngineVersion", instance.Attributes.GetValueOrDefault("EngineVersion")),
        Element("StorageEncrypted", "true"),
        Element("DBInstanceArn", instance.Arn),
        Element("TagList", instance.Tags.Select(tag => Element("Tag", new[] { Element("Key", tag.Key), Element("Value", tag.Value) }))),
    });
}
