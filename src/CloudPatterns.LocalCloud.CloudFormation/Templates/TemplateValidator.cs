using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Specification;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates;

/// <summary>
/// CloudFormation's synchronous template checks (CreateStack, UpdateStack, CreateChangeSet, ValidateTemplate):
/// structure, resource types, references, GetAtt attributes and dependency cycles. Property values are checked
/// later, per resource, when it is provisioned (<see cref="PropertyValidator"/>), as CloudFormation does.
/// </summary>
internal static class TemplateValidator
{
    public const string CustomResourceType = "AWS::CloudFormation::CustomResource";

    public static readonly IReadOnlySet<string> PseudoParameters = new HashSet<string>(StringComparer.Ordinal)
    {
        "AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region",
        "AWS::StackId", "AWS::StackName", "AWS::URLSuffix",
    };

    private static readonly HashSet<string> TopLevelSections = new(StringComparer.Ordinal)
    {
        "AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings", "Conditions",
        "Transform", "Resources", "Outputs",
    };

    private static readonly HashSet<string> ResourceAttributes = new(StringComparer.Ordinal)
    {
        "Type", "Properties", "DependsOn", "Condition", "DeletionPolicy", "UpdateReplacePolicy", "Metadata",
        "CreationPolicy", "UpdatePolicy", "Version",
    };

    // The list CloudFormation prints when it meets an unsupported Fn:: name.
    private const string SupportedFunctionsText =
        "[Fn::Base64, Fn::GetAtt, Fn::GetAZs, Fn::ImportValue, Fn::Join, Fn::Split, Fn::FindInMap, Fn::Select, Ref, "
        + "Fn::Equals, Fn::If, Fn::Not, Condition, Fn::And, Fn::Or, Fn::Contains, Fn::EachMemberEquals, Fn::EachMemberIn, "
        + "Fn::ValueOf, Fn::ValueOfAll, Fn::RefAll, Fn::Sub, Fn::Cidr]";

    private static readonly HashSet<string> ImplementedFunctions = new(StringComparer.Ordinal)
    {
        "Fn::Base64", "Fn::GetAtt", "Fn::GetAZs", "Fn::ImportValue", "Fn::Join", "Fn::Split", "Fn::FindInMap",
        "Fn::Select", "Fn::Equals", "Fn::If", "Fn::Not", "Fn::And", "Fn::Or", "Fn::Sub", "Fn::Cidr",
    };

    // Rules may also use these; the attribute functions read the EC2 resources LocalCloud records (TemplateEvaluator.RuleAttributes.cs).
    private static readonly HashSet<string> RuleFunctions = new(StringComparer.Ordinal)
    {
        "Fn::Contains", "Fn::EachMemberEquals", "Fn::EachMemberIn", "Fn::RefAll", "Fn::ValueOf", "Fn::ValueOfAll",
    };

    private static readonly HashSet<string> PolicyValues = new(StringComparer.Ordinal) { "Delete", "Retain", "Snapshot", "RetainExceptOnCreate" };

    public static Template Validate(string body, JsonObject root, ResourceSpecification specification)
    {
        var unknownSections = root.Select(section => section.Key).Where(name => !TopLevelSections.Contains(name)).ToList();
        if (unknownSections.Count > 0)
        {
            throw CloudFormationException.TemplateFormat($"Invalid template property or properties [{string.Join(", ", unknownSections)}]");
        }
        if (root["AWSTemplateFormatVersion"] is { } version && version.ToString() != "2010-09-09")
        {
            throw CloudFormationException.TemplateFormat($"Unsupported AWSTemplateFormatVersion: {version}");
        }
        foreach (var (name, section) in root)
        {
            CheckFunctionNames(section, name == "Rules");
        }
        CheckRules(root["Rules"]);

        var parameters = ParameterParser.Parse(root["Parameters"]);
        var conditions = root["Conditions"] as JsonObject ?? [];
        var resources = ParseResources(root["Resources"], specification);
        var outputs = ParseOutputs(root["Outputs"]);

        CheckConditions(conditions, parameters, resources);
        CheckReferences(resources, parameters, conditions, outputs);
        ResolveDependencies(resources);
        return new Template(body, root, parameters, resources, outputs);
    }

