using System.Xml.Linq;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.CloudFormation.StackSets;

namespace CloudPatterns.LocalCloud.Services.CloudFormation;

/// <summary>StackSets over the Query protocol (CloudFormation 2010-05-15 shapes); the rules live in <see cref="StackSetStore"/>.</summary>
internal sealed partial class CloudFormationService
{
    private void AddStackSetOperations()
    {
        Add("ActivateOrganizationsAccess", mutating: true, (request, _) =>
        {
            stackSets.ActivateOrganizationsAccess(request.AccountId);
            return [];
        });
        Add("DescribeOrganizationsAccess", mutating: false, (_, _) => [Element("Status", stackSets.OrganizationsAccessEnabled ? "ENABLED" : "DISABLED")]);
        Add("CreateStackSet", mutating: true, (request, parameters) =>
            [Element("StackSetId", stackSets.Create(request.AccountId, request.Region, Required(parameters, "StackSetName"),
                ReadStackSetInput(request, parameters), CallAs(parameters)).Id)]);
        Add("UpdateStackSet", mutating: true, (request, parameters) =>
            [Element("OperationId", stackSets.Update(request.AccountId, request.Region, Required(parameters, "StackSetName"),
                ReadStackSetInput(request, parameters), parameters.Get("UsePreviousTemplate") == "true", parameters.GetList("Regions"),
                ReadTargets(parameters), ReadPreferences(parameters), parameters.Get("OperationId"), CallAs(parameters)).Id)]);
        Add("DeleteStackSet", mutating: true, (request, parameters) =>
        {
            stackSets.Delete(request.AccountId, request.Region, Required(parameters, "StackSetName"));
            return [];
        });
        Add("DescribeStackSet", mutating: false, (request, parameters) =>
            [Element("StackSet", StackSetContent(StackSetNamed(request, parameters)))]);
        Add("ListStackSets", mutating: false, ListStackSets);
        Add("CreateStackInstances", mutating: true, (request, parameters) =>
            [Element("OperationId", stackSets.CreateInstances(request.AccountId, request.Region, Required(parameters, "StackSetName"),
                ReadTargets(parameters), parameters.GetList("Regions"), ReadParameters(parameters, "ParameterOverrides"),
                ReadPreferences(parameters), parameters.Get("OperationId"), CallAs(parameters)).Id)]);
        Add("UpdateStackInstances", mutating: true, (request, parameters) =>
            [Element("OperationId", stackSets.UpdateInstances(request.AccountId, request.Region, Required(parameters, "StackSetName"),
                ReadTargets(parameters), parameters.GetList("Regions"), ReadParameters(parameters, "ParameterOverrides"),
                ReadPreferences(parameters), parameters.Get("OperationId"), CallAs(parameters)).Id)]);
        Add("DeleteStackInstances", mutating: true, (request, parameters) =>
            [Element("OperationId", stackSets.DeleteInstances(request.AccountId, request.Region, Required(parameters, "StackSetName"),
                ReadTargets(parameters), parameters.GetList("Regions"), Required(parameters, "RetainStacks") == "true",
                ReadPreferences(parameters), parameters.Get("OperationId"), CallAs(parameters)).Id)]);
        Add("DetectStackSetDrift", mutating: true, (request, parameters) =>
            [Element("OperationId", stackSets.DetectDrift(request.AccountId, request.Region, Required(parameters, "StackSetName"),
                ReadPreferences(parameters), parameters.Get("OperationId")).Id)]);
        Add("ListStackInstances", mutating: false, ListStackInstances);
        Add("DescribeStackInstance", mutating: false, (request, parameters) =>
        {
            var stackSet = StackSetNamed(request, parameters);
            var instance = stackSets.GetInstance(stackSet, Required(parameters, "StackInstanceAccount"), Required(parameters, "StackInstanceRegion"));
            return [Element("StackInstance", InstanceContent(stackSet, instance))];
        });
        Add("DescribeStackSetOperation", mutating: false, (request, parameters) =>
        {
            var stackSet = StackSetNamed(request, parameters);
            var operation = stackSets.GetOperation(stackSet, Required(parameters, "OperationId"));
            return [Element("StackSetOperation", new object?[]
            {
                Element("OperationId", operation.Id),
                Element("StackSetId", stackSet.Id),
                Element("Action", operation.Action),
                Element("Status", operation.Status),
                Preferences(operation.Preferences),
                operation.RetainStacks is { } retain ? Element("RetainStacks", Bool(retain)) : null,
                Optional("AdministrationRoleARN", stackSet.AdministrationRoleArn),
                Optional("ExecutionRoleName", stackSet.ExecutionRoleName),
                Element("CreationTimestamp", Timestamp(operation.CreationTimestamp)),
                OptionalTime("EndTimestamp", operation.EndTimestamp),
                Element("DeploymentTargets", new object?[]
                {
                    StringList("Accounts", operation.Targets.Accounts),
                    StringList("OrganizationalUnitIds", operation.Targets.OrganizationalUnitIds),
                    Optional("AccountFilterType", operation.Targets.AccountFilterType),
                }),
                Optional("StatusReason", operation.StatusReason),
                Element("StatusDetails", Element("FailedStackInstancesCount", operation.FailedCount)),
            })];
        });
        Add("ListStackSetOperations", mutating: false, (request, parameters) =>
        {
            var (operations, nextToken) = LimitedPage(stackSets.Operations(StackSetNamed(request, parameters)), "ListStackSetOperations", parameters);
            return [Element("Summaries", operations.Select(operation => Member(
                Element("OperationId", operation.Id),
                Element("Action", operation.Action),
                Element("Status", operation.Status),
                Element("CreationTimestamp", Timestamp(operation.CreationTimestamp)),
                OptionalTime("EndTimestamp", operation.EndTimestamp),
                Optional("StatusReason", operation.StatusReason),
                Element("StatusDetails", Element("FailedStackInstancesCount", operation.FailedCount)),
                Preferences(operation.Preferences)))), nextToken];
        });
        Add("ListStackSetOperationResults", mutating: false, (request, parameters) =>
        {
            var operation = stackSets.GetOperation(StackSetNamed(request, parameters), Required(parameters, "OperationId"));
            var (results, nextToken) = LimitedPage(stackSets.Results(operation), "ListStackSetOperationResults", parameters);
            return [Element("Summaries", results.Select(result => Member(
                Element("Account", result.Account),
                Element("Region", result.Region),
                Element("Status", result.Status),
                Optional("StatusReason", result.StatusReason),
                Optional("OrganizationalUnitId", result.OrganizationalUnitId)))), nextToken];
        });
    }

