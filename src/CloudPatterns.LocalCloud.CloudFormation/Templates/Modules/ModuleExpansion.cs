using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates.Modules;

/// <summary>
/// Puts the resources of each module a template uses in its place (docs/localcloud-cloudformation-modules.md): a
/// fragment resource R of module M becomes the template's resource MR, the module's properties give the fragment's
/// parameters their values (or override a fragment resource's own settings), the fragment's conditions and mappings
/// join the template under the same prefix, and the template's <c>M.R</c> references become <c>MR</c>. A module whose
/// type is not registered stays, and the template is refused as one with an unrecognized resource type.
/// </summary>
public static partial class ModuleExpansion
{
    /// <summary>Modules inside modules are expanded too, to this depth.</summary>
    private const int MaximumDepth = 5;

    private const string ModuleMetadata = "AWS::CloudFormation::Module";

    /// <summary>${Name} or ${Name.Attribute} in an Fn::Sub string (${!Literal} is not a variable).</summary>
    [GeneratedRegex(@"\$\{(?!!)([^}]+)\}")]
    private static partial Regex SubVariable();

    public static bool Uses(JsonObject root) => root["Resources"] is JsonObject resources
        && resources.Any(pair => pair.Value is JsonObject resource && TypeOf(resource) is { } type && ModuleRegistry.IsModuleType(type));

    /// <summary>The template with its modules expanded (a new tree); <paramref name="fragmentFor"/> gives a module type's fragment, null when not registered.</summary>
    public static JsonObject Apply(JsonObject original, Func<string, JsonObject?> fragmentFor)
    {
        var root = (JsonObject)original.DeepClone();
        var expanded = new List<string>();
        for (var depth = 0; depth < MaximumDepth && root["Resources"] is JsonObject resources; depth++)
        {
            var modules = resources
                .Where(pair => pair.Value is JsonObject resource && TypeOf(resource) is { } type && ModuleRegistry.IsModuleType(type) && fragmentFor(type) is not null)
                .Select(pair => pair.Key)
                .ToList();
            if (modules.Count == 0)
            {
                break;
            }
            foreach (var moduleId in modules)
            {
                var module = (JsonObject)resources[moduleId]!;
                if (depth == 0)
                {
                    RefuseWhatModulesDoNotTake(moduleId, module);
                }
                Expand(root, moduleId, module, (JsonObject)fragmentFor(TypeOf(module)!)!.DeepClone());
                expanded.Add(moduleId);
            }
        }
        // Outer modules first (an inner module's id extends its outer one's): M.Inner.R becomes MInner.R, then MInnerR.
        foreach (var moduleId in expanded.OrderBy(id => id.Length))
        {
            root = (JsonObject)DottedReferences(root, moduleId)!;
        }
        return root;
    }

    /// <summary>What a module resource may not carry (the checks of cfn-lint's rule E5001, in its words).</summary>
    private static void RefuseWhatModulesDoNotTake(string moduleId, JsonObject module)
    {
        foreach (var policy in new[] { "CreationPolicy", "UpdatePolicy" })
        {
            if (module.ContainsKey(policy))
            {
                throw CloudFormationException.TemplateFormat($"[/Resources/{moduleId}/{policy}] {policy} is not permitted within Modules");
            }
        }
        if ((module["Properties"] as JsonObject)?.ContainsKey("Tags") == true)
        {
            throw CloudFormationException.TemplateFormat($"[/Resources/{moduleId}/Properties/Tags] Tags is not permitted within Modules");
        }
        if ((module["Metadata"] as JsonObject)?.ContainsKey(ModuleMetadata) == true)
        {
            throw CloudFormationException.TemplateFormat($"[/Resources/{moduleId}/Metadata] The Metadata key {ModuleMetadata} is reserved");
        }
    }

    /// <summary>
    /// The module a resource came from (the API's ModuleInfo: type and logical id hierarchies, innermost module
    /// first, joined with '/'), kept in the resource's reserved Metadata key; null for a resource of no module.
    /// </summary>
    public static (string TypeHierarchy, string LogicalIdHierarchy)? ModuleInfo(JsonNode? metadata) =>
        (metadata as JsonObject)?[ModuleMetadata] is JsonObject info && info["TypeHierarchy"] is JsonValue types && info["LogicalIdHierarchy"] is JsonValue ids
            ? (types.ToString(), ids.ToString())
            : null;

