using System.Xml.Linq;
using CloudPatterns.LocalCloud.CloudFormation;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;
using CloudPatterns.LocalCloud.CloudFormation.Templates;
using CloudPatterns.LocalCloud.CloudFormation.Templates.Modules;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.CloudFormation.StackSets;
using CloudPatterns.LocalCloud.Services.S3;

namespace CloudPatterns.LocalCloud.Services.CloudFormation;

/// <summary>
/// AWS CloudFormation (Query protocol, 2010-05-15) over the template engine: stacks, events, resources, templates,
/// change sets, drift and exports. Shapes follow the botocore cloudformation model; errors docs/aws-behaviour.md section 6.
/// </summary>
internal sealed partial class CloudFormationService : QueryService
{
    /// <summary>
    /// Items per page of the paginated lists (DescribeStacks, ListStacks, DescribeStackEvents, ListStackResources,
    /// ListExports, ListChangeSets): the model has no MaxResults for them; CloudFormation answers 100 at a time.
    /// </summary>
    private const int PageSize = 100;

    private readonly CloudFormationEngine engine;
    private readonly S3TemplateSource templates;
    private readonly StackSetStore stackSets;
    private readonly Func<string, bool> trustsCloudFormation;

    /// <param name="trustsCloudFormation">Whether a role exists and lets cloudformation.amazonaws.com assume it (RoleARN).</param>
    public CloudFormationService(CloudFormationEngine engine, S3TemplateSource templates, StackSetStore stackSets, Func<string, bool> trustsCloudFormation)
        : base("cloudformation", "2010-05-15", "http://cloudformation.amazonaws.com/doc/2010-05-15/")
    {
        this.engine = engine;
        this.templates = templates;
        this.stackSets = stackSets;
        this.trustsCloudFormation = trustsCloudFormation;
        Add("CreateStack", mutating: true, CreateStack);
        Add("UpdateStack", mutating: true, UpdateStack);
        Add("DeleteStack", mutating: true, DeleteStack);
        Add("DescribeStacks", mutating: false, DescribeStacks);
        Add("ListStacks", mutating: false, ListStacks);
        Add("DescribeStackEvents", mutating: false, DescribeStackEvents);
        Add("DescribeStackResource", mutating: false, DescribeStackResource);
        Add("DescribeStackResources", mutating: false, DescribeStackResources);
        Add("ListStackResources", mutating: false, ListStackResources);
        Add("GetTemplate", mutating: false, GetTemplate);
        Add("GetTemplateSummary", mutating: false, GetTemplateSummary);
        Add("ValidateTemplate", mutating: false, ValidateTemplate);
        Add("CreateChangeSet", mutating: true, CreateChangeSet);
        Add("DescribeChangeSet", mutating: false, DescribeChangeSet);
        Add("ExecuteChangeSet", mutating: true, ExecuteChangeSet);
        Add("DeleteChangeSet", mutating: true, DeleteChangeSet);
        Add("ListChangeSets", mutating: false, ListChangeSets);
        Add("DetectStackDrift", mutating: false, DetectStackDrift);
        Add("DescribeStackDriftDetectionStatus", mutating: false, DescribeStackDriftDetectionStatus);
        Add("DescribeStackResourceDrifts", mutating: false, DescribeStackResourceDrifts);
        Add("ListExports", mutating: false, ListExports);
        Add("UpdateTerminationProtection", mutating: true, UpdateTerminationProtection);
        Add("SignalResource", mutating: true, SignalResource);
        AddStackSetOperations();
        AddRegistryOperations();
    }

    /// <summary>Registers an operation whose engine refusals become AWS errors (ChangeSetNotFound is the model's 404).</summary>
    private void Add(string action, bool mutating, Func<AwsRequest, QueryParameters, IEnumerable<XElement?>> handler) =>
        AddOperation(action, mutating, (request, parameters) =>
        {
            try
            {
                return handler(request, parameters).OfType<XElement>().ToList();
            }
            catch (CloudFormationException error)
            {
                throw new AwsServiceException(error.ErrorCode == "ChangeSetNotFound" ? 404 : 400, error.ErrorCode, error.Message);
            }
        });

    // ---------------------------------------------------------------- stacks