    private StackSet StackSetNamed(AwsRequest request, QueryParameters parameters) =>
        stackSets.Get(request.AccountId, request.Region, Required(parameters, "StackSetName"));

    private IEnumerable<XElement?> ListStackSets(AwsRequest request, QueryParameters parameters)
    {
        var status = parameters.Get("Status");
        var (selected, nextToken) = LimitedPage(stackSets.List(request.AccountId, request.Region).Where(set => status is null || set.Status == status), "ListStackSets", parameters);
        return [Element("Summaries", selected.Select(set => Member(
            Element("StackSetName", set.Name),
            Element("StackSetId", set.Id),
            Optional("Description", set.Description),
            Element("Status", set.Status),
            AutoDeployment(set),
            Element("PermissionModel", set.PermissionModel),
            Element("DriftStatus", set.DriftStatus),
            OptionalTime("LastDriftCheckTimestamp", set.LastDriftCheck)))), nextToken];
    }

    private IEnumerable<XElement?> ListStackInstances(AwsRequest request, QueryParameters parameters)
    {
        var stackSet = StackSetNamed(request, parameters);
        var account = parameters.Get("StackInstanceAccount");
        var region = parameters.Get("StackInstanceRegion");
        var filters = Structures(parameters, "Filters", "Name", "Values");
        var selected = stackSets.Instances(stackSet).Where(instance =>
            (account is null || instance.Account == account) && (region is null || instance.Region == region)
            && filters.All(filter => Matches(instance, filter.GetValueOrDefault("Name"), filter.GetValueOrDefault("Values"))));
        var (page, nextToken) = LimitedPage(selected, "ListStackInstances", parameters);
        return [Element("Summaries", page.Select(instance => Member(InstanceContent(stackSet, instance)))), nextToken];
    }

    private static bool Matches(StackInstance instance, string? name, string? value) => name switch
    {
        "DETAILED_STATUS" => instance.DetailedStatus == value,
        "LAST_OPERATION_ID" => instance.LastOperationId == value,
        "DRIFT_STATUS" => instance.DriftStatus == value,
        _ => throw new AwsServiceException(400, "ValidationError", $"Invalid filter name {name}: valid names are DETAILED_STATUS, LAST_OPERATION_ID, DRIFT_STATUS"),
    };

