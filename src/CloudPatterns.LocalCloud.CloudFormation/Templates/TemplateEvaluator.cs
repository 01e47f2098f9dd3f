using System.Globalization;
using System.Net;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates;

/// <summary>Where a stack lives: the values of the pseudo parameters.</summary>
public sealed record StackIdentity(string AccountId, string Region, string StackName, string StackId, IReadOnlyList<string> NotificationArns)
{
    public string Partition => Region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
        : Region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov" : "aws";

    public string UrlSuffix => Partition == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
}

/// <summary>The values of a stack's resources as the evaluator sees them (physical ids and attributes).</summary>
public interface IResourceValues
{
    JsonNode Ref(string logicalId);

    JsonNode GetAtt(string logicalId, string attribute);
}

/// <summary>The lookups an evaluation needs from outside the template.</summary>
public sealed record EvaluationContext(
    StackIdentity Stack,
    IReadOnlyDictionary<string, JsonNode> ParameterValues,
    IResourceValues Resources,
    Func<string, IReadOnlyList<string>> AvailabilityZones,
    Func<string, string?> ImportValue)
{
    /// <summary>
    /// The recorded properties of an AWS resource of a type (e.g. AWS::EC2::Subnet) by id in the stack's account and
    /// region, null when none is recorded: what the Rules functions Fn::ValueOf and Fn::ValueOfAll read. Null: none.
    /// </summary>
    public Func<string, string, JsonObject?>? RecordedResource { get; init; }
}

/// <summary>Evaluates conditions and intrinsic functions of one template for one stack.</summary>
public sealed partial class TemplateEvaluator(Template template, EvaluationContext context)
{
    /// <summary>
    /// How a value known only once a resource exists (planning, validation) is written: "{{KnownAfterApply:Id}}" or
    /// "{{KnownAfterApply:Id.Attribute}}". A function whose input holds one gives one back instead of evaluating, as
    /// CloudFormation evaluates such functions only when the resource that needs them is created; it never reaches a
    /// message.
    /// </summary>
    public const string KnownAfterApply = "{{KnownAfterApply:";

    // AWS::NoValue while a value is being built; the parent object or list drops it.
    private static readonly JsonValue NoValue = JsonValue.Create("AWS::NoValue");

    private readonly Dictionary<string, bool> _conditions = new(StringComparer.Ordinal);

    public bool IsConditionTrue(string name)
    {
        if (!_conditions.TryGetValue(name, out var value))
        {
            value = EvaluateCondition(template.Conditions[name]);
            _conditions[name] = value;
        }
        return value;
    }

    /// <summary>
    /// Checks the Rules section against the parameter values: every assertion of a rule whose RuleCondition holds
    /// must be true, else the request is refused with the assertion's description.
    /// </summary>
    public void CheckRules()
    {
        foreach (var (name, rule) in template.Rules)
        {
            if (rule!["RuleCondition"] is { } condition && !EvaluateCondition(condition))
            {
                continue;
            }
            foreach (var assertion in rule["Assertions"]!.AsArray())
            {
                if (!EvaluateCondition(assertion!["Assert"]))
                {
                    // AWS shows the AssertDescription; the wording without one is inferred.
                    throw CloudFormationException.Validation(
                        TemplateValidator.ReadString(assertion["AssertDescription"]) ?? $"Template validation error: assertion of rule {name} failed");
                }
            }
        }
    }

    /// <summary>Whether a resource or output exists under the current conditions.</summary>
    public bool IsIncluded(string? condition) => condition is null || IsConditionTrue(condition);

    /// <summary>Resolves a value; AWS::NoValue at the top gives null.</summary>
    public JsonNode? Resolve(JsonNode? value)
    {
        var resolved = Evaluate(value);
        return ReferenceEquals(resolved, NoValue) ? null : resolved;
    }

    public string ResolveString(JsonNode? value, string where) =>
        AsString(Evaluate(value)) ?? throw CloudFormationException.Validation($"Template error: {where} must resolve to a string");