    private static void CheckFunctionNames(JsonNode? node, bool inRules)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    CheckFunctionNames(item, inRules);
                }
                break;
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    if (obj.Count == 1 && name.StartsWith("Fn::", StringComparison.Ordinal) && !ImplementedFunctions.Contains(name)
                        && !(inRules && RuleFunctions.Contains(name)))
                    {
                        throw CloudFormationException.TemplateFormat($"Encountered unsupported function: {name} Supported functions are: {SupportedFunctionsText}");
                    }
                    CheckFunctionNames(value, inRules);
                }
                break;
        }
    }

    private static void CheckRules(JsonNode? section)
    {
        if (section is null)
        {
            return;
        }
        foreach (var (name, rule) in section as JsonObject ?? throw CloudFormationException.TemplateFormat("Rules must be an object"))
        {
            if (rule is not JsonObject { } body || body["Assertions"] is not JsonArray assertions
                || assertions.Any(assertion => assertion is not JsonObject item || !item.ContainsKey("Assert")))
            {
                throw CloudFormationException.TemplateFormat($"Every Rules member must contain Assertions, a list of objects with an Assert member; rule {name} does not.");
            }
        }
    }

    private static Dictionary<string, ResourceDefinition> ParseResources(JsonNode? section, ResourceSpecification specification)
    {
        if (section is not JsonObject resources || resources.Count == 0)
        {
            throw CloudFormationException.TemplateFormat("At least one Resources member must be defined.");
        }
        var result = new Dictionary<string, ResourceDefinition>(StringComparer.Ordinal);
        var unknownTypes = new List<string>();
        foreach (var (logicalId, node) in resources)
        {
            if (node is not JsonObject resource || resource["Type"] is not JsonValue typeValue || !typeValue.TryGetValue<string>(out var type))
            {
                throw CloudFormationException.TemplateFormat($"[/Resources/{logicalId}] Every Resources object must contain a Type member.");
            }
            if (!IsAlphanumeric(logicalId))
            {
                throw CloudFormationException.TemplateFormat($"Resource name {logicalId} is non alphanumeric.");
            }
            foreach (var (attribute, _) in resource)
            {
                if (!ResourceAttributes.Contains(attribute))
                {
                    throw CloudFormationException.TemplateFormat($"Invalid template resource property '{attribute}'");
                }
            }
            var specName = type.StartsWith("Custom::", StringComparison.Ordinal) ? CustomResourceType : type;
            // Types that only a Transform expands (AWS::Serverless::*) are unknown without it, and transforms are refused.
            if (!specification.TryGetResourceType(specName, out var spec) || spec.RequiredTransform is not null)
            {
                if (!unknownTypes.Contains(type))
                {
                    unknownTypes.Add(type);
                }
                continue;
            }
            if (resource["Properties"] is not null and not JsonObject)
            {
                throw CloudFormationException.TemplateFormat($"[/Resources/{logicalId}/Properties] 'null' values are not allowed in templates");
            }
            result[logicalId] = new ResourceDefinition(
                logicalId,
                type,
                resource["Properties"] as JsonObject,
                ReadDependsOn(logicalId, resource["DependsOn"]),
                ReadString(resource["Condition"]),
                ReadPolicy(logicalId, "DeletionPolicy", resource["DeletionPolicy"]),
                ReadPolicy(logicalId, "UpdateReplacePolicy", resource["UpdateReplacePolicy"]),
                resource["Metadata"],
                spec);
        }
        if (unknownTypes.Count > 0)
        {
            throw CloudFormationException.TemplateFormat($"Unrecognized resource types: [{string.Join(", ", unknownTypes)}]");
        }
        return result;
    }

    private static bool IsAlphanumeric(string name) => name.Length > 0 && name.All(char.IsAsciiLetterOrDigit);

    private static List<string> ReadDependsOn(string logicalId, JsonNode? dependsOn) => dependsOn switch
    {
        null => [],
        JsonValue single when single.TryGetValue<string>(out var name) => [name],
        JsonArray list when list.All(item => item is JsonValue value && value.TryGetValue<string>(out _)) =>
            list.Select(item => item!.GetValue<string>()).ToList(),
        _ => throw CloudFormationException.TemplateFormat($"[/Resources/{logicalId}/DependsOn] DependsOn must be a string or a list of strings"),
    };

    private static string ReadPolicy(string logicalId, string attribute, JsonNode? value)
    {
        if (value is null)
        {
            return "Delete";
        }
        var policy = ReadString(value);
        if (policy is null || !PolicyValues.Contains(policy))
        {
            // As CloudFormation words it: "Unrecognized DeletionPolicy RetainExceptOnCreate for resource S3"
            // (docs/localcloud-cloudformation-validation.md, "Policy attributes").
            throw CloudFormationException.TemplateFormat($"Unrecognized {attribute} {policy ?? value.ToJsonString()} for resource {logicalId}");
        }
        return policy;
    }

    private static Dictionary<string, OutputDefinition> ParseOutputs(JsonNode? section)
    {
        var result = new Dictionary<string, OutputDefinition>(StringComparer.Ordinal);
        if (section is not JsonObject outputs)
        {
            return result;
        }
        foreach (var (name, node) in outputs)
        {
            if (node is not JsonObject output || !output.ContainsKey("Value"))
            {
                throw CloudFormationException.TemplateFormat($"Every Outputs member must contain a Value object, the Outputs member {name} does not.");
            }
            result[name] = new OutputDefinition(
                name,
                output["Value"],
                ReadString(output["Description"]),
                ReadString(output["Condition"]),
                (output["Export"] as JsonObject)?["Name"]);
        }
        return result;
    }

    private static void CheckConditions(JsonObject conditions, IReadOnlyDictionary<string, ParameterDefinition> parameters, Dictionary<string, ResourceDefinition> resources)
    {
        foreach (var (name, condition) in conditions)
        {
            foreach (var reference in TemplateReferences.Collect(condition))
            {
                switch (reference.Kind)
                {
                    case ReferenceKind.Ref when resources.ContainsKey(reference.Target):
                    case ReferenceKind.GetAtt:
                        throw CloudFormationException.Validation("Template error: Cannot reference resources in the Conditions block of the template");
                    case ReferenceKind.Ref when !parameters.ContainsKey(reference.Target) && !PseudoParameters.Contains(reference.Target):
                        throw CloudFormationException.TemplateFormat($"Unresolved dependencies [{reference.Target}]. Cannot reference resources in the Conditions block of the template");
                    case ReferenceKind.Condition when !conditions.ContainsKey(reference.Target):
                        throw CloudFormationException.Validation($"Template error: unresolved condition dependency {reference.Target} in Fn::Condition of condition {name}");
                }
            }
        }
        ConditionCycleCheck(conditions);
    }

    private static void ConditionCycleCheck(JsonObject conditions)
    {
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: visiting, true: done
        foreach (var (name, _) in conditions)
        {
            Visit(name);
        }

        void Visit(string name)
        {
            if (state.TryGetValue(name, out var done))
            {
                if (!done)
                {
                    throw CloudFormationException.Validation($"Template error: Circular dependency between conditions: [{name}]");
                }
                return;
            }
            state[name] = false;
            foreach (var reference in TemplateReferences.Collect(conditions[name]).Where(reference => reference.Kind == ReferenceKind.Condition))
            {
                Visit(reference.Target);
            }
            state[name] = true;
        }
    }

    private static void CheckReferences(
        Dictionary<string, ResourceDefinition> resources,
        IReadOnlyDictionary<string, ParameterDefinition> parameters,
        JsonObject conditions,
        Dictionary<string, OutputDefinition> outputs)
    {
        var unresolved = new List<string>();
        foreach (var resource in resources.Values)
        {
            if (resource.Condition is { } condition && !conditions.ContainsKey(condition))
            {
                throw CloudFormationException.TemplateFormat($"Unresolved dependencies [{condition}]. Cannot reference resources in the Conditions block of the template");
            }
            unresolved.AddRange(resource.DependsOn.Where(dependency => !resources.ContainsKey(dependency)));
            CheckValueReferences(resource.Properties, resources, parameters, conditions, unresolved);
        }
        ThrowUnresolved(unresolved, "Resources");
        foreach (var output in outputs.Values)
        {
            if (output.Condition is { } condition && !conditions.ContainsKey(condition))
            {
                throw CloudFormationException.TemplateFormat($"Unresolved dependencies [{condition}]. Cannot reference resources in the Conditions block of the template");
            }
            CheckValueReferences(new JsonArray(output.Value?.DeepClone(), output.ExportName?.DeepClone()), resources, parameters, conditions, unresolved);
        }
        ThrowUnresolved(unresolved, "Outputs");
    }

    private static void ThrowUnresolved(List<string> unresolved, string block)
    {
        if (unresolved.Count > 0)
        {
            throw CloudFormationException.TemplateFormat($"Unresolved resource dependencies [{string.Join(", ", unresolved.Distinct())}] in the {block} block of the template");
        }
    }

    private static void CheckValueReferences(
        JsonNode? value,
        Dictionary<string, ResourceDefinition> resources,
        IReadOnlyDictionary<string, ParameterDefinition> parameters,
        JsonObject conditions,
        List<string> unresolved)
    {
        foreach (var reference in TemplateReferences.Collect(value))
        {
            switch (reference.Kind)
            {
                case ReferenceKind.Ref when !resources.ContainsKey(reference.Target) && !parameters.ContainsKey(reference.Target)
                    && !PseudoParameters.Contains(reference.Target):
                    unresolved.Add(reference.Target);
                    break;
                case ReferenceKind.GetAtt when !resources.TryGetValue(reference.Target, out _):
                    throw CloudFormationException.Validation($"Template error: instance of Fn::GetAtt references undefined resource {reference.Target}");
                case ReferenceKind.GetAtt when reference.Attribute is { } attribute && !SupportsAttribute(resources[reference.Target], attribute):
                    throw CloudFormationException.Validation($"Template error: resource {reference.Target} does not support attribute type {attribute} in Fn::GetAtt");
                case ReferenceKind.Condition when !conditions.ContainsKey(reference.Target):
                    throw CloudFormationException.Validation($"Template error: unresolved condition dependency {reference.Target} in Fn::If");
            }
        }
    }

    private static bool SupportsAttribute(ResourceDefinition resource, string attribute) =>
        resource.IsCustom
        || resource.Spec.Attributes.ContainsKey(attribute)
        || (resource.Type == "AWS::CloudFormation::Stack" && attribute.StartsWith("Outputs.", StringComparison.Ordinal));

    private static void ResolveDependencies(Dictionary<string, ResourceDefinition> resources)
    {
        foreach (var resource in resources.Values)
        {
            var dependencies = new HashSet<string>(resource.DependsOn, StringComparer.Ordinal);
            foreach (var reference in TemplateReferences.Collect(resource.Properties))
            {
                if (reference.Kind != ReferenceKind.Condition && resources.ContainsKey(reference.Target))
                {
                    dependencies.Add(reference.Target);
                }
            }
            resource.Dependencies = dependencies;
        }
        var cycle = FindCycle(resources);
        if (cycle.Count > 0)
        {
            throw CloudFormationException.Validation($"Circular dependency between resources: [{string.Join(", ", cycle)}]");
        }
    }

    /// <summary>The resources on or behind a dependency cycle, in template order (empty when there is none).</summary>
    private static List<string> FindCycle(Dictionary<string, ResourceDefinition> resources)
    {
        // Kahn's algorithm: what cannot be ordered is in a cycle or waits on one, which is what CloudFormation lists.
        var remaining = resources.Values.ToDictionary(resource => resource.LogicalId, resource => resource.Dependencies.Count, StringComparer.Ordinal);
        var dependents = resources.Values
            .SelectMany(resource => resource.Dependencies.Select(dependency => (dependency, resource.LogicalId)))
            .ToLookup(pair => pair.dependency, pair => pair.LogicalId);
        var ready = new Queue<string>(remaining.Where(pair => pair.Value == 0).Select(pair => pair.Key));
        while (ready.Count > 0)
        {
            foreach (var dependent in dependents[ready.Dequeue()])
            {
                if (--remaining[dependent] == 0)
                {
                    ready.Enqueue(dependent);
                }
            }
        }
        return resources.Keys.Where(name => remaining[name] > 0).ToList();
    }

    internal static string? ReadString(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
