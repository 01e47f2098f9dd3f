using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates.Transforms;

/// <summary>
/// The SAM transform (AWS::Serverless-2016-10-31) for the resource types people use most, expanded into the
/// CloudFormation resources SAM generates, with SAM's logical ids (docs/localcloud-cloudformation-transforms.md).
/// Refusals use SAM's text: "Invalid Serverless Application Specification document. Number of errors found: N. ...".
/// </summary>
internal static class ServerlessTransform
{
    private static readonly Dictionary<string, string> GlobalSections = new(StringComparer.Ordinal)
    {
        ["Function"] = "AWS::Serverless::Function", ["Api"] = "AWS::Serverless::Api", ["HttpApi"] = "AWS::Serverless::HttpApi",
        ["SimpleTable"] = "AWS::Serverless::SimpleTable", ["StateMachine"] = "AWS::Serverless::StateMachine",
        ["LayerVersion"] = "AWS::Serverless::LayerVersion",
    };

    public static JsonObject Apply(JsonObject root, TransformContext context)
    {
        var resources = root["Resources"] as JsonObject ?? [];
        ApplyGlobals(root, resources);
        ServerlessConnectors.Unembed(resources);
        var output = new ServerlessOutput(resources);
        var connectors = new List<(string LogicalId, JsonObject Resource, JsonObject Properties)>();
        foreach (var (logicalId, node) in resources.ToList())
        {
            if (node is not JsonObject resource || resource["Type"]?.ToString() is not { } type || !type.StartsWith("AWS::Serverless::", StringComparison.Ordinal))
            {
                continue;
            }
            var properties = resource["Properties"] as JsonObject ?? [];
            resources.Remove(logicalId);
            output.SourceIds[resource] = logicalId;
            switch (type)
            {
                case "AWS::Serverless::Function":
                    ServerlessFunction.Expand(logicalId, resource, properties, output, context);
                    break;
                case "AWS::Serverless::Api":
                    ServerlessApis.RestApi(logicalId, resource, properties, output);
                    break;
                case "AWS::Serverless::HttpApi":
                    ServerlessApis.HttpApi(logicalId, resource, properties, output);
                    break;
                case "AWS::Serverless::SimpleTable":
                    output.Add(logicalId, resource, "AWS::DynamoDB::Table", SimpleTable(properties));
                    break;
                case "AWS::Serverless::LayerVersion":
                    LayerVersion(logicalId, resource, properties, output);
                    break;
                case "AWS::Serverless::StateMachine":
                    ServerlessApis.StateMachine(logicalId, resource, properties, output, context);
                    break;
                case "AWS::Serverless::GraphQLApi":
                    ServerlessGraphQLApi.Expand(logicalId, resource, properties, output);
                    break;
                case "AWS::Serverless::Application":
                    ServerlessApplication.Expand(logicalId, resource, properties, output, context, new StaticResolver(root, context));
                    break;
                case ServerlessConnectors.Type:
                    connectors.Add((logicalId, resource, properties));
                    break;
                default:
                    throw Invalid(logicalId, $"{type} is not supported by LocalCloud's SAM transform (a LocalCloud limit); supported: Function, Api, HttpApi, SimpleTable, LayerVersion, StateMachine, GraphQLApi, Application, Connector.");
            }
        }
        output.FinishImplicitApis(context);
        foreach (var (logicalId, resource, properties) in connectors)
        {
            ServerlessConnectors.Expand(logicalId, resource, properties, output);
        }
        output.RenameLayers(root);
        ServerlessReferences.Resolve(root, output.References);
        return root;
    }