    private IEnumerable<XElement?> CreateStack(AwsRequest request, QueryParameters parameters)
    {
        var stack = engine.CreateStack(request.AccountId, request.Region, ReadInput(request, parameters, isUpdate: false));
        SettleBriefly(stack);
        return [Element("StackId", stack.StackId)];
    }

    private IEnumerable<XElement?> UpdateStack(AwsRequest request, QueryParameters parameters)
    {
        var stack = engine.UpdateStack(request.AccountId, request.Region, ReadInput(request, parameters, isUpdate: true));
        SettleBriefly(stack);
        return [Element("StackId", stack.StackId)];
    }

    private IEnumerable<XElement?> DeleteStack(AwsRequest request, QueryParameters parameters)
    {
        SettleBriefly(engine.DeleteStack(request.AccountId, request.Region, Required(parameters, "StackName"), ServiceRole(request, parameters), request.Caller));
        return [];
    }

    /// <summary>
    /// RoleARN, the service role CloudFormation is to act as: the caller must be allowed iam:PassRole on it (to
    /// cloudformation.amazonaws.com), and it must let CloudFormation assume it (docs/localcloud-authorization.md).
    /// </summary>
    private string? ServiceRole(AwsRequest request, QueryParameters parameters)
    {
        if (parameters.Get("RoleARN") is not { } roleArn)
        {
            return null;
        }

        request.Demand("cloudformation", "iam:PassRole", roleArn);
        return trustsCloudFormation(roleArn)
            ? roleArn
            : throw new AwsServiceException(400, "ValidationError", Authorization.ProvisioningAuthorizer.InvalidRoleMessage(roleArn));
    }

    private StackInput ReadInput(AwsRequest request, QueryParameters parameters, bool isUpdate)
    {
        var supplied = new Dictionary<string, string>(StringComparer.Ordinal);
        var previous = new List<string>();
        foreach (var parameter in Structures(parameters, "Parameters", "ParameterKey", "ParameterValue", "UsePreviousValue"))
        {
            var key = parameter.GetValueOrDefault("ParameterKey")
                ?? throw new AwsServiceException(400, "ValidationError", "Every parameter must have a ParameterKey.");
            if (parameter.GetValueOrDefault("UsePreviousValue") == "true")
            {
                previous.Add(key);
            }
            else
            {
                supplied[key] = parameter.GetValueOrDefault("ParameterValue") ?? "";
            }
        }
        var tags = Structures(parameters, "Tags", "Key", "Value").Select(tag => KeyValuePair.Create(tag.GetValueOrDefault("Key") ?? "", tag.GetValueOrDefault("Value") ?? "")).ToList();
        var templateBody = TemplateBody(request, parameters);
        var disableRollback = parameters.Get("DisableRollback") == "true";
        return new StackInput
        {
            StackName = Required(parameters, "StackName"),
            TemplateBody = templateBody,
            UsePreviousTemplate = parameters.Get("UsePreviousTemplate") == "true",
            Parameters = supplied,
            PreviousValueParameters = previous,
            Capabilities = parameters.GetList("Capabilities"),
            NotificationArns = parameters.GetList("NotificationARNs"),
            Tags = tags.Count > 0 || !isUpdate ? tags : null,
            OnFailure = disableRollback ? "DO_NOTHING" : parameters.Get("OnFailure") ?? parameters.Get("OnStackFailure") ?? "ROLLBACK",
            EnableTerminationProtection = parameters.Get("EnableTerminationProtection") == "true",
            RoleArn = ServiceRole(request, parameters),
            Caller = request.Caller,
            DeploymentMode = parameters.Get("DeploymentMode") switch
            {
                null => null,
                "REVERT_DRIFT" => "REVERT_DRIFT",
                var mode => throw AwsServiceException.Validation("ValidationError",
                    [$"Value '{mode}' at 'deploymentMode' failed to satisfy constraint: Member must satisfy enum value set: [REVERT_DRIFT]"]),
            },
        };
    }