    private static string? TypeOf(JsonObject resource) => resource["Type"] is JsonValue value && value.TryGetValue<string>(out var type) ? type : null;

    private static void Expand(JsonObject root, string moduleId, JsonObject module, JsonObject fragment)
    {
        var resources = (JsonObject)root["Resources"]!;
        var typeName = TypeOf(module)!;
        var properties = module["Properties"] as JsonObject ?? [];
        var fragmentResources = fragment["Resources"] as JsonObject ?? [];
        var parameters = fragment["Parameters"] as JsonObject ?? [];
        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (name, definition) in parameters)
        {
            values[name] = properties.TryGetPropertyValue(name, out var given) ? given?.DeepClone()
                : (definition as JsonObject)?["Default"] is { } fallback ? JsonValue.Create(fallback is JsonValue scalar ? scalar.ToString() : fallback.ToJsonString())
                : throw CloudFormationException.Validation($"Module {moduleId} ({typeName}) has no value for its parameter {name}, which has no default: give it as the module's property {name}.");
        }
        var names = new Names(
            moduleId,
            values,
            fragmentResources.Select(pair => pair.Key).ToHashSet(StringComparer.Ordinal),
            (fragment["Conditions"] as JsonObject ?? []).Select(pair => pair.Key).ToHashSet(StringComparer.Ordinal),
            (fragment["Mappings"] as JsonObject ?? []).Select(pair => pair.Key).ToHashSet(StringComparer.Ordinal));

