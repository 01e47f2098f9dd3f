using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates.Transforms;

/// <summary>SAM's APIs (explicit Api/HttpApi and the implicit ServerlessRestApi/ServerlessHttpApi of events) and state machines.</summary>
internal static class ServerlessApis
{
    private const string ImplicitRest = "ServerlessRestApi";
    private const string ImplicitHttp = "ServerlessHttpApi";

    public static void RestApi(string logicalId, JsonObject source, JsonObject properties, ServerlessOutput output)
    {
        if (properties["StageName"] is null)
        {
            throw ServerlessTransform.Invalid(logicalId, "Missing required property 'StageName'.");
        }
        output.ExplicitApis.Add((logicalId, source, properties, false));
    }

    public static void HttpApi(string logicalId, JsonObject source, JsonObject properties, ServerlessOutput output) =>
        output.ExplicitApis.Add((logicalId, source, properties, true));

    /// <summary>An Api or HttpApi event: a route on the named API (RestApiId/ApiId) or on the implicit one, and the invoke permission.</summary>
    public static void Route(string function, string eventId, string type, JsonObject properties, JsonObject source, ServerlessOutput output)
    {
        var http = type == "HttpApi";
        var path = properties["Path"]?.ToString() ?? (http ? "$default" : throw ServerlessTransform.Invalid(function, $"Event with id [{eventId}] is invalid. Missing required property 'Path'."));
        var method = properties["Method"]?.ToString()?.ToLowerInvariant() ?? (http ? "x-amazon-apigateway-any-method" : throw ServerlessTransform.Invalid(function, $"Event with id [{eventId}] is invalid. Missing required property 'Method'."));
        method = method == "any" ? "x-amazon-apigateway-any-method" : method;
        var api = (properties[http ? "ApiId" : "RestApiId"] as JsonObject)?["Ref"]?.ToString();
        if (api is null)
        {
            output.ImplicitRoutes.Add((http ? ImplicitHttp : ImplicitRest, path, method, function));
        }
        else
        {
            output.ExplicitRoutes.Add((api, path, method, function));
        }
        var apiId = api ?? (http ? ImplicitHttp : ImplicitRest);
        var arnMethod = method == "x-amazon-apigateway-any-method" ? "*" : method.ToUpperInvariant();
        var arnPath = path == "$default" ? "*" : path;
        var sourceArn = new JsonObject
        {
            ["Fn::Sub"] = new JsonArray(
                $"arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{__ApiId__}}/${{__Stage__}}/{arnMethod}{(arnPath.StartsWith('/') ? arnPath : "/" + arnPath)}",
                new JsonObject { ["__ApiId__"] = new JsonObject { ["Ref"] = apiId }, ["__Stage__"] = "*" }),
        };
        ServerlessEvents.Permission(function, function + eventId + (api is null && !http ? "PermissionProd" : "Permission"), "apigateway.amazonaws.com", sourceArn, source, output);
    }

    public static void ImplicitApis(ServerlessOutput output, TransformContext context)
    {
        foreach (var (logicalId, source, properties, http) in output.ExplicitApis)
        {
            var routes = output.ExplicitRoutes.Where(route => route.Api == logicalId).ToList();
            if (http)
            {
                Http(logicalId, source, properties, routes, output, implicitApi: false);
            }
            else
            {
                Rest(logicalId, source, properties, routes, output);
            }
        }
        var missing = output.ExplicitRoutes.Select(route => route.Api).Where(api => output.ExplicitApis.All(explicitApi => explicitApi.LogicalId != api)).ToList();
        if (missing.Count > 0)
        {
            throw ServerlessTransform.Invalid(output.ExplicitRoutes.First(route => route.Api == missing[0]).Function,
                $"RestApiId property of Api event must reference a valid resource in the same template ({missing[0]} is not an AWS::Serverless::Api or AWS::Serverless::HttpApi).");
        }
        var rest = output.ImplicitRoutes.Where(route => route.Api == ImplicitRest).ToList();
        if (rest.Count > 0)
        {
            Rest(ImplicitRest, null, new JsonObject { ["StageName"] = "Prod" }, rest, output);
        }
        var httpRoutes = output.ImplicitRoutes.Where(route => route.Api == ImplicitHttp).ToList();
        if (httpRoutes.Count > 0)
        {
            Http(ImplicitHttp, null, [], httpRoutes, output, implicitApi: true);
        }
    }