    /// <summary>Globals: a resource's own value wins, objects merge, lists are the global items then the resource's.</summary>
    private static void ApplyGlobals(JsonObject root, JsonObject resources)
    {
        if (root["Globals"] is not JsonObject globals)
        {
            return;
        }
        root.Remove("Globals");
        foreach (var (section, values) in globals)
        {
            if (!GlobalSections.TryGetValue(section, out var type) || values is not JsonObject defaults)
            {
                throw new CloudFormationException("ValidationError", $"Transform {TemplateTransforms.Serverless} failed with: Invalid Serverless Application Specification document. Number of errors found: 1. 'Globals' section is invalid. '{section}' is not supported. Must be one of the following values - [{string.Join(", ", GlobalSections.Keys)}]");
            }
            foreach (var (_, node) in resources)
            {
                if (node is JsonObject resource && resource["Type"]?.ToString() == type)
                {
                    resource["Properties"] = Merge(defaults, resource["Properties"] as JsonObject ?? []);
                }
            }
        }
    }

    private static JsonObject Merge(JsonObject defaults, JsonObject own)
    {
        var result = (JsonObject)defaults.DeepClone();
        foreach (var (key, value) in own)
        {
            result[key] = (result[key], value) switch
            {
                (JsonObject global, JsonObject mine) when !StaticResolver.IsFunction(global) && !StaticResolver.IsFunction(mine) => Merge(global, mine),
                (JsonArray global, JsonArray mine) => new JsonArray(global.Concat(mine).Select(item => item?.DeepClone()).ToArray()),
                _ => value?.DeepClone(),
            };
        }
        return result;
    }

    private static JsonObject SimpleTable(JsonObject properties)
    {
        var key = properties["PrimaryKey"] as JsonObject ?? new JsonObject { ["Name"] = "id", ["Type"] = "String" };
        var attributeType = key["Type"]?.ToString() switch { "Number" => "N", "Binary" => "B", _ => "S" };
        var table = new JsonObject
        {
            ["AttributeDefinitions"] = new JsonArray(new JsonObject { ["AttributeName"] = key["Name"]?.DeepClone(), ["AttributeType"] = attributeType }),
            ["KeySchema"] = new JsonArray(new JsonObject { ["AttributeName"] = key["Name"]?.DeepClone(), ["KeyType"] = "HASH" }),
        };
        if (properties["ProvisionedThroughput"] is { } throughput)
        {
            table["ProvisionedThroughput"] = throughput.DeepClone();
        }
        else
        {
            table["BillingMode"] = "PAY_PER_REQUEST";
        }
        Copy(properties, table, "TableName", "SSESpecification", "PointInTimeRecoverySpecification");
        if (properties["Tags"] is JsonObject tags)
        {
            table["Tags"] = TagList(tags, sam: false);
        }
        return table;
    }

    /// <summary>SAM names a layer version LogicalId + a hash of its content, and points every Ref at the new name.</summary>
    private static void LayerVersion(string logicalId, JsonObject resource, JsonObject properties, ServerlessOutput output)
    {
        var layer = new JsonObject { ["Content"] = ServerlessFunction.S3Code(logicalId, properties["ContentUri"], "ContentUri", "S3Bucket", "S3Key", "S3ObjectVersion") };
        Copy(properties, layer, "Description", "CompatibleRuntimes", "CompatibleArchitectures", "LicenseInfo");
        if (properties["LayerName"] is { } name)
        {
            layer["LayerName"] = name.DeepClone();
        }
        var newId = logicalId + Hash(layer.ToJsonString());
        output.Add(newId, resource, "AWS::Lambda::LayerVersion", layer);
        output.Resources[newId]!["DeletionPolicy"] = properties["RetentionPolicy"]?.ToString() is "Delete" ? "Delete" : "Retain";
        output.LayerRenames[logicalId] = newId;
    }

    internal static void Copy(JsonObject from, JsonObject to, params string[] names)
    {
        foreach (var name in names)
        {
            if (from[name] is { } value)
            {
                to[name] = value.DeepClone();
            }
        }
    }

