using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.CloudFormation.Specification;
using CloudPatterns.LocalCloud.CloudFormation.Templates;

namespace CloudPatterns.LocalCloud.CloudFormation.Stacks;

/// <summary>
/// CloudFormation for every account and region of LocalCloud: stacks, change sets, exports, drift. Synchronous
/// refusals throw <see cref="CloudFormationException"/>; provisioning runs in the background
/// (<see cref="Stack.Operation"/>) and reports through stack status and events, as CloudFormation does.
/// </summary>
public sealed partial class CloudFormationEngine
{
    private readonly List<Stack> _stacks = [];
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, DriftDetection> _driftDetections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<ResourceDrift>> _resourceDrifts = new(StringComparer.Ordinal);

    /// <param name="clock">LocalCloud's simulated clock (event and stack times); the system clock by default.</param>
    public CloudFormationEngine(TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        Provisioners = new ProvisionerRegistry(new GenericResourceProvisioner());
        Provisioners.Register(NestedStackProvisioner.ResourceType, new NestedStackProvisioner(this));
        Provisioners.Register(WaitConditionHandleProvisioner.ResourceType, new WaitConditionHandleProvisioner(this));
        Provisioners.Register(WaitConditionProvisioner.ResourceType, new WaitConditionProvisioner());
        Provisioners.Register(CustomResourceProvisioner.ResourceType, new CustomResourceProvisioner(this));
    }

    /// <summary>Where nested stacks' TemplateURLs are read; none fails every nested stack.</summary>
    public ITemplateSource? TemplateSource { get; set; }

    /// <summary>Where LocalCloud's services plug in their provisioners.</summary>
    public ProvisionerRegistry Provisioners { get; }

    /// <summary>Authorizes each resource's calls as the stack's principal; none provisions unchecked.</summary>
    public IProvisioningAuthorizer? Authorizer { get; set; }

    /// <summary>The provisioner of a type, acting as the stack's principal (a nested stack's is its root's).</summary>
    private IResourceProvisioner ProvisionerFor(Stack stack, string resourceType)
    {
        var provisioner = Provisioners.For(resourceType);
        var principal = stack.RootId is { } rootId && FindStack(stack.AccountId, stack.Region, rootId) is { } root ? root.Principal : stack.Principal;
        return Authorizer is { } authorizer && principal != StackPrincipal.None
            ? new AuthorizedProvisioner(provisioner, authorizer, principal)
            : provisioner;
    }

    /// <summary>The principal after an operation: its caller, and its role or else the role the stack already has.</summary>
    private static StackPrincipal NextPrincipal(Stack stack, string? roleArn, object? caller) =>
        new(caller ?? stack.Principal.Caller, roleArn ?? stack.Principal.RoleArn);

    /// <summary>
    /// A region's availability zones (Fn::GetAZs, AWS::EC2::AvailabilityZone::Name): a, b and c, as most regions have;
    /// us-east-1 has six (docs/localcloud-cloudformation-transforms.md, "Regions").
    /// </summary>
    private static IReadOnlyList<string> AvailabilityZones(string region) =>
        (region == "us-east-1" ? "abcdef" : "abc").Select(zone => region + zone).ToList();

    [GeneratedRegex("^[a-zA-Z][-a-zA-Z0-9]*$")]
    private static partial Regex StackNamePattern();

    // ---------------------------------------------------------------- lookups

    /// <summary>Stacks of an account and region, deleted ones included (ListStacks shows them).</summary>
    public IReadOnlyList<Stack> ListStacks(string accountId, string region)
    {
        lock (_stacks)
        {
            return _stacks.Where(stack => stack.AccountId == accountId && stack.Region == region).ToList();
        }
    }

    /// <summary>A live stack by name, or any stack (deleted too) by stack id; null when there is none.</summary>
    public Stack? FindStack(string accountId, string region, string nameOrId)
    {
        lock (_stacks)
        {
            return nameOrId.StartsWith("arn:", StringComparison.Ordinal)
                ? _stacks.FirstOrDefault(stack => stack.StackId == nameOrId && stack.AccountId == accountId && stack.Region == region)
                : _stacks.LastOrDefault(stack => stack.StackName == nameOrId && !stack.IsDeleted && stack.AccountId == accountId && stack.Region == region);
        }
    }