    private JsonNode? Evaluate(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonValue scalar:
                return scalar.DeepClone();
            case JsonArray array:
                var list = new JsonArray();
                foreach (var item in array)
                {
                    var resolved = Evaluate(item);
                    if (!ReferenceEquals(resolved, NoValue))
                    {
                        list.Add(resolved);
                    }
                }
                return list;
            case JsonObject obj when obj.Count == 1 && IsFunction(obj.First().Key):
                var (name, argument) = obj.First();
                return EvaluateFunction(name, argument);
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (key, item) in obj)
                {
                    var resolved = Evaluate(item);
                    if (!ReferenceEquals(resolved, NoValue))
                    {
                        result[key] = resolved;
                    }
                }
                return result;
            default:
                throw new InvalidOperationException($"Unexpected template node {node.GetType().Name}.");
        }
    }

    private static bool IsFunction(string key) => key == "Ref" || key.StartsWith("Fn::", StringComparison.Ordinal);

    private JsonNode? EvaluateFunction(string name, JsonNode? argument) => name switch
    {
        "Ref" => EvaluateRef(RequireString(argument, "Ref")),
        "Fn::GetAtt" => EvaluateGetAtt(argument),
        "Fn::Sub" => JsonValue.Create(EvaluateSub(argument)),
        "Fn::Join" => EvaluateJoin(argument),
        "Fn::Select" => EvaluateSelect(argument),
        "Fn::Split" => EvaluateSplit(argument),
        "Fn::If" => EvaluateIf(argument),
        "Fn::Equals" or "Fn::And" or "Fn::Or" or "Fn::Not" => JsonValue.Create(EvaluateCondition(new JsonObject { [name] = argument?.DeepClone() })),
        "Fn::FindInMap" => EvaluateFindInMap(argument),
        "Fn::GetAZs" => EvaluateGetAzs(argument),
        "Fn::Cidr" => EvaluateCidr(argument),
        "Fn::Base64" => EvaluateBase64(argument),
        "Fn::ImportValue" => EvaluateImportValue(argument),
        "Fn::RefAll" => EvaluateRefAll(argument),
        "Fn::ValueOf" => EvaluateValueOf(argument),
        "Fn::ValueOfAll" => EvaluateValueOfAll(argument),
        _ => throw CloudFormationException.TemplateFormat($"Encountered unsupported function: {name}"),
    };

    private JsonNode EvaluateBase64(JsonNode? argument)
    {
        var text = Evaluate(argument);
        return Unknown(text) ?? JsonValue.Create(Convert.ToBase64String(Encoding.UTF8.GetBytes(
            AsString(text) ?? throw CloudFormationException.Validation("Template error: Fn::Base64 must resolve to a string"))));
    }

    private JsonNode EvaluateRef(string target)
    {
        switch (target)
        {
            case "AWS::NoValue":
                return NoValue;
            case "AWS::AccountId":
                return JsonValue.Create(context.Stack.AccountId);
            case "AWS::Region":
                return JsonValue.Create(context.Stack.Region);
            case "AWS::StackName":
                return JsonValue.Create(context.Stack.StackName);
            case "AWS::StackId":
                return JsonValue.Create(context.Stack.StackId);
            case "AWS::Partition":
                return JsonValue.Create(context.Stack.Partition);
            case "AWS::URLSuffix":
                return JsonValue.Create(context.Stack.UrlSuffix);
            case "AWS::NotificationARNs":
                return new JsonArray(context.Stack.NotificationArns.Select(arn => (JsonNode)JsonValue.Create(arn)).ToArray());
        }
        if (context.ParameterValues.TryGetValue(target, out var parameter))
        {
            return parameter.DeepClone();
        }
        if (template.Resources.ContainsKey(target))
        {
            return context.Resources.Ref(target);
        }
        throw CloudFormationException.TemplateFormat($"Unresolved resource dependencies [{target}] in the Resources block of the template");
    }

    private JsonNode EvaluateGetAtt(JsonNode? argument)
    {
        var (resource, attributeNode) = TemplateReferences.GetAttArguments(argument)
            ?? throw CloudFormationException.Validation("Template error: every Fn::GetAtt object requires two non-empty parameters, the resource name and the resource attribute");
        var attribute = ResolveString(attributeNode, "the attribute of Fn::GetAtt");
        if (!template.Resources.TryGetValue(resource, out var definition))
        {
            throw CloudFormationException.Validation($"Template error: instance of Fn::GetAtt references undefined resource {resource}");
        }
        if (!definition.IsCustom && !definition.Spec.Attributes.ContainsKey(attribute)
            && !(definition.Type == "AWS::CloudFormation::Stack" && attribute.StartsWith("Outputs.", StringComparison.Ordinal)))
        {
            throw CloudFormationException.Validation($"Template error: resource {resource} does not support attribute type {attribute} in Fn::GetAtt");
        }
        return context.Resources.GetAtt(resource, attribute);
    }

    private string EvaluateSub(JsonNode? argument)
    {
        string text;
        var variables = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (argument is JsonArray { Count: 2 } pair && pair[1] is JsonObject map)
        {
            text = RequireString(pair[0], "Fn::Sub");
            foreach (var (name, value) in map)
            {
                variables[name] = Evaluate(value);
            }
        }
        else
        {
            text = RequireString(argument, "Fn::Sub");
        }
        var result = new StringBuilder();
        foreach (var part in SubTemplate.Parse(text))
        {
            if (part.Literal is { } literal)
            {
                result.Append(literal);
                continue;
            }
            var variable = part.Variable!;
            JsonNode? value;
            if (variables.TryGetValue(variable, out var supplied))
            {
                value = supplied;
            }
            else
            {
                var dot = variable.IndexOf('.');
                value = dot > 0 && !TemplateValidator.PseudoParameters.Contains(variable)
                    ? EvaluateGetAtt(new JsonArray(variable[..dot], variable[(dot + 1)..]))
                    : EvaluateRef(variable);
            }
            result.Append(AsString(value) ?? throw CloudFormationException.Validation(
                $"Template error: variable {variable} in Fn::Sub expression does not resolve to a string"));
        }
        return result.ToString();
    }

    private JsonNode EvaluateJoin(JsonNode? argument)
    {
        var list = argument is JsonArray { Count: 2 } arguments ? Evaluate(arguments[1]) : null;
        if (list is not JsonArray && Unknown(list) is { } unknown)
        {
            return unknown;
        }
        if (argument is not JsonArray { Count: 2 } pair || list is not JsonArray items)
        {
            throw CloudFormationException.Validation("Template error: every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined.");
        }
        var delimiter = RequireString(pair[0], "Fn::Join");
        return JsonValue.Create(string.Join(delimiter, items.Select(item => AsString(item)
            ?? throw CloudFormationException.Validation("Template error: every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined."))));
    }

    private JsonNode? EvaluateSelect(JsonNode? argument)
    {
        var (indexNode, list) = argument is JsonArray { Count: 2 } arguments ? (Evaluate(arguments[0]), Evaluate(arguments[1])) : (null, null);
        if ((Unknown(indexNode) ?? (list is JsonArray ? null : Unknown(list))) is { } unknown)
        {
            return unknown;
        }
        if (list is not JsonArray items
            || !int.TryParse(AsString(indexNode), NumberStyles.Integer, CultureInfo.InvariantCulture, out var index))
        {
            throw CloudFormationException.Validation("Template error: Fn::Select requires a list argument with two elements: an integer index and a list");
        }
        if (index < 0 || index >= items.Count)
        {
            throw CloudFormationException.Validation($"Template error: Fn::Select cannot select nonexistent value at index {index}");
        }
        return items[index]?.DeepClone();
    }

    private JsonNode EvaluateSplit(JsonNode? argument)
    {
        if (argument is not JsonArray { Count: 2 } pair)
        {
            throw CloudFormationException.Validation("Template error: every Fn::Split object requires two parameters, (1) a string delimiter and (2) a string to be split or a function that returns a string to be split.");
        }
        var delimiter = RequireString(pair[0], "Fn::Split");
        var sourceNode = Evaluate(pair[1]);
        if (Unknown(sourceNode) is { } unknown)
        {
            return unknown;
        }
        var source = AsString(sourceNode) ?? throw CloudFormationException.Validation("Template error: the source string of Fn::Split must resolve to a string");
        return new JsonArray(source.Split(delimiter).Select(part => (JsonNode)JsonValue.Create(part)).ToArray());
    }

    private JsonNode? EvaluateIf(JsonNode? argument)
    {
        if (argument is not JsonArray { Count: 3 } branches)
        {
            throw CloudFormationException.Validation("Template error: Fn::If requires a list argument with three elements");
        }
        return IsConditionTrue(RequireString(branches[0], "Fn::If")) ? Evaluate(branches[1]) : Evaluate(branches[2]);
    }

    private bool EvaluateCondition(JsonNode? node)
    {
        if (node is JsonValue literal && literal.TryGetValue<bool>(out var constant))
        {
            return constant;
        }
        if (node is not JsonObject { Count: 1 } function)
        {
            throw CloudFormationException.Validation("Template error: Conditions can only be boolean operations on parameters and other conditions");
        }
        var (name, argument) = function.First();
        switch (name)
        {
            case "Condition":
                return IsConditionTrue(RequireString(argument, "Condition"));
            case "Fn::Equals" when argument is JsonArray { Count: 2 } pair:
                return ComparableText(Evaluate(pair[0])) == ComparableText(Evaluate(pair[1]));
            case "Fn::Not" when argument is JsonArray { Count: 1 } single:
                return !EvaluateCondition(single[0]);
            case "Fn::And" when argument is JsonArray { Count: >= 2 and <= 10 } all:
                return all.All(EvaluateCondition);
            case "Fn::Or" when argument is JsonArray { Count: >= 2 and <= 10 } any:
                return any.Any(EvaluateCondition);
            case "Fn::Contains" when argument is JsonArray { Count: 2 } pair && Evaluate(pair[0]) is JsonArray haystack:
                return haystack.Select(ComparableText).Contains(ComparableText(Evaluate(pair[1])));
            case "Fn::EachMemberEquals" when argument is JsonArray { Count: 2 } pair && Evaluate(pair[0]) is JsonArray members:
                var expected = ComparableText(Evaluate(pair[1]));
                return members.All(member => ComparableText(member) == expected);
            case "Fn::EachMemberIn" when argument is JsonArray { Count: 2 } pair
                && Evaluate(pair[0]) is JsonArray candidates && Evaluate(pair[1]) is JsonArray allowed:
                var allowedTexts = allowed.Select(ComparableText).ToHashSet(StringComparer.Ordinal);
                return candidates.All(candidate => allowedTexts.Contains(ComparableText(candidate)));
            case "Fn::Equals" or "Fn::Not" or "Fn::And" or "Fn::Or" or "Fn::Contains" or "Fn::EachMemberEquals" or "Fn::EachMemberIn":
                throw CloudFormationException.Validation($"Template error: {name} has the wrong number of arguments");
            default:
                return Evaluate(node) is JsonValue value && value.TryGetValue<bool>(out var result)
                    ? result
                    : throw CloudFormationException.Validation("Template error: Conditions can only be boolean operations on parameters and other conditions");
        }
    }

    private static string ComparableText(JsonNode? node) => AsString(node) ?? node?.ToJsonString() ?? "";

    private JsonNode? EvaluateFindInMap(JsonNode? argument)
    {
        if (argument is not JsonArray { Count: 3 } keys)
        {
            throw CloudFormationException.Validation("Template error: every Fn::FindInMap object requires three parameters, the map name, map key and the attribute for return value");
        }
        if (Unknown(Evaluate(keys[0]), Evaluate(keys[1]), Evaluate(keys[2])) is { } unknown)
        {
            return unknown;
        }
        var map = ResolveString(keys[0], "the map name of Fn::FindInMap");
        var top = ResolveString(keys[1], "the top-level key of Fn::FindInMap");
        var second = ResolveString(keys[2], "the second-level key of Fn::FindInMap");
        if (template.Mappings[map] is not JsonObject mapping)
        {
            throw CloudFormationException.Validation($"Template error: Unable to get mapping for {map}::{top}::{second}");
        }
        if ((mapping[top] as JsonObject)?[second] is not { } value)
        {
            throw CloudFormationException.Validation($"Template error: Unable to get mapping for {map}::{top}::{second}");
        }
        return value.DeepClone();
    }

    private JsonNode EvaluateGetAzs(JsonNode? argument)
    {
        var regionNode = Evaluate(argument);
        if (Unknown(regionNode) is { } unknown)
        {
            return unknown;
        }
        var region = AsString(regionNode) ?? "";
        var zones = context.AvailabilityZones(region.Length == 0 ? context.Stack.Region : region);
        return new JsonArray(zones.Select(zone => (JsonNode)JsonValue.Create(zone)).ToArray());
    }

    private JsonNode EvaluateImportValue(JsonNode? argument)
    {
        var name = ResolveString(argument, "Fn::ImportValue");
        return JsonValue.Create(context.ImportValue(name) ?? throw new ResourceFailedException($"No export named {name} found."));
    }

    private JsonNode EvaluateCidr(JsonNode? argument)
    {
        if (argument is not JsonArray { Count: 3 } parts)
        {
            throw CloudFormationException.Validation("Template error: Fn::Cidr requires a list argument with three elements: an IP block, a count and the number of subnet bits");
        }
        var (blockNode, countNode, bitsNode) = (Evaluate(parts[0]), Evaluate(parts[1]), Evaluate(parts[2]));
        if (Unknown(blockNode, countNode, bitsNode) is { } unknown)
        {
            return unknown;
        }
        var block = AsString(blockNode) ?? throw CloudFormationException.Validation("Template error: the IP block of Fn::Cidr must resolve to a string");
        var countText = AsString(countNode);
        var bitsText = AsString(bitsNode);
        var slash = block.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(block[..slash], out var network)
            || !int.TryParse(block[(slash + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var prefix)
            || !int.TryParse(countText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count)
            || !int.TryParse(bitsText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var hostBits))
        {
            throw CloudFormationException.Validation($"Template error: Fn::Cidr received an invalid argument: [{block}, {countText}, {bitsText}]");
        }
        var addressBits = network.GetAddressBytes().Length * 8;
        var subnetPrefix = addressBits - hostBits;
        if (count < 1 || count > 256 || hostBits < 1 || subnetPrefix < prefix || count > BigInteger.Pow(2, subnetPrefix - prefix))
        {
            throw CloudFormationException.Validation($"Template error: Fn::Cidr cannot make {count} subnets with {hostBits} host bits from {block}");
        }
        var start = new BigInteger(network.GetAddressBytes(), isUnsigned: true, isBigEndian: true);
        var blockMask = (BigInteger.One << (addressBits - prefix)) - 1;
        start &= ~blockMask;
        var result = new JsonArray();
        for (var index = 0; index < count; index++)
        {
            var address = start + (new BigInteger(index) << hostBits);
            var bytes = address.ToByteArray(isUnsigned: true, isBigEndian: true);
            var padded = new byte[addressBits / 8];
            bytes.CopyTo(padded, padded.Length - bytes.Length);
            result.Add(JsonValue.Create($"{new IPAddress(padded)}/{subnetPrefix}"));
        }
        return result;
    }

    /// <summary>The first value among <paramref name="inputs"/> that is known only after a resource is created, if any.</summary>
    private static JsonNode? Unknown(params JsonNode?[] inputs)
    {
        foreach (var input in inputs)
        {
            var text = input?.ToJsonString() ?? "";
            var start = text.IndexOf(KnownAfterApply, StringComparison.Ordinal);
            if (start >= 0)
            {
                var end = text.IndexOf("}}", start, StringComparison.Ordinal);
                return JsonValue.Create(end < 0 ? KnownAfterApply + "}}" : text[start..(end + 2)]);
            }
        }
        return null;
    }

    private string RequireString(JsonNode? node, string function) =>
        AsString(node is JsonObject ? Evaluate(node) : node)
        ?? throw CloudFormationException.Validation($"Template error: {function} requires a string argument");

    /// <summary>The string CloudFormation would pass for a scalar (numbers as written, booleans lower case).</summary>
    public static string? AsString(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value when value.TryGetValue<bool>(out var flag) => flag ? "true" : "false",
        JsonValue value => value.ToJsonString(),
        _ => null,
    };
}
