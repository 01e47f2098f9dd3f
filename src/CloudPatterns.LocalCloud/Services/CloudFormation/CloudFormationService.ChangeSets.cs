using System.Xml.Linq;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.CloudFormation;

internal sealed partial class CloudFormationService
{
    // ---------------------------------------------------------------- change sets

    private IEnumerable<XElement?> CreateChangeSet(AwsRequest request, QueryParameters parameters)
    {
        var changeSet = engine.CreateChangeSet(request.AccountId, request.Region, ReadInput(request, parameters, isUpdate: true),
            Required(parameters, "ChangeSetName"), parameters.Get("ChangeSetType") ?? "UPDATE", parameters.Get("Description"));
        return [Element("Id", changeSet.Id), Element("StackId", changeSet.Stack.StackId)];
    }

    private IEnumerable<XElement?> DescribeChangeSet(AwsRequest request, QueryParameters parameters)
    {
        var changeSet = engine.GetChangeSet(request.AccountId, request.Region, Required(parameters, "ChangeSetName"), parameters.Get("StackName"));
        return
        [
            Element("ChangeSetName", changeSet.Name),
            Element("ChangeSetId", changeSet.Id),
            Element("StackId", changeSet.Stack.StackId),
            Element("StackName", changeSet.Stack.StackName),
            Optional("Description", changeSet.Description),
            Parameters(changeSet.Parameters),
            Element("CreationTime", Timestamp(changeSet.CreationTime)),
            Element("ExecutionStatus", changeSet.ExecutionStatus),
            Element("Status", changeSet.Status),
            Optional("StatusReason", changeSet.StatusReason),
            Element("NotificationARNs", changeSet.Input.NotificationArns.Select(arn => Element("member", arn))),
            Element("Capabilities", changeSet.Input.Capabilities.Select(capability => Element("member", capability))),
            Tags(changeSet.Input.Tags ?? changeSet.Stack.Tags),
            Element("Changes", changeSet.Changes.Select(change => Member(
                Element("Type", "Resource"),
                Element("ResourceChange", new object?[]
                {
                    Element("Action", change.Action),
                    Element("LogicalResourceId", change.LogicalResourceId),
                    Optional("PhysicalResourceId", change.PhysicalResourceId),
                    Element("ResourceType", change.ResourceType),
                    Optional("Replacement", change.Replacement),
                    Element("Scope", change.Scope.Select(scope => Element("member", scope))),
                    Optional("ResourceDriftStatus", change.ResourceDriftStatus),
                    Element("Details", change.Details.Select(detail => Member(
                        Element("Target", new object?[]
                        {
                            Element("Attribute", detail.Attribute),
                            Optional("Name", detail.PropertyName),
                            Element("RequiresRecreation", detail.RequiresRecreation),
                        }),
                        Element("Evaluation", detail.Evaluation),
                        Element("ChangeSource", detail.ChangeSource),
                        Optional("CausingEntity", detail.CausingEntity)))),
                })))),
            Element("IncludeNestedStacks", "false"),
            Optional("DeploymentMode", changeSet.Input.DeploymentMode),
        ];
    }

    private IEnumerable<XElement?> ExecuteChangeSet(AwsRequest request, QueryParameters parameters)
    {
        var changeSet = engine.GetChangeSet(request.AccountId, request.Region, Required(parameters, "ChangeSetName"), parameters.Get("StackName"));
        engine.ExecuteChangeSet(request.AccountId, request.Region, changeSet.Id, null, parameters.Get("ClientRequestToken"), request.Caller);
        SettleBriefly(changeSet.Stack);
        return [];
    }

    private IEnumerable<XElement?> DeleteChangeSet(AwsRequest request, QueryParameters parameters)
    {
        engine.DeleteChangeSet(request.AccountId, request.Region, Required(parameters, "ChangeSetName"), parameters.Get("StackName"));
        return [];
    }

    private IEnumerable<XElement?> ListChangeSets(AwsRequest request, QueryParameters parameters)
    {
        var stack = engine.GetStack(request.AccountId, request.Region, Required(parameters, "StackName"));
        var (changeSets, nextToken) = Page(stack.ChangeSets, "ListChangeSets", parameters);
        return [nextToken, Element("Summaries", changeSets.Select(changeSet => Member(
            Element("StackId", stack.StackId),
            Element("StackName", stack.StackName),
            Element("ChangeSetId", changeSet.Id),
            Element("ChangeSetName", changeSet.Name),
            Element("ExecutionStatus", changeSet.ExecutionStatus),
            Element("Status", changeSet.Status),
            Optional("StatusReason", changeSet.StatusReason),
            Element("CreationTime", Timestamp(changeSet.CreationTime)),
            Optional("Description", changeSet.Description),
            Element("IncludeNestedStacks", "false"))))];
    }
}
