using System.Xml.Linq;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.CloudFormation;

/// <summary>AWS CloudFormation (Query protocol, 2010-05-15): reading stacks. The template engine adds the rest.</summary>
internal sealed class CloudFormationService : QueryService
{
    private readonly StackStore stacks;

    public CloudFormationService(StackStore stacks)
        : base("cloudformation", "2010-05-15", "http://cloudformation.amazonaws.com/doc/2010-05-15/")
    {
        this.stacks = stacks;
        AddOperation("DescribeStacks", mutating: false, DescribeStacks);
        AddOperation("ListStacks", mutating: false, ListStacks);
    }

    private IEnumerable<XElement> DescribeStacks(AwsRequest request, QueryParameters parameters)
    {
        var stackName = parameters.Get("StackName");
        IEnumerable<StackRecord> selected = stackName is null
            ? stacks.List(request.AccountId, request.Region).Where(stack => !stack.IsDeleted)
            : [stacks.Find(request.AccountId, request.Region, stackName)
                ?? throw new AwsServiceException(400, "ValidationError", $"Stack with id {stackName} does not exist")];
        return [Element("Stacks", selected.Select(stack => Element("member", new object?[]
        {
            Element("StackId", stack.StackId),
            Element("StackName", stack.StackName),
            OptionalElement("Description", stack.Description),
            Element("CreationTime", Timestamp(stack.CreationTime)),
            OptionalTime("LastUpdatedTime", stack.LastUpdatedTime),
            OptionalTime("DeletionTime", stack.DeletionTime),
            Element("StackStatus", stack.StackStatus),
            OptionalElement("StackStatusReason", stack.StackStatusReason),
            Element("DisableRollback", "false"),
            Element("Tags", stack.Tags.Select(tag => Element("member", new[] { Element("Key", tag.Key), Element("Value", tag.Value) }))),
            Element("DriftInformation", Element("StackDriftStatus", "NOT_CHECKED")),
        })))];
    }

    private IEnumerable<XElement> ListStacks(AwsRequest request, QueryParameters parameters)
    {
        var statusFilter = parameters.GetList("StackStatusFilter");
        var selected = stacks.List(request.AccountId, request.Region)
            .Where(stack => statusFilter.Count == 0 || statusFilter.Contains(stack.StackStatus));
        return [Element("StackSummaries", selected.Select(stack => Element("member", new object?[]
        {
            Element("StackId", stack.StackId),
            Element("StackName", stack.StackName),
            OptionalElement("TemplateDescription", stack.Description),
            Element("CreationTime", Timestamp(stack.CreationTime)),
            OptionalTime("LastUpdatedTime", stack.LastUpdatedTime),
            OptionalTime("DeletionTime", stack.DeletionTime),
            Element("StackStatus", stack.StackStatus),
            OptionalElement("StackStatusReason", stack.StackStatusReason),
            Element("DriftInformation", Element("StackDriftStatus", "NOT_CHECKED")),
        })))];
    }

    private XElement? OptionalElement(string name, string? value) => value is null ? null : Element(name, value);

    private XElement? OptionalTime(string name, DateTimeOffset? time) => time is { } value ? Element(name, Timestamp(value)) : null;
}