    private object?[] StackSetContent(StackSet set)
    {
        var (units, regions) = stackSets.Targets(set);
        return
        [
            Element("StackSetName", set.Name),
            Element("StackSetId", set.Id),
            Optional("Description", set.Description),
            Element("Status", set.Status),
            Element("TemplateBody", set.TemplateBody),
            ParameterList("Parameters", set.Parameters),
            StringList("Capabilities", set.Capabilities),
            Tags(set.Tags),
            Element("StackSetARN", set.Arn),
            Optional("AdministrationRoleARN", set.AdministrationRoleArn),
            Optional("ExecutionRoleName", set.ExecutionRoleName),
            Element("StackSetDriftDetectionDetails", new object?[]
            {
                Element("DriftStatus", set.DriftStatus),
                OptionalTime("LastDriftCheckTimestamp", set.LastDriftCheck),
            }),
            AutoDeployment(set),
            Element("PermissionModel", set.PermissionModel),
            StringList("OrganizationalUnitIds", units),
            StringList("Regions", regions),
        ];
    }

    private object?[] InstanceContent(StackSet set, StackInstance instance) =>
    [
        Element("StackSetId", set.Id),
        Element("Region", instance.Region),
        Element("Account", instance.Account),
        Optional("StackId", instance.StackId),
        ParameterList("ParameterOverrides", instance.ParameterOverrides),
        Element("Status", instance.Status),
        Element("StackInstanceStatus", Element("DetailedStatus", instance.DetailedStatus)),
        Optional("StatusReason", instance.StatusReason),
        Optional("OrganizationalUnitId", instance.OrganizationalUnitId),
        Element("DriftStatus", instance.DriftStatus),
        OptionalTime("LastDriftCheckTimestamp", instance.LastDriftCheck),
        Optional("LastOperationId", instance.LastOperationId),
    ];

    private XElement? AutoDeployment(StackSet set) => set.IsServiceManaged
        ? Element("AutoDeployment", new object[]
        {
            Element("Enabled", Bool(set.AutoDeploymentEnabled)),
            Element("RetainStacksOnAccountRemoval", Bool(set.RetainStacksOnAccountRemoval)),
        })
        : null;