    /// <summary>The stack or ValidationError "Stack with id X does not exist" (DescribeStacks, ListStackResources...).</summary>
    public Stack GetStack(string accountId, string region, string nameOrId) =>
        FindStack(accountId, region, nameOrId) ?? throw CloudFormationException.Validation($"Stack with id {nameOrId} does not exist");

    /// <summary>The live stack or ValidationError "Stack [X] does not exist" (UpdateStack, DescribeStackEvents...).</summary>
    public Stack GetStackForUpdate(string accountId, string region, string nameOrId) =>
        FindStack(accountId, region, nameOrId) is { IsDeleted: false } stack
            ? stack
            : throw CloudFormationException.Validation($"Stack [{nameOrId}] does not exist");

    public IReadOnlyList<Export> ListExports(string accountId, string region)
    {
        var exports = new List<Export>();
        foreach (var stack in ListStacks(accountId, region).Where(stack => !stack.IsDeleted))
        {
            exports.AddRange(stack.Outputs.Where(output => output.ExportName is not null)
                .Select(output => new Export(stack.StackId, output.ExportName!, output.OutputValue)));
        }
        return exports;
    }

    // ---------------------------------------------------------------- templates

    /// <summary>ValidateTemplate/GetTemplateSummary: the parsed template, or the CloudFormation error.</summary>
    /// <remarks>Transforms run with the parameters' defaults, in the caller's account and region.</remarks>
    public Template ValidateTemplate(string? templateBody, string accountId = "", string region = "us-east-1") =>
        ParseTemplate(templateBody, new StackIdentity(accountId, region, "ValidateTemplate", "", []), new Dictionary<string, string>());

    private Template ParseTemplate(string? templateBody, StackIdentity identity, IReadOnlyDictionary<string, string> supplied)
    {
        var template = Template.Parse(
            templateBody ?? throw CloudFormationException.Validation("Either Template URL or Template Body must be specified."),
            Specification,
            root => TransformContextFor(identity, root, supplied));
        RetiredServices.Require(template.Resources.Values.Select(resource => resource.Type), _clock.GetUtcNow());
        return template;
    }

    /// <summary>The specification, loaded on the first template so that starting LocalCloud does not wait for it.</summary>
    private static ResourceSpecification Specification => ResourceSpecification.Default;

    /// <summary>The reason text CloudFormation gives with required capabilities.</summary>
    public static string CapabilitiesReason(Template template) =>
        "The following resource(s) require capabilities: [" + string.Join(", ", template.Resources.Values
            .Where(resource => resource.Type.StartsWith("AWS::IAM::", StringComparison.Ordinal))
            .Select(resource => resource.Type).Distinct().Concat(template.DeclaredTransforms)) + "]";

    /// <param name="changeSet">Change sets show the processed template for review, so they need no CAPABILITY_AUTO_EXPAND.</param>
    private static void CheckCapabilities(Template template, IReadOnlyList<string> granted, bool changeSet)
    {
        var required = template.RequiredCapabilities().Where(capability => !changeSet || capability != "CAPABILITY_AUTO_EXPAND").ToList();
        var satisfied = required.All(capability => granted.Contains(capability)
            || (capability == "CAPABILITY_IAM" && granted.Contains("CAPABILITY_NAMED_IAM")));
        if (!satisfied)
        {
            throw new CloudFormationException("InsufficientCapabilitiesException", $"Requires capabilities : [{string.Join(", ", required)}]");
        }
    }

    private static void CheckStackName(string name)
    {
        if (name.Length > 128 || !StackNamePattern().IsMatch(name))
        {
            throw CloudFormationException.Validation(
                $"1 validation error detected: Value '{name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/._+]*");
        }
    }