    private IEnumerable<XElement?> DescribeStacks(AwsRequest request, QueryParameters parameters)
    {
        var stackName = parameters.Get("StackName");
        var (selected, nextToken) = Page(
            stackName is null
                ? engine.ListStacks(request.AccountId, request.Region).Where(stack => !stack.IsDeleted).Reverse()
                : [engine.GetStack(request.AccountId, request.Region, stackName)],
            "DescribeStacks",
            parameters);
        return [nextToken, Element("Stacks", selected.Select(stack => Member(
            Element("StackId", stack.StackId),
            Element("StackName", stack.StackName),
            Optional("Description", stack.Description),
            Parameters(stack.Parameters),
            Element("CreationTime", Timestamp(stack.CreationTime)),
            OptionalTime("DeletionTime", stack.DeletionTime),
            OptionalTime("LastUpdatedTime", stack.LastUpdatedTime),
            Element("StackStatus", stack.Status),
            Optional("StackStatusReason", stack.StatusReason),
            Element("DisableRollback", Bool(stack.DisableRollback)),
            Element("NotificationARNs", stack.NotificationArns.Select(arn => Element("member", arn))),
            Element("Capabilities", stack.Capabilities.Select(capability => Element("member", capability))),
            Element("Outputs", stack.ShownOutputs.Select(output => Member(
                Element("OutputKey", output.OutputKey),
                Element("OutputValue", output.OutputValue),
                Optional("Description", output.Description),
                Optional("ExportName", output.ExportName)))),
            Optional("RoleARN", stack.RoleArn),
            Tags(stack.Tags),
            Element("EnableTerminationProtection", Bool(stack.TerminationProtection)),
            Optional("ParentId", stack.ParentId),
            Optional("RootId", stack.RootId),
            DriftInformation("StackDriftStatus", stack.DriftStatus, stack.LastDriftCheck))))];
    }

    private IEnumerable<XElement?> ListStacks(AwsRequest request, QueryParameters parameters)
    {
        var statusFilter = parameters.GetList("StackStatusFilter");
        var (selected, nextToken) = Page(
            engine.ListStacks(request.AccountId, request.Region).Reverse().Where(stack => statusFilter.Count == 0 || statusFilter.Contains(stack.Status)),
            "ListStacks",
            parameters);
        return [nextToken, Element("StackSummaries", selected.Select(stack => Member(
            Element("StackId", stack.StackId),
            Element("StackName", stack.StackName),
            Optional("TemplateDescription", stack.Description),
            Element("CreationTime", Timestamp(stack.CreationTime)),
            OptionalTime("LastUpdatedTime", stack.LastUpdatedTime),
            OptionalTime("DeletionTime", stack.DeletionTime),
            Element("StackStatus", stack.Status),
            Optional("StackStatusReason", stack.StatusReason),
            Optional("ParentId", stack.ParentId),
            Optional("RootId", stack.RootId),
            DriftInformation("StackDriftStatus", stack.DriftStatus, stack.LastDriftCheck))))];
    }

    private IEnumerable<XElement?> DescribeStackEvents(AwsRequest request, QueryParameters parameters)
    {
        var name = Required(parameters, "StackName");
        var stack = engine.FindStack(request.AccountId, request.Region, name)
            ?? throw new AwsServiceException(400, "ValidationError", $"Stack [{name}] does not exist");
        var (events, nextToken) = Page(stack.Events, "DescribeStackEvents", parameters);
        return [nextToken, Element("StackEvents", events.Select(stackEvent => Member(
            Element("StackId", stackEvent.StackId),
            Element("EventId", stackEvent.EventId),
            Element("StackName", stackEvent.StackName),
            Element("LogicalResourceId", stackEvent.LogicalResourceId),
            Element("PhysicalResourceId", stackEvent.PhysicalResourceId),
            Element("ResourceType", stackEvent.ResourceType),
            Element("Timestamp", Timestamp(stackEvent.Timestamp)),
            Element("ResourceStatus", stackEvent.ResourceStatus),
            Optional("ResourceStatusReason", stackEvent.ResourceStatusReason),
            Optional("ResourceProperties", stackEvent.ResourceProperties),
            Optional("ClientRequestToken", stackEvent.ClientRequestToken))))];
    }