    internal static JsonArray TagList(JsonObject? tags, bool sam)
    {
        var list = new JsonArray();
        if (sam)
        {
            list.Add(new JsonObject { ["Key"] = "lambda:createdBy", ["Value"] = "SAM" });
        }
        foreach (var (key, value) in tags ?? [])
        {
            list.Add(new JsonObject { ["Key"] = key, ["Value"] = value?.DeepClone() });
        }
        return list;
    }

    /// <summary>The 10-character content hash SAM appends to deployments and layer versions.</summary>
    internal static string Hash(string content) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(content)))[..10];

    internal static CloudFormationException Invalid(string logicalId, string detail) => TemplateTransforms.Failed(TemplateTransforms.Serverless,
        $"Invalid Serverless Application Specification document. Number of errors found: 1. Resource with id [{logicalId}] is invalid. {detail}");
}

/// <summary>The resources SAM generates, and the implicit APIs (ServerlessRestApi, ServerlessHttpApi) events add to.</summary>
internal sealed class ServerlessOutput(JsonObject resources)
{
    public JsonObject Resources { get; } = resources;

    public Dictionary<string, string> LayerRenames { get; } = new(StringComparer.Ordinal);

    /// <summary>SAM's referable properties: "Function.Alias", "Api.Stage"... -> the generated resource's logical id.</summary>
    public Dictionary<string, string> References { get; } = new(StringComparer.Ordinal);

    /// <summary>Paths of the implicit REST and HTTP APIs: path -> method -> function logical id.</summary>
    public List<(string Api, string Path, string Method, string Function)> ImplicitRoutes { get; } = [];

    /// <summary>Routes on an explicit API of the template: api logical id -> (path, method, function).</summary>
    public List<(string Api, string Path, string Method, string Function)> ExplicitRoutes { get; } = [];

    /// <summary>The template's own Api and HttpApi resources, built once every function has added its routes.</summary>
    public List<(string LogicalId, JsonObject Source, JsonObject Properties, bool Http)> ExplicitApis { get; } = [];

    /// <summary>The SAM resources being expanded, by object: their logical ids.</summary>
    public Dictionary<JsonObject, string> SourceIds { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// Adds a generated resource. Condition, DeletionPolicy and UpdateReplacePolicy carry over from the SAM resource to
    /// every resource generated from it; DependsOn, Metadata and UpdatePolicy only to the one that keeps its logical id
    /// (docs/localcloud-cloudformation-transforms.md).
    /// </summary>
    public JsonObject Add(string logicalId, JsonObject? source, string type, JsonObject properties)
    {
        var resource = new JsonObject { ["Type"] = type, ["Properties"] = properties };
        var primary = source is not null && SourceIds.TryGetValue(source, out var sourceId) && sourceId == logicalId;
        foreach (var attribute in primary ? ["Condition", "DependsOn", "DeletionPolicy", "UpdateReplacePolicy", "UpdatePolicy", "Metadata"]
            : new[] { "Condition", "DeletionPolicy", "UpdateReplacePolicy" })
        {
            if (source?[attribute] is { } value)
            {
                resource[attribute] = value.DeepClone();
            }
        }
        if (Resources.ContainsKey(logicalId))
        {
            throw ServerlessTransform.Invalid(logicalId, $"The generated logical id {logicalId} is already used in the template.");
        }
        Resources[logicalId] = resource;
        return resource;
    }

    public void FinishImplicitApis(TransformContext context) => ServerlessApis.ImplicitApis(this, context);

    public void RenameLayers(JsonNode? node)
    {
        if (LayerRenames.Count == 0)
        {
            return;
        }
        switch (node)
        {
            case JsonObject { Count: 1 } reference when reference["Ref"]?.ToString() is { } target && LayerRenames.TryGetValue(target, out var renamed):
                reference["Ref"] = renamed;
                break;
            case JsonObject obj:
                foreach (var (_, value) in obj.ToList())
                {
                    RenameLayers(value);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    RenameLayers(item);
                }
                break;
        }
    }
}