    /// <summary>
    /// The checks CloudFormation makes before it accepts an operation: template, capabilities, parameter values, and
    /// every resource's properties evaluated once (conditions, mappings, Select indexes), with resources as placeholders.
    /// </summary>
    private (Template Template, Dictionary<string, JsonNode> Values) Prepare(StackInput input, Stack? current, StackIdentity identity, bool changeSet = false)
    {
        var supplied = new Dictionary<string, string>(input.Parameters, StringComparer.Ordinal);
        foreach (var name in input.PreviousValueParameters)
        {
            if (current?.Parameters.FirstOrDefault(parameter => parameter.ParameterKey == name) is not { } previous)
            {
                throw CloudFormationException.Validation($"Invalid input for parameter key {name}. Cannot specify usePreviousValue as true for a parameter key not in the previous template");
            }
            supplied[name] = previous.ParameterValue;
        }
        // The previous template is processed again: its transforms see this operation's parameter values.
        var template = ParseTemplate(input.UsePreviousTemplate
            ? current?.Template?.Body ?? throw CloudFormationException.Validation("UsePreviousTemplate is set but the stack has no template.")
            : input.TemplateBody, identity, supplied);
        CheckCapabilities(template, input.Capabilities, changeSet);
        var values = ParameterParser.ResolveValues(template.Parameters, supplied, AvailabilityZones(identity.Region), ParameterLookup(identity));
        DynamicReferences.Check(template, ParameterLookup(identity));
        TemplateEvaluator? evaluator = null;
        var resources = new IncludedResourcesOnly(new PlaceholderValues(current, []),
            logicalId => evaluator!.IsIncluded(template.Resources[logicalId].Condition));
        evaluator = new TemplateEvaluator(template, Context(identity, values, resources));
        evaluator.CheckRules();
        foreach (var resource in template.Resources.Values.Where(resource => evaluator.IsIncluded(resource.Condition)))
        {
            ResolveIgnoringImports(evaluator, resource.Properties);
        }
        foreach (var output in template.Outputs.Values.Where(output => evaluator.IsIncluded(output.Condition)))
        {
            ResolveIgnoringImports(evaluator, output.Value);
        }
        return (template, values);
    }

    private static void ResolveIgnoringImports(TemplateEvaluator evaluator, JsonNode? value)
    {
        try
        {
            evaluator.Resolve(value);
        }
        catch (ResourceFailedException)
        {
            // A missing export fails the resource when it is provisioned, not the request.
        }
    }

    private EvaluationContext Context(StackIdentity identity, IReadOnlyDictionary<string, JsonNode> values, IResourceValues resources) =>
        new(identity, values, resources, AvailabilityZones, name => ListExports(identity.AccountId, identity.Region)
            .FirstOrDefault(export => export.Name == name)?.Value)
        {
            RecordedResource = (type, id) => Provisioners.Generic.Recorded(identity.AccountId, identity.Region, type).GetValueOrDefault(id),
        };

    // ---------------------------------------------------------------- create / update / delete

    public Stack CreateStack(string accountId, string region, StackInput input)
    {
        CheckStackName(input.StackName);
        if (FindStack(accountId, region, input.StackName) is not null)
        {
            throw new CloudFormationException("AlreadyExistsException", $"Stack [{input.StackName}] already exists");
        }
        var stack = NewStack(accountId, region, input);
        var (template, values) = Prepare(input, null, stack.Identity);
        BeginCreate(stack, template, values);
        Register(stack);
        lock (stack.Gate)
        {
            stack.Operation = Task.Run(() => RunCreateAsync(stack, template, input.OnFailure));
        }
        return stack;
    }

    private Stack NewStack(string accountId, string region, StackInput input)
    {
        var stackId = $"arn:aws:cloudformation:{region}:{accountId}:stack/{input.StackName}/{Guid.NewGuid()}";
        return new Stack(accountId, region, stackId, input.StackName, _clock)
        {
            Capabilities = input.Capabilities,
            NotificationArns = input.NotificationArns,
            Tags = input.Tags ?? [],
            TerminationProtection = input.EnableTerminationProtection,
            DisableRollback = input.Parent?.DisableRollback ?? input.OnFailure == "DO_NOTHING",
            ParentId = input.Parent?.StackId,
            Principal = new StackPrincipal(input.Caller ?? input.Parent?.Principal.Caller, input.RoleArn ?? input.Parent?.Principal.RoleArn),
            RootId = input.Parent is { } parent ? parent.RootId ?? parent.StackId : null,
        };
    }

    private void Register(Stack stack)
    {
        lock (_stacks)
        {
            if (_stacks.Any(other => other.StackName == stack.StackName && !other.IsDeleted && other.AccountId == stack.AccountId && other.Region == stack.Region))
            {
                throw new CloudFormationException("AlreadyExistsException", $"Stack [{stack.StackName}] already exists");
            }
            _stacks.Add(stack);
        }
    }