    private IEnumerable<XElement?> DescribeStackResource(AwsRequest request, QueryParameters parameters)
    {
        var stack = engine.GetStack(request.AccountId, request.Region, Required(parameters, "StackName"));
        var logicalId = Required(parameters, "LogicalResourceId");
        var resource = stack.Resources.FirstOrDefault(resource => resource.LogicalId == logicalId)
            ?? throw new AwsServiceException(400, "ValidationError", $"Resource {logicalId} does not exist for stack {stack.StackName}");
        return [Element("StackResourceDetail", ResourceContent(stack, resource, "LastUpdatedTimestamp",
            Optional("Metadata", stack.Template?.Resources.GetValueOrDefault(logicalId)?.Metadata?.ToJsonString())))];
    }

    private IEnumerable<XElement?> DescribeStackResources(AwsRequest request, QueryParameters parameters)
    {
        var physicalId = parameters.Get("PhysicalResourceId");
        var stackName = parameters.Get("StackName");
        Stack stack;
        if (stackName is not null)
        {
            stack = engine.GetStack(request.AccountId, request.Region, stackName);
        }
        else if (physicalId is not null)
        {
            stack = engine.ListStacks(request.AccountId, request.Region).Where(candidate => !candidate.IsDeleted)
                .FirstOrDefault(candidate => candidate.Resources.Any(resource => resource.PhysicalId == physicalId))
                ?? throw new AwsServiceException(400, "ValidationError", $"Stack for {physicalId} does not exist");
        }
        else
        {
            throw new AwsServiceException(400, "ValidationError", "Either StackName or PhysicalResourceId must be specified.");
        }
        var logicalId = parameters.Get("LogicalResourceId");
        var selected = stack.Resources.Where(resource => (logicalId is null || resource.LogicalId == logicalId)
            && (physicalId is null || resource.PhysicalId == physicalId));
        return [Element("StackResources", selected.Select(resource => Element("member", ResourceContent(stack, resource, "Timestamp"))))];
    }

    private IEnumerable<XElement?> ListStackResources(AwsRequest request, QueryParameters parameters)
    {
        var stack = engine.GetStack(request.AccountId, request.Region, Required(parameters, "StackName"));
        var (resources, nextToken) = Page(stack.Resources, "ListStackResources", parameters);
        return [nextToken, Element("StackResourceSummaries", resources.Select(resource => Member(
            Element("LogicalResourceId", resource.LogicalId),
            Optional("PhysicalResourceId", resource.PhysicalId),
            Element("ResourceType", resource.ResourceType),
            Element("LastUpdatedTimestamp", Timestamp(resource.LastUpdated)),
            Element("ResourceStatus", resource.Status),
            Optional("ResourceStatusReason", resource.StatusReason),
            DriftInformation("StackResourceDriftStatus", resource.DriftStatus, resource.LastDriftCheck),
            ModuleInfo(stack, resource))))];
    }

    private object?[] ResourceContent(Stack stack, StackResource resource, string timestampName, params XElement?[] extra) =>
    [
        Element("StackName", stack.StackName),
        Element("StackId", stack.StackId),
        Element("LogicalResourceId", resource.LogicalId),
        Optional("PhysicalResourceId", resource.PhysicalId),
        Element("ResourceType", resource.ResourceType),
        Element(timestampName, Timestamp(resource.LastUpdated)),
        Element("ResourceStatus", resource.Status),
        Optional("ResourceStatusReason", resource.StatusReason),
        DriftInformation("StackResourceDriftStatus", resource.DriftStatus, resource.LastDriftCheck),
        ModuleInfo(stack, resource),
        .. extra,
    ];

    /// <summary>The module a resource came from, for a resource of a module (docs/localcloud-cloudformation-modules.md).</summary>
    private XElement? ModuleInfo(Stack stack, StackResource resource) =>
        ModuleExpansion.ModuleInfo(stack.Template?.Resources.GetValueOrDefault(resource.LogicalId)?.Metadata) is { } info
            ? Element("ModuleInfo", new object[] { Element("TypeHierarchy", info.TypeHierarchy), Element("LogicalIdHierarchy", info.LogicalIdHierarchy) })
            : null;

    private IEnumerable<XElement?> UpdateTerminationProtection(AwsRequest request, QueryParameters parameters)
    {
        var name = Required(parameters, "StackName");
        engine.UpdateTerminationProtection(request.AccountId, request.Region, name, Required(parameters, "EnableTerminationProtection") == "true");
        return [Element("StackId", engine.GetStack(request.AccountId, request.Region, name).StackId)];
    }