    private static void Rest(string logicalId, JsonObject? source, JsonObject properties, List<(string Api, string Path, string Method, string Function)> routes, ServerlessOutput output)
    {
        var api = new JsonObject();
        if (properties["DefinitionUri"] is { } uri)
        {
            api["BodyS3Location"] = ServerlessFunction.S3Code(logicalId, uri, "DefinitionUri", "Bucket", "Key", "Version");
        }
        else
        {
            api["Body"] = properties["DefinitionBody"]?.DeepClone() ?? Definition(routes, "swagger", "2.0", logicalId);
        }
        if (properties["EndpointConfiguration"] is { } endpoint)
        {
            api["EndpointConfiguration"] = new JsonObject { ["Types"] = new JsonArray((endpoint as JsonObject)?["Type"]?.DeepClone() ?? endpoint.DeepClone()) };
        }
        ServerlessTransform.Copy(properties, api, "Name", "Description", "BinaryMediaTypes", "MinimumCompressionSize", "ApiKeySourceType", "DisableExecuteApiEndpoint");
        output.Add(logicalId, source, "AWS::ApiGateway::RestApi", api);
        var deployment = logicalId + "Deployment" + ServerlessTransform.Hash(api.ToJsonString());
        output.Add(deployment, source, "AWS::ApiGateway::Deployment", new JsonObject
        {
            ["RestApiId"] = ServerlessFunction.Ref(logicalId),
            ["Description"] = $"RestApi deployment id: {deployment[(logicalId.Length + "Deployment".Length)..]}",
        });
        var stageName = properties["StageName"]!;
        var stage = new JsonObject { ["DeploymentId"] = ServerlessFunction.Ref(deployment), ["RestApiId"] = ServerlessFunction.Ref(logicalId), ["StageName"] = stageName.DeepClone() };
        ServerlessTransform.Copy(properties, stage, "Variables", "MethodSettings", "TracingEnabled", "CacheClusterEnabled", "CacheClusterSize", "AccessLogSetting");
        output.Add(logicalId + StageSuffix(stageName), source, "AWS::ApiGateway::Stage", stage);
        output.References[logicalId + ".Stage"] = logicalId + StageSuffix(stageName);
        output.References[logicalId + ".Deployment"] = deployment;
    }

    private static void Http(string logicalId, JsonObject? source, JsonObject properties, List<(string Api, string Path, string Method, string Function)> routes, ServerlessOutput output, bool implicitApi)
    {
        var api = new JsonObject();
        if (properties["DefinitionUri"] is { } uri)
        {
            api["BodyS3Location"] = ServerlessFunction.S3Code(logicalId, uri, "DefinitionUri", "Bucket", "Key", "Version");
        }
        else
        {
            api["Body"] = properties["DefinitionBody"]?.DeepClone() ?? Definition(routes, "openapi", "3.0.1", logicalId);
        }
        ServerlessTransform.Copy(properties, api, "Description", "DisableExecuteApiEndpoint", "CorsConfiguration");
        if (properties["Tags"] is JsonObject tags)
        {
            api["Tags"] = tags.DeepClone();
        }
        output.Add(logicalId, source, "AWS::ApiGatewayV2::Api", api);
        var stageName = properties["StageName"];
        var stage = new JsonObject { ["ApiId"] = ServerlessFunction.Ref(logicalId), ["StageName"] = stageName?.DeepClone() ?? "$default", ["AutoDeploy"] = true };
        ServerlessTransform.Copy(properties, stage, "StageVariables", "AccessLogSettings", "DefaultRouteSettings", "RouteSettings");
        var stageId = logicalId + (stageName is null || implicitApi ? "ApiGatewayDefaultStage" : StageSuffix(stageName));
        output.Add(stageId, source, "AWS::ApiGatewayV2::Stage", stage);
        output.References[logicalId + ".Stage"] = stageId;
    }

