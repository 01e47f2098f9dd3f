using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CloudPatterns.Core.Deployment;

/// <summary>
/// A CloudFormation template (YAML with short-form tags, or JSON) read into plain dictionaries, lists and strings,
/// with its conditions evaluated for given parameter values. Enough to list the resources a new stack would get and
/// to inspect a deployed stack's resource properties; not an evaluator of every intrinsic function.
/// </summary>
public sealed class TemplateDocument
{
    private readonly Dictionary<string, object?> root;

    private TemplateDocument(Dictionary<string, object?> root) => this.root = root;

    public static TemplateDocument Parse(string body)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(body));
        }
        catch (YamlException ex)
        {
            throw new FormatException($"The template is neither valid YAML nor JSON: {ex.Message}", ex);
        }

        if (stream.Documents.Count != 1 || Convert(stream.Documents[0].RootNode) is not Dictionary<string, object?> map)
        {
            throw new FormatException("The template must be one YAML or JSON object.");
        }

        return new TemplateDocument(map);
    }

    public IReadOnlyDictionary<string, object?> Section(string name) =>
        root.TryGetValue(name, out var value) && value is Dictionary<string, object?> map ? map : new Dictionary<string, object?>();

    /// <summary>Parameter values: the given ones over the template's defaults.</summary>
    public Dictionary<string, string> ParameterValues(IReadOnlyDictionary<string, string> given)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in Section("Parameters"))
        {
            if (given.TryGetValue(parameter.Key, out var value))
            {
                values[parameter.Key] = value;
            }
            else if (parameter.Value is Dictionary<string, object?> definition && definition.TryGetValue("Default", out var fallback) && fallback is string text)
            {
                values[parameter.Key] = text;
            }
        }

        return values;
    }

    /// <summary>The resources in effect for these parameter values, with parameters, Fn::If and AWS::NoValue resolved.</summary>
    public IReadOnlyList<TemplateResource> Resources(IReadOnlyDictionary<string, string> parameterValues, string region, string accountId)
    {
        var scope = new Scope(this, parameterValues, region, accountId);
        var resources = new List<TemplateResource>();
        foreach (var entry in Section("Resources"))
        {
            if (entry.Value is not Dictionary<string, object?> definition)
            {
                continue;
            }

            if (definition.TryGetValue("Condition", out var condition) && condition is string name && !scope.Condition(name))
            {
                continue;
            }

            var type = definition.TryGetValue("Type", out var typeValue) ? typeValue as string ?? string.Empty : string.Empty;
            var properties = definition.TryGetValue("Properties", out var raw) && scope.Resolve(raw) is Dictionary<string, object?> resolved
                ? resolved
                : new Dictionary<string, object?>();
            resources.Add(new TemplateResource(entry.Key, type, properties));
        }

        return resources;
    }

    private static object? Convert(YamlNode node)
    {
        object? value = node switch
        {
            YamlScalarNode scalar => scalar.Value,
            YamlSequenceNode sequence => sequence.Children.Select(Convert).ToList(),
            YamlMappingNode mapping => mapping.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value ?? string.Empty, p => Convert(p.Value), StringComparer.Ordinal),
            _ => null,
        };
        var tag = node.Tag.IsEmpty ? null : node.Tag.Value;
        if (tag is null || !tag.StartsWith("!", StringComparison.Ordinal) || tag.StartsWith("!!", StringComparison.Ordinal))
        {
            return value;
        }

        var function = tag.Substring(1);
        if (function == "Ref" || function == "Condition")
        {
            return new Dictionary<string, object?>(StringComparer.Ordinal) { [function] = value };
        }

        if (function == "GetAtt" && value is string dotted)
        {
            var dot = dotted.IndexOf('.');
            value = new List<object?> { dotted.Substring(0, dot < 0 ? dotted.Length : dot), dot < 0 ? string.Empty : dotted.Substring(dot + 1) };
        }

        return new Dictionary<string, object?>(StringComparer.Ordinal) { ["Fn::" + function] = value };
    }

    private sealed class Scope
    {
        private readonly TemplateDocument template;
        private readonly IReadOnlyDictionary<string, string> parameters;
        private readonly string region;
        private readonly string accountId;
        private readonly Dictionary<string, bool> conditions = new(StringComparer.Ordinal);

        public Scope(TemplateDocument template, IReadOnlyDictionary<string, string> parameters, string region, string accountId)
        {
            this.template = template;
            this.parameters = parameters;
            this.region = region;
            this.accountId = accountId;
        }

        public bool Condition(string name)
        {
            if (!conditions.TryGetValue(name, out var result))
            {
                if (!template.Section("Conditions").TryGetValue(name, out var definition))
                {
                    throw new FormatException($"The template uses condition '{name}', which its Conditions section does not define.");
                }

                result = Truth(definition);
                conditions[name] = result;
            }

            return result;
        }

        public object? Resolve(object? value)
        {
            switch (value)
            {
                case Dictionary<string, object?> map when map.Count == 1:
                    var function = map.First();
                    if (function.Key == "Ref" && function.Value is string name && Reference(name) is { } referenced)
                    {
                        return referenced;
                    }

                    if (function.Key == "Fn::If" && function.Value is List<object?> { Count: 3 } branches && branches[0] is string condition)
                    {
                        return Resolve(Condition(condition) ? branches[1] : branches[2]);
                    }

                    var argument = Resolve(function.Value);
                    if (function.Key == "Fn::Select" && argument is List<object?> { Count: 2 } selection && selection[1] is List<object?> options
                        && int.TryParse(selection[0] as string, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < options.Count)
                    {
                        return options[index];
                    }

                    // Zones are told apart, not named: zone i of the region stands for whichever zone AWS maps there.
                    if (function.Key == "Fn::GetAZs")
                    {
                        return Enumerable.Range(0, 6).Select(i => (object?)(region + (char)('a' + i))).ToList();
                    }

                    return new Dictionary<string, object?>(StringComparer.Ordinal) { [function.Key] = argument };
                case Dictionary<string, object?> map:
                    var resolved = new Dictionary<string, object?>(StringComparer.Ordinal);
                    foreach (var pair in map)
                    {
                        var item = Resolve(pair.Value);
                        if (!IsNoValue(item))
                        {
                            resolved[pair.Key] = item;
                        }
                    }

                    return resolved;
                case List<object?> list:
                    return list.Select(Resolve).Where(item => !IsNoValue(item)).ToList();
                default:
                    return value;
            }
        }

        private static bool IsNoValue(object? value) =>
            value is Dictionary<string, object?> { Count: 1 } map && map.TryGetValue("Ref", out var name) && name as string == "AWS::NoValue";

        private string? Reference(string name) => name switch
        {
            "AWS::Region" => region,
            "AWS::AccountId" => accountId,
            "AWS::Partition" => "aws",
            _ => parameters.TryGetValue(name, out var value) ? value : null,
        };

        private bool Truth(object? definition)
        {
            if (definition is not Dictionary<string, object?> { Count: 1 } map)
            {
                throw new FormatException("A condition must be one of Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition.");
            }

            var function = map.First();
            var arguments = function.Value as List<object?> ?? new List<object?> { function.Value };
            return function.Key switch
            {
                "Fn::Equals" => string.Equals(Text(arguments[0]), Text(arguments[1]), StringComparison.Ordinal),
                "Fn::Not" => !Truth(arguments[0]),
                "Fn::And" => arguments.All(Truth),
                "Fn::Or" => arguments.Any(Truth),
                "Condition" => Condition((string)function.Value!),
                _ => throw new FormatException($"Condition function {function.Key} is not supported here."),
            };
        }

        private string Text(object? value) => Resolve(value) switch
        {
            string text => text,
            null => string.Empty,
            var other => System.Convert.ToString(other, CultureInfo.InvariantCulture) ?? string.Empty,
        };
    }
}

/// <summary>A resource of a template as it applies to given parameter values.</summary>
public sealed class TemplateResource
{
    internal TemplateResource(string logicalId, string type, IReadOnlyDictionary<string, object?> properties)
    {
        LogicalId = logicalId;
        Type = type;
        Properties = properties;
    }

    public string LogicalId { get; }

    public string Type { get; }

    /// <summary>Strings, lists and dictionaries; unresolved intrinsics stay as one-key dictionaries ({"Ref": "X"}).</summary>
    public IReadOnlyDictionary<string, object?> Properties { get; }
}