    private XElement Preferences(OperationPreferences preferences) => Element("OperationPreferences", new object?[]
    {
        Optional("RegionConcurrencyType", preferences.RegionConcurrencyType),
        StringList("RegionOrder", preferences.RegionOrder),
        Optional("FailureToleranceCount", preferences.FailureToleranceCount?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Optional("FailureTolerancePercentage", preferences.FailureTolerancePercentage?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Optional("MaxConcurrentCount", preferences.MaxConcurrentCount?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Optional("MaxConcurrentPercentage", preferences.MaxConcurrentPercentage?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Optional("ConcurrencyMode", preferences.ConcurrencyMode),
    });

    private XElement ParameterList(string name, IReadOnlyDictionary<string, string> parameters) =>
        Element(name, parameters.Select(parameter => Member(Element("ParameterKey", parameter.Key), Element("ParameterValue", parameter.Value))));

    private XElement StringList(string name, IReadOnlyList<string> values) => Element(name, values.Select(value => Member(value)));

    private StackSetInput ReadStackSetInput(AwsRequest request, QueryParameters parameters)
    {
        var permissionModel = Enumerated(parameters, "PermissionModel", "SERVICE_MANAGED", "SELF_MANAGED");

        var tags = Structures(parameters, "Tags", "Key", "Value").Select(tag => KeyValuePair.Create(tag.GetValueOrDefault("Key") ?? "", tag.GetValueOrDefault("Value") ?? "")).ToList();
        var capabilities = parameters.GetList("Capabilities");
        var stackSetParameters = ReadParameters(parameters, "Parameters");
        return new StackSetInput(
            TemplateBody(request, parameters),
            parameters.Get("Description"),
            stackSetParameters.Count > 0 ? stackSetParameters : null,
            capabilities.Count > 0 ? capabilities : null,
            tags.Count > 0 ? tags : null,
            permissionModel,
            parameters.Get("AdministrationRoleARN"),
            parameters.Get("ExecutionRoleName"),
            parameters.Get("AutoDeployment.Enabled") is { } enabled ? enabled == "true" : null,
            parameters.Get("AutoDeployment.RetainStacksOnAccountRemoval") is { } retain ? retain == "true" : null);
    }

    private static Dictionary<string, string> ReadParameters(QueryParameters parameters, string name) =>
        Structures(parameters, name, "ParameterKey", "ParameterValue")
            .ToDictionary(parameter => parameter.GetValueOrDefault("ParameterKey") ?? "", parameter => parameter.GetValueOrDefault("ParameterValue") ?? "", StringComparer.Ordinal);

    /// <summary>DeploymentTargets, or the older top-level Accounts list.</summary>
    private static DeploymentTargets ReadTargets(QueryParameters parameters)
    {
        var filter = Enumerated(parameters, "DeploymentTargets.AccountFilterType", "NONE", "INTERSECTION", "DIFFERENCE", "UNION");

        var accounts = parameters.GetList("DeploymentTargets.Accounts").Concat(parameters.GetList("Accounts")).ToList();
        var bad = accounts.Where(account => account.Length != 12 || !account.All(char.IsAsciiDigit)).ToList();
        if (bad.Count > 0)
        {
            throw AwsServiceException.Validation("ValidationError",
                bad.Select(account => $"Value '{account}' at 'accounts' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9]{{12}}$").ToList());
        }

        return new DeploymentTargets(accounts, parameters.GetList("DeploymentTargets.OrganizationalUnitIds"), filter);
    }

    /// <summary>StackSetOperationPreferences with the model's limits and its rule that a count and a percentage exclude each other.</summary>
    private static OperationPreferences ReadPreferences(QueryParameters parameters)
    {
        const string prefix = "OperationPreferences.";
        var violations = new List<string>();
        int? Number(string name, int minimum, int maximum)
        {
            if (parameters.Get(prefix + name) is not { } text)
            {
                return null;
            }

            if (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < minimum || value > maximum)
            {
                violations.Add($"Value '{text}' at 'operationPreferences.{char.ToLowerInvariant(name[0])}{name[1..]}' failed to satisfy constraint: Member must have value between {minimum} and {maximum}");
                return null;
            }

            return value;
        }

        var preferences = new OperationPreferences(
            Enumerated(parameters, prefix + "RegionConcurrencyType", "SEQUENTIAL", "PARALLEL"),
            parameters.GetList(prefix + "RegionOrder"),
            Number("FailureToleranceCount", 0, int.MaxValue),
            Number("FailureTolerancePercentage", 0, 100),
            Number("MaxConcurrentCount", 1, int.MaxValue),
            Number("MaxConcurrentPercentage", 1, 100),
            Enumerated(parameters, prefix + "ConcurrencyMode", "STRICT_FAILURE_TOLERANCE", "SOFT_FAILURE_TOLERANCE"));
        if (violations.Count > 0)
        {
            throw AwsServiceException.Validation("ValidationError", violations);
        }

        if (preferences is { MaxConcurrentCount: not null, MaxConcurrentPercentage: not null } or { FailureToleranceCount: not null, FailureTolerancePercentage: not null })
        {
            throw new AwsServiceException(400, "ValidationError", "You can specify either a count or a percentage for MaxConcurrent and FailureTolerance, but not both.");
        }

        return preferences;
    }

    private static string CallAs(QueryParameters parameters) => Enumerated(parameters, "CallAs", "SELF", "DELEGATED_ADMIN") ?? "SELF";

    /// <summary>An enum parameter of the model: null when absent, the model's ValidationError when not one of the values.</summary>
    private static string? Enumerated(QueryParameters parameters, string name, params string[] allowed)
    {
        var value = parameters.Get(name);
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
        {
            var member = string.Join(".", name.Split('.').Select(part => char.ToLowerInvariant(part[0]) + part[1..]));
            throw AwsServiceException.Validation("ValidationError",
                [$"Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", allowed)}]"]);
        }

        return value;
    }

    /// <summary>A page of at most MaxResults (1-100, default 100) items.</summary>
    private (IReadOnlyList<T> Page, XElement? NextToken) LimitedPage<T>(IEnumerable<T> items, string operation, QueryParameters parameters)
    {
        var size = PageSize;
        if (parameters.Get("MaxResults") is { } text && (!int.TryParse(text, out size) || size is < 1 or > 100))
        {
            throw AwsServiceException.Validation("ValidationError", [$"Value '{text}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100"]);
        }

        var (page, nextToken) = PageTokens.Page(items.ToList(), operation, parameters.Get("NextToken"), size,
            () => new AwsServiceException(400, "ValidationError", "Invalid NextToken"));
        return (page, nextToken is null ? null : Element("NextToken", nextToken));
    }
}