        resources.Remove(moduleId);
        foreach (var (name, mapping) in fragment["Mappings"] as JsonObject ?? [])
        {
            Section(root, "Mappings")[Unique(root, "Mappings", moduleId + name, moduleId)] = mapping?.DeepClone();
        }
        foreach (var (name, condition) in fragment["Conditions"] as JsonObject ?? [])
        {
            Section(root, "Conditions")[Unique(root, "Conditions", moduleId + name, moduleId)] = names.Rewrite(condition?.DeepClone());
        }
        foreach (var (name, definition) in fragmentResources)
        {
            if (definition is not JsonObject resource)
            {
                continue;
            }
            var result = (JsonObject)names.Rewrite(resource)!;
            result["DependsOn"] = names.DependsOn(result["DependsOn"], module["DependsOn"]);
            if (result["DependsOn"] is JsonArray { Count: 0 })
            {
                result.Remove("DependsOn");
            }
            if (module["Condition"] is JsonValue moduleCondition)
            {
                result["Condition"] = result["Condition"] is null ? moduleCondition.DeepClone()
                    : CombinedCondition(root, moduleId + name, moduleCondition.ToString(), result["Condition"]!.ToString());
            }
            if (properties[name] is JsonObject overrides)
            {
                Override(result, overrides);
            }
            Mark(result, module, moduleId, typeName);
            resources[Unique(root, "Resources", moduleId + name, moduleId)] = result;
        }
    }

    private static JsonObject Section(JsonObject root, string name) =>
        root[name] as JsonObject ?? (JsonObject)(root[name] = new JsonObject());

    private static string Unique(JsonObject root, string section, string name, string moduleId) =>
        (root[section] as JsonObject)?.ContainsKey(name) == true
            ? throw CloudFormationException.TemplateFormat($"Module {moduleId} would add {name} to {section}, which the template already has.")
            : name;

    /// <summary>A resource under both the module's Condition and its own: a condition that holds when both do.</summary>
    private static string CombinedCondition(JsonObject root, string resourceId, string moduleCondition, string ownCondition)
    {
        var name = Unique(root, "Conditions", resourceId + "ModuleCondition", resourceId);
        Section(root, "Conditions")[name] = new JsonObject
        {
            ["Fn::And"] = new JsonArray(new JsonObject { ["Condition"] = moduleCondition }, new JsonObject { ["Condition"] = ownCondition }),
        };
        return name;
    }

    /// <summary>The module's property named as a fragment resource overrides that resource: objects merge, anything else replaces.</summary>
    private static void Override(JsonObject target, JsonObject overrides)
    {
        foreach (var (key, value) in overrides)
        {
            if (value is JsonObject inner && target[key] is JsonObject existing)
            {
                Override(existing, inner);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    /// <summary>The module's place in the template, on each of its resources (innermost module first, joined with '/').</summary>
    private static void Mark(JsonObject resource, JsonObject module, string moduleId, string typeName)
    {
        var outer = ModuleInfo(module["Metadata"]);
        // A module inside a module is named by its id in its parent's fragment (its template id less the parents' prefix).
        var prefix = outer is { } parents ? string.Concat(parents.LogicalIdHierarchy.Split('/').Reverse()) : "";
        var declared = moduleId.StartsWith(prefix, StringComparison.Ordinal) ? moduleId[prefix.Length..] : moduleId;
        var metadata = resource["Metadata"] as JsonObject ?? (JsonObject)(resource["Metadata"] = new JsonObject());
        metadata[ModuleMetadata] = new JsonObject
        {
            ["TypeHierarchy"] = outer is { } types ? $"{typeName}/{types.TypeHierarchy}" : typeName,
            ["LogicalIdHierarchy"] = outer is { } ids ? $"{declared}/{ids.LogicalIdHierarchy}" : moduleId,
        };
    }

    /// <summary>M.R in Ref, GetAtt, Sub and DependsOn of the template becomes MR, the expanded resource's id.</summary>
    private static JsonNode? DottedReferences(JsonNode? node, string moduleId)
    {
        var prefix = moduleId + ".";
        string Joined(string name) => name.StartsWith(prefix, StringComparison.Ordinal) ? moduleId + name[prefix.Length..] : name;
        JsonNode? Name(JsonNode? value) => value is JsonValue text && text.TryGetValue<string>(out var name) ? JsonValue.Create(Joined(name)) : value?.DeepClone();
        switch (node)
        {
            case JsonArray array:
                for (var index = 0; index < array.Count; index++)
                {
                    DottedReferences(array[index], moduleId);
                }
                return array;
            case JsonObject obj:
                foreach (var key in obj.Select(pair => pair.Key).ToList())
                {
                    var replaced = key switch
                    {
                        "Ref" => Name(obj[key]),
                        // !GetAtt M.R.Attribute reads as [M, R.Attribute]: the module's id is no resource any more.
                        "Fn::GetAtt" when obj[key] is JsonArray { Count: 2 } list && list[0] is JsonValue first && first.ToString() == moduleId
                            && list[1] is JsonValue rest && rest.TryGetValue<string>(out var dotted) =>
                            new JsonArray([.. (moduleId + dotted).Split('.', 2).Select(part => (JsonNode)JsonValue.Create(part))]),
                        "Fn::GetAtt" when obj[key] is JsonArray { Count: > 0 } list => new JsonArray([Name(list[0]), .. list.Skip(1).Select(item => item?.DeepClone())]),
                        "Fn::GetAtt" => Name(obj[key]),
                        "DependsOn" when obj[key] is JsonArray list => new JsonArray([.. list.Select(Name)]),
                        "DependsOn" => Name(obj[key]),
                        "Fn::Sub" => SubstituteSub(DottedReferences(obj[key], moduleId), text => SubVariable().Replace(text, match => "${" + Joined(match.Groups[1].Value) + "}")),
                        _ => DottedReferences(obj[key], moduleId),
                    };
                    if (!ReferenceEquals(replaced, obj[key]))
                    {
                        obj[key] = replaced;
                    }
                }
                return obj;
            default:
                return node;
        }
    }

    /// <summary>An Fn::Sub value with its string rewritten (the string form, or the first item of the list form).</summary>
    private static JsonNode? SubstituteSub(JsonNode? sub, Func<string, string> rewrite) => sub switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => JsonValue.Create(rewrite(text)),
        JsonArray { Count: 2 } list when list[0] is JsonValue first && first.TryGetValue<string>(out var text) =>
            new JsonArray(JsonValue.Create(rewrite(text)), list[1]?.DeepClone()),
        _ => sub?.DeepClone(),
    };
}