    private static string StageSuffix(JsonNode stageName) => new string((stageName.GetValueKind() == System.Text.Json.JsonValueKind.String ? stageName.ToString() : "Stage")
        .Where(char.IsAsciiLetterOrDigit).ToArray()) + "Stage";

    /// <summary>The OpenAPI/Swagger document SAM writes for the routes: one aws_proxy integration per path and method.</summary>
    private static JsonObject Definition(List<(string Api, string Path, string Method, string Function)> routes, string versionKey, string version, string title)
    {
        var paths = new JsonObject();
        foreach (var (_, path, method, function) in routes)
        {
            var item = paths[path] as JsonObject ?? [];
            paths[path] = item;
            item[method] = new JsonObject
            {
                ["x-amazon-apigateway-integration"] = new JsonObject
                {
                    ["type"] = "aws_proxy",
                    ["httpMethod"] = "POST",
                    ["uri"] = new JsonObject { ["Fn::Sub"] = $"arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{{function}.Arn}}/invocations" },
                },
                ["responses"] = new JsonObject(),
            };
        }
        return new JsonObject { [versionKey] = version, ["info"] = new JsonObject { ["title"] = title, ["version"] = "1.0" }, ["paths"] = paths };
    }

    public static void StateMachine(string logicalId, JsonObject source, JsonObject properties, ServerlessOutput output, TransformContext context)
    {
        var machine = new JsonObject();
        if (properties["DefinitionUri"] is { } uri)
        {
            machine["DefinitionS3Location"] = ServerlessFunction.S3Code(logicalId, uri, "DefinitionUri", "Bucket", "Key", "Version");
        }
        else
        {
            machine["Definition"] = properties["Definition"]?.DeepClone() ?? throw ServerlessTransform.Invalid(logicalId, "Either 'Definition' or 'DefinitionUri' property must be specified.");
        }
        ServerlessTransform.Copy(properties, machine, "DefinitionSubstitutions", "PermissionsBoundary");
        Rename(properties, machine, ("Name", "StateMachineName"), ("Type", "StateMachineType"), ("Logging", "LoggingConfiguration"), ("Tracing", "TracingConfiguration"));
        machine["Tags"] = ServerlessTransform.TagList(properties["Tags"] as JsonObject, sam: false);
        machine["Tags"]!.AsArray().Insert(0, new JsonObject { ["Key"] = "stateMachine:createdBy", ["Value"] = "SAM" });
        if (properties["Role"] is { } role)
        {
            machine["RoleArn"] = role.DeepClone();
        }
        else
        {
            machine["RoleArn"] = ServerlessFunction.Arn(logicalId + "Role");
            output.Add(logicalId + "Role", source, "AWS::IAM::Role", ServerlessFunction.Role(logicalId, properties, [], "states.amazonaws.com", [], context.ManagedPolicyPath));
        }
        output.Add(logicalId, source, "AWS::StepFunctions::StateMachine", machine);
        foreach (var (eventId, eventNode) in properties["Events"] as JsonObject ?? [])
        {
            if (eventNode is not JsonObject definition || definition["Type"]?.ToString() is not { } type)
            {
                throw ServerlessTransform.Invalid(logicalId, $"Event with id [{eventId}] is invalid. 'Type' is required.");
            }
            ServerlessEvents.AddToStateMachine(logicalId, eventId, type, definition["Properties"] as JsonObject ?? [], source, output);
        }
    }

    private static void Rename(JsonObject from, JsonObject to, params (string From, string To)[] names)
    {
        foreach (var (source, target) in names)
        {
            if (from[source] is { } value)
            {
                to[target] = value.DeepClone();
            }
        }
    }
}