    /// <summary>SignalResource: a SUCCESS or FAILURE signal to a resource waiting under its CreationPolicy.</summary>
    private IEnumerable<XElement?> SignalResource(AwsRequest request, QueryParameters parameters)
    {
        var status = Required(parameters, "Status");
        if (status is not ("SUCCESS" or "FAILURE"))
        {
            throw AwsServiceException.Validation("ValidationError",
                [$"Value '{status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [SUCCESS, FAILURE]"]);
        }
        engine.SignalResource(request.AccountId, request.Region, Required(parameters, "StackName"), Required(parameters, "LogicalResourceId"),
            new ResourceSignal(Required(parameters, "UniqueId"), status));
        return [];
    }

    private IEnumerable<XElement?> ListExports(AwsRequest request, QueryParameters parameters)
    {
        var (exports, nextToken) = Page(engine.ListExports(request.AccountId, request.Region), "ListExports", parameters);
        return [nextToken, Element("Exports", exports.Select(export => Member(
            Element("ExportingStackId", export.ExportingStackId),
            Element("Name", export.Name),
            Element("Value", export.Value))))];
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>
    /// AWS answers before the work is done, and so does LocalCloud; waiting a moment first lets a usual stack finish,
    /// so clients' waiters (the CLI's sleep 30 s between polls) see it done on their first poll.
    /// </summary>
    private static void SettleBriefly(Stack? stack)
    {
        if (stack is not null)
        {
            Task.WhenAny(stack.Operation, Task.Delay(SettleTime)).Wait();
        }
    }

    private static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(500);

    private static string Required(QueryParameters parameters, string name) =>
        parameters.Get(name) ?? throw AwsServiceException.Validation("ValidationError",
            [$"Value null at '{char.ToLowerInvariant(name[0])}{name[1..]}' failed to satisfy constraint: Member must not be null"]);

    /// <summary>A list of structures in Query form: <c>Name.member.N.Field</c>.</summary>
    private static List<Dictionary<string, string>> Structures(QueryParameters parameters, string name, params string[] fieldNames)
    {
        var result = new List<Dictionary<string, string>>();
        for (var index = 1; ; index++)
        {
            var prefix = $"{name}.member.{index}.";
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var field in fieldNames)
            {
                if (parameters.Get(prefix + field) is { } value)
                {
                    fields[field] = value;
                }
            }
            if (fields.Count == 0)
            {
                return result;
            }
            result.Add(fields);
        }
    }

    /// <summary>One page of a list and the NextToken element of the next (null on the last page).</summary>
    private (IReadOnlyList<T> Page, XElement? NextToken) Page<T>(IEnumerable<T> items, string operation, QueryParameters parameters)
    {
        var (page, nextToken) = PageTokens.Page(items.ToList(), operation, parameters.Get("NextToken"), PageSize,
            () => new AwsServiceException(400, "ValidationError", "Invalid NextToken"));
        return (page, nextToken is null ? null : Element("NextToken", nextToken));
    }

    private XElement Member(params object?[] content) => Element("member", content);

    /// <summary>Stack parameters as DescribeStacks shows them: NoEcho values masked.</summary>
    private XElement Parameters(IEnumerable<StackParameter> parameters) =>
        Element("Parameters", parameters.Select(parameter => Member(
            Element("ParameterKey", parameter.ParameterKey),
            Element("ParameterValue", parameter.NoEcho ? "****" : parameter.ParameterValue),
            Optional("ResolvedValue", parameter.NoEcho ? null : parameter.ResolvedValue))));

    private XElement Tags(IEnumerable<KeyValuePair<string, string>> tags) =>
        Element("Tags", tags.Select(tag => Member(Element("Key", tag.Key), Element("Value", tag.Value))));

    private XElement DriftInformation(string statusName, string status, DateTimeOffset? lastCheck) =>
        Element("DriftInformation", new object?[] { Element(statusName, status), OptionalTime("LastCheckTimestamp", lastCheck) });

    private XElement? Optional(string name, string? value) => value is null ? null : Element(name, value);

    private XElement? OptionalTime(string name, DateTimeOffset? time) => time is { } value ? Element(name, Timestamp(value)) : null;

    private static string Bool(bool value) => value ? "true" : "false";
}
