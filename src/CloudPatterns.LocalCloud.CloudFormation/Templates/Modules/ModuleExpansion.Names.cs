using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates.Modules;

public static partial class ModuleExpansion
{
    /// <summary>
    /// The names inside one module's fragment and what they become in the template: a parameter's Ref is the
    /// module's property value (or the parameter's default); a resource, condition or mapping of the fragment takes
    /// the module's logical id as prefix. Pseudo parameters and anything else stay as they are.
    /// </summary>
    private sealed record Names(string ModuleId, IReadOnlyDictionary<string, JsonNode?> Values, IReadOnlySet<string> Resources,
        IReadOnlySet<string> Conditions, IReadOnlySet<string> Mappings)
    {
        /// <summary>A fragment resource's new id; Inner.R (a resource of a module inside the fragment) becomes MInner.R.</summary>
        private string Resource(string name) => Resources.Contains(name.Split('.')[0]) ? ModuleId + name : name;

        public JsonNode? Rewrite(JsonNode? node)
        {
            switch (node)
            {
                case JsonArray array:
                    return new JsonArray([.. array.Select(Rewrite)]);
                case JsonObject obj when obj.Count == 1 && obj["Ref"] is JsonValue reference && reference.TryGetValue<string>(out var name):
                    return Values.TryGetValue(name, out var given) ? given?.DeepClone() : new JsonObject { ["Ref"] = Resource(name) };
                case JsonObject obj when obj.Count == 1 && obj["Fn::GetAtt"] is { } getAtt:
                    return new JsonObject
                    {
                        ["Fn::GetAtt"] = getAtt switch
                        {
                            JsonValue text when text.TryGetValue<string>(out var dotted) && dotted.IndexOf('.') is var dot and > 0 =>
                                Resource(dotted[..dot]) + dotted[dot..],
                            JsonArray { Count: > 0 } list when list[0] is JsonValue first && first.TryGetValue<string>(out var target) =>
                                new JsonArray([JsonValue.Create(Resource(target)), .. list.Skip(1).Select(Rewrite)]),
                            _ => Rewrite(getAtt),
                        },
                    };
                case JsonObject obj when obj.Count == 1 && obj["Fn::Sub"] is { } sub:
                    return new JsonObject { ["Fn::Sub"] = Sub(sub) };
                case JsonObject obj:
                    var result = new JsonObject();
                    foreach (var (key, value) in obj)
                    {
                        result[key] = key switch
                        {
                            "Condition" when value is JsonValue text && text.TryGetValue<string>(out var condition) && Conditions.Contains(condition) => ModuleId + condition,
                            "Fn::If" when value is JsonArray { Count: 3 } branches && branches[0] is JsonValue text && text.TryGetValue<string>(out var condition) && Conditions.Contains(condition) =>
                                new JsonArray([JsonValue.Create(ModuleId + condition), .. branches.Skip(1).Select(Rewrite)]),
                            "Fn::FindInMap" when value is JsonArray { Count: >= 3 } lookup && lookup[0] is JsonValue text && text.TryGetValue<string>(out var map) && Mappings.Contains(map) =>
                                new JsonArray([JsonValue.Create(ModuleId + map), .. lookup.Skip(1).Select(Rewrite)]),
                            _ => Rewrite(value),
                        };
                    }
                    return result;
                default:
                    return node?.DeepClone();
            }
        }

        /// <summary>
        /// Fn::Sub inside the fragment: ${Resource} and ${Resource.Attribute} take the prefix; ${Parameter} is the
        /// module's value, written in when it is a plain value, else given to the Sub as a variable of that name.
        /// </summary>
        private JsonNode Sub(JsonNode sub)
        {
            var (text, variables) = sub switch
            {
                JsonValue value when value.TryGetValue<string>(out var plain) => (plain, new JsonObject()),
                JsonArray { Count: 2 } list when list[0] is JsonValue first && first.TryGetValue<string>(out var plain) =>
                    (plain, Rewrite(list[1]) as JsonObject ?? []),
                _ => (null, new JsonObject()),
            };
            if (text is null)
            {
                return Rewrite(sub)!;
            }
            var rewritten = SubVariable().Replace(text, match =>
            {
                var token = match.Groups[1].Value;
                if (variables.ContainsKey(token))
                {
                    return match.Value;
                }
                var head = token.Split('.')[0];
                if (Resources.Contains(head))
                {
                    return "${" + ModuleId + token + "}";
                }
                if (!Values.TryGetValue(token, out var value))
                {
                    return match.Value;
                }
                if (value is JsonValue scalar && !scalar.ToString().Contains("${", StringComparison.Ordinal))
                {
                    return scalar.ToString();
                }
                variables[token] = value?.DeepClone();
                return match.Value;
            });
            return variables.Count == 0 ? JsonValue.Create(rewritten) : new JsonArray(JsonValue.Create(rewritten), variables);
        }

        /// <summary>A fragment resource's DependsOn (fragment names take the prefix) plus the module's own DependsOn.</summary>
        public JsonArray DependsOn(JsonNode? own, JsonNode? module)
        {
            static IEnumerable<string> Items(JsonNode? node) => node switch
            {
                JsonValue value when value.TryGetValue<string>(out var single) => [single],
                JsonArray list => list.OfType<JsonValue>().Select(item => item.ToString()),
                _ => [],
            };
            return new JsonArray([.. Items(own).Select(Resource).Concat(Items(module)).Distinct(StringComparer.Ordinal).Select(name => (JsonNode)JsonValue.Create(name))]);
        }
    }
}