    public Stack UpdateStack(string accountId, string region, StackInput input)
    {
        var stack = GetStackForUpdate(accountId, region, input.StackName);
        CheckUpdatable(stack);
        var (template, values) = Prepare(input, stack, stack.Identity);
        var plan = PlanChanges(stack, template, values);
        if (plan.Count == 0 && !TemplateOrSettingsChanged(stack, template, values, input))
        {
            throw CloudFormationException.Validation("No updates are to be performed.");
        }
        lock (stack.Gate)
        {
            stack.OperationToken = null;
        }
        StartUpdate(stack, template, values, input, revertDrift: new HashSet<string>());
        return stack;
    }

    private static void CheckUpdatable(Stack stack)
    {
        lock (stack.Gate)
        {
            var updatable = stack.Status is "CREATE_COMPLETE" or "UPDATE_COMPLETE" or "UPDATE_ROLLBACK_COMPLETE" or "IMPORT_COMPLETE";
            if (!updatable)
            {
                throw CloudFormationException.Validation($"Stack:{stack.StackId} is in {stack.Status} state and can not be updated.");
            }
        }
    }

    private static bool TemplateOrSettingsChanged(Stack stack, Template template, Dictionary<string, JsonNode> values, StackInput input)
    {
        lock (stack.Gate)
        {
            var parametersChanged = values.Count != stack.ParameterValues.Count
                || values.Any(pair => !stack.ParameterValues.TryGetValue(pair.Key, out var old) || !JsonNode.DeepEquals(old, pair.Value));
            var outputsChanged = !JsonNode.DeepEquals(template.Root["Outputs"], stack.Template?.Root["Outputs"]);
            var tagsChanged = input.Tags is not null && !input.Tags.SequenceEqual(stack.Tags);
            return parametersChanged || outputsChanged || tagsChanged;
        }
    }

    /// <param name="revertDrift">Resources whose template is unchanged but whose drift the update puts back (drift-aware change sets).</param>
    private void StartUpdate(Stack stack, Template template, Dictionary<string, JsonNode> values, StackInput input, IReadOnlySet<string> revertDrift)
    {
        lock (stack.Gate)
        {
            // Checked again under the lock: another update may have started since the request was checked.
            CheckUpdatable(stack);
            stack.SetStatus("UPDATE_IN_PROGRESS", "User Initiated");
            stack.LastUpdatedTime = _clock.GetUtcNow();
            if (input.Tags is not null)
            {
                stack.Tags = input.Tags;
            }
            stack.Capabilities = input.Capabilities;
            stack.Principal = NextPrincipal(stack, input.RoleArn, input.Caller);
            stack.Operation = Task.Run(() => RunUpdateAsync(stack, template, values, revertDrift));
        }
    }

    /// <summary>Starts deleting a stack; null when there is none (AWS answers DeleteStack of a missing stack with success).</summary>
    /// <param name="roleArn">DeleteStack's RoleARN: the service role for the deletion (null keeps the stack's).</param>
    /// <param name="caller">The caller, whose forward access session deletes when the stack has no role.</param>
    public Stack? DeleteStack(string accountId, string region, string nameOrId, string? roleArn = null, object? caller = null)
    {
        var stack = FindStack(accountId, region, nameOrId);
        if (stack is null || stack.IsDeleted)
        {
            return null;
        }
        lock (stack.Gate)
        {
            if (stack.TerminationProtection)
            {
                throw CloudFormationException.Validation($"Stack [{stack.StackName}] cannot be deleted while TerminationProtection is enabled");
            }
            if (stack.Status == "DELETE_IN_PROGRESS")
            {
                return stack;
            }
            stack.OperationToken = null;
            stack.Principal = NextPrincipal(stack, roleArn, caller);
            var previous = stack.Operation;
            stack.Operation = Task.Run(async () =>
            {
                await previous;
                // A second DeleteStack may have queued behind the first before it started.
                if (!stack.IsDeleted)
                {
                    await RunDeleteAsync(stack);
                }
            });
        }
        return stack;
    }

    public void UpdateTerminationProtection(string accountId, string region, string nameOrId, bool enabled)
    {
        var stack = GetStackForUpdate(accountId, region, nameOrId);
        lock (stack.Gate)
        {
            stack.TerminationProtection = enabled;
        }
    }
}
