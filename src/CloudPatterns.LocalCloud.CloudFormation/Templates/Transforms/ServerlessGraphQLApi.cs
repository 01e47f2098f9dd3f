using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates.Transforms;

/// <summary>
/// AWS::Serverless::GraphQLApi as SAM translates it (docs/localcloud-cloudformation-transforms.md): the AppSync API
/// (&lt;Id&gt;), its schema (&lt;Id&gt;Schema), API keys (&lt;Id&gt;&lt;Key&gt;), the logging role (&lt;Id&gt;CloudWatchRole), data
/// sources (&lt;Id&gt;&lt;Name&gt;LambdaDataSource, ...DynamoDBDataSource, &lt;Id&gt;NoneDataSource) with their roles, functions
/// (&lt;Id&gt;&lt;Function&gt;) and pipeline resolvers (&lt;Id&gt;&lt;Type&gt;&lt;Field&gt;).
/// </summary>
internal static class ServerlessGraphQLApi
{
    private const string PipelineCode = "\nexport function request(ctx) {\n    return {};\n}\n\nexport function response(ctx) {\n    return ctx.prev.result;\n}\n";

    private static readonly (string Sam, string AppSync)[] AuthConfigs = [("UserPool", "UserPoolConfig"), ("OpenIDConnect", "OpenIDConnectConfig"), ("Lambda", "LambdaAuthorizerConfig")];

    public static void Expand(string logicalId, JsonObject source, JsonObject properties, ServerlessOutput output)
    {
        var apiId = new JsonObject { ["Fn::GetAtt"] = new JsonArray(logicalId, "ApiId") };
        var auth = properties["Auth"] as JsonObject ?? throw ServerlessTransform.Invalid(logicalId, "Missing required property 'Auth'.");
        var api = new JsonObject { ["Name"] = properties["Name"]?.DeepClone() ?? logicalId };
        Authorizer(auth, api, logicalId);
        if (auth["Additional"] is JsonArray additional)
        {
            api["AdditionalAuthenticationProviders"] = new JsonArray(additional.OfType<JsonObject>().Select(provider =>
            {
                var converted = new JsonObject();
                Authorizer(provider, converted, logicalId);
                return (JsonNode)converted;
            }).ToArray());
        }
        ServerlessTransform.Copy(properties, api, "Visibility", "OwnerContact", "XrayEnabled", "IntrospectionConfig", "QueryDepthLimit", "ResolverCountLimit");
        var tags = properties["Tags"] as JsonObject ?? [];
        api["Tags"] = ServerlessTransform.TagList(tags, sam: false);
        api["Tags"]!.AsArray().Add(new JsonObject { ["Key"] = "graphqlapi:createdBy", ["Value"] = "SAM" });
        if (properties["Logging"]?.GetValueKind() != System.Text.Json.JsonValueKind.False)
        {
            var logging = properties["Logging"] as JsonObject ?? [];
            var logConfig = new JsonObject { ["FieldLogLevel"] = logging["FieldLogLevel"]?.DeepClone() ?? "ALL" };
            ServerlessTransform.Copy(logging, logConfig, "ExcludeVerboseContent");
            logConfig["CloudWatchLogsRoleArn"] = logging["CloudWatchLogsRoleArn"]?.DeepClone() ?? ServerlessFunction.Arn(logicalId + "CloudWatchRole");
            if (logging["CloudWatchLogsRoleArn"] is null)
            {
                output.Add(logicalId + "CloudWatchRole", source, "AWS::IAM::Role", ServiceRole("appsync.amazonaws.com",
                    new JsonArray(new JsonObject { ["Fn::Sub"] = "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSAppSyncPushToCloudWatchLogs" })));
            }
            api["LogConfig"] = logConfig;
        }
        output.Add(logicalId, source, "AWS::AppSync::GraphQLApi", api);

        var schema = new JsonObject { ["ApiId"] = apiId.DeepClone() };
        schema[properties["SchemaInline"] is null ? "DefinitionS3Location" : "Definition"] = (properties["SchemaInline"] ?? properties["SchemaUri"])?.DeepClone()
            ?? throw ServerlessTransform.Invalid(logicalId, "One of 'SchemaInline' or 'SchemaUri' must be set.");
        output.Add(logicalId + "Schema", source, "AWS::AppSync::GraphQLSchema", schema);

        foreach (var (keyId, node) in properties["ApiKeys"] as JsonObject ?? [])
        {
            var key = new JsonObject { ["ApiId"] = apiId.DeepClone() };
            ServerlessTransform.Copy(node as JsonObject ?? [], key, "ApiKeyId", "Description");
            if ((node as JsonObject)?["ExpiresOn"] is { } expires)
            {
                key["Expires"] = expires.DeepClone();
            }
            output.Add(logicalId + keyId, source, "AWS::AppSync::ApiKey", key);
        }

        var dataSourceNames = DataSources(logicalId, source, properties["DataSources"] as JsonObject ?? [], apiId, output);
        var functionIds = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var (functionId, node) in properties["Functions"] as JsonObject ?? [])
        {
            var function = node as JsonObject ?? [];
            if (function["Id"] is { } existing)
            {
                functionIds[functionId] = existing.DeepClone();
                continue;
            }
            var configuration = new JsonObject
            {
                ["ApiId"] = apiId.DeepClone(),
                ["Name"] = function["Name"]?.DeepClone() ?? functionId,
                ["DataSourceName"] = DataSourceName(logicalId, source, functionId, function["DataSource"], dataSourceNames, apiId, output),
                ["Runtime"] = Runtime(logicalId, functionId, function),
            };
            Code(logicalId, functionId, function, configuration, required: true);
            ServerlessTransform.Copy(function, configuration, "MaxBatchSize", "Description");
            if (function["Sync"] is { } sync)
            {
                configuration["SyncConfig"] = sync.DeepClone();
            }
            output.Add(logicalId + functionId, source, "AWS::AppSync::FunctionConfiguration", configuration);
            functionIds[functionId] = new JsonObject { ["Fn::GetAtt"] = new JsonArray(logicalId + functionId, "FunctionId") };
        }

        foreach (var (typeName, fields) in properties["Resolvers"] as JsonObject ?? [])
        {
            foreach (var (fieldId, node) in fields as JsonObject ?? [])
            {
                var resolver = node as JsonObject ?? [];
                var pipeline = resolver["Pipeline"] as JsonArray ?? throw ServerlessTransform.Invalid(fieldId,
                    $"Resolver '{fieldId}' must have Pipeline defined. Unit resolvers are not supported. If you need a Unit resolver you can use AppSync resource.");
                var definition = new JsonObject
                {
                    ["ApiId"] = apiId.DeepClone(),
                    ["TypeName"] = typeName,
                    ["FieldName"] = resolver["FieldName"]?.DeepClone() ?? fieldId,
                    ["Kind"] = "PIPELINE",
                    ["PipelineConfig"] = new JsonObject
                    {
                        ["Functions"] = new JsonArray(pipeline.Select(name => functionIds.GetValueOrDefault(name?.ToString() ?? "")?.DeepClone()
                            ?? throw ServerlessTransform.Invalid(fieldId, $"Function '{name}' does not exist.")).ToArray()),
                    },
                };
                if (Code(logicalId, fieldId, resolver, definition, required: false))
                {
                    definition["Runtime"] = Runtime(logicalId, fieldId, resolver);
                }
                else
                {
                    definition["Code"] = PipelineCode;
                    definition["Runtime"] = new JsonObject { ["Name"] = "APPSYNC_JS", ["RuntimeVersion"] = "1.0.0" };
                }
                ServerlessTransform.Copy(resolver, definition, "MaxBatchSize");
                if (resolver["Caching"] is { } caching)
                {
                    definition["CachingConfig"] = caching.DeepClone();
                }
                output.Add(logicalId + typeName + fieldId, source, "AWS::AppSync::Resolver", definition)["DependsOn"] = new JsonArray(logicalId + "Schema");
            }
        }
    }

    /// <summary>Auth (or one of Additional): Type, and UserPool/OpenIDConnect/Lambda as the AppSync *Config property.</summary>
    private static void Authorizer(JsonObject auth, JsonObject target, string logicalId)
    {
        target["AuthenticationType"] = auth["Type"]?.DeepClone() ?? throw ServerlessTransform.Invalid(logicalId, "Auth is missing its 'Type'.");
        foreach (var (sam, appSync) in AuthConfigs)
        {
            if (auth[sam] is JsonObject config)
            {
                var converted = (JsonObject)config.DeepClone();
                if (sam == "Lambda" && converted["FunctionArn"] is { } arn)
                {
                    converted.Remove("FunctionArn");
                    converted["AuthorizerUri"] = arn.DeepClone();
                }
                target[appSync] = converted;
            }
        }
    }

    /// <summary>Lambda and DynamoDb data sources with their service roles; relative id -> the data source's Name.</summary>
    private static Dictionary<string, JsonNode> DataSources(string logicalId, JsonObject source, JsonObject dataSources, JsonObject apiId, ServerlessOutput output)
    {
        var names = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var (kind, group) in dataSources)
        {
            foreach (var (relativeId, node) in group as JsonObject ?? [])
            {
                var definition = node as JsonObject ?? [];
                var id = logicalId + relativeId + kind + "DataSource";
                var dataSource = new JsonObject { ["ApiId"] = apiId.DeepClone(), ["Name"] = definition["Name"]?.DeepClone() ?? relativeId };
                ServerlessTransform.Copy(definition, dataSource, "Description");
                JsonArray statements;
                switch (kind)
                {
                    case "Lambda":
                        var functionArn = definition["FunctionArn"]?.DeepClone() ?? throw ServerlessTransform.Invalid(logicalId, $"Data source {relativeId} is missing 'FunctionArn'.");
                        dataSource["Type"] = "AWS_LAMBDA";
                        dataSource["LambdaConfig"] = new JsonObject { ["LambdaFunctionArn"] = functionArn };
                        statements = new JsonArray(Statement(["lambda:InvokeAsync", "lambda:InvokeFunction"], functionArn.DeepClone(),
                            new JsonObject { ["Fn::Sub"] = new JsonArray("${Arn}:*", new JsonObject { ["Arn"] = functionArn.DeepClone() }) }));
                        break;
                    case "DynamoDb":
                        var table = definition["TableName"]?.DeepClone() ?? throw ServerlessTransform.Invalid(logicalId, $"Data source {relativeId} is missing 'TableName'.");
                        dataSource["Type"] = "AMAZON_DYNAMODB";
                        var config = new JsonObject { ["TableName"] = table, ["AwsRegion"] = definition["Region"]?.DeepClone() ?? new JsonObject { ["Ref"] = "AWS::Region" } };
                        ServerlessTransform.Copy(definition, config, "UseCallerCredentials", "Versioned", "DeltaSync");
                        dataSource["DynamoDBConfig"] = config;
                        var tableArn = definition["TableArn"]?.DeepClone() ?? new JsonObject
                        {
                            ["Fn::Sub"] = new JsonArray("arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Table}", new JsonObject { ["Table"] = table.DeepClone() }),
                        };
                        statements = new JsonArray(Statement(["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem",
                            "dynamodb:PartiQLSelect", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:PartiQLDelete",
                            "dynamodb:PartiQLInsert", "dynamodb:PartiQLUpdate"], tableArn, new JsonObject { ["Fn::Sub"] = new JsonArray("${Arn}/index/*", new JsonObject { ["Arn"] = tableArn.DeepClone() }) }));
                        break;
                    default:
                        throw ServerlessTransform.Invalid(logicalId, $"Data sources of kind '{kind}' are not supported by LocalCloud's SAM transform (a LocalCloud limit); supported: Lambda, DynamoDb.");
                }
                if (definition["ServiceRoleArn"] is { } role)
                {
                    dataSource["ServiceRoleArn"] = role.DeepClone();
                }
                else
                {
                    // SAM gives the role its permissions through a connector (<data source>To<Kind>Connector): a managed policy on the role.
                    output.Add(id + "Role", source, "AWS::IAM::Role", ServiceRole("appsync.amazonaws.com", null));
                    output.Add(id + "To" + (kind == "Lambda" ? "Lambda" : "Table") + "ConnectorPolicy", source, "AWS::IAM::ManagedPolicy", new JsonObject
                    {
                        ["PolicyDocument"] = new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = statements },
                        ["Roles"] = new JsonArray(ServerlessFunction.Ref(id + "Role")),
                    });
                    dataSource["ServiceRoleArn"] = ServerlessFunction.Arn(id + "Role");
                }
                output.Add(id, source, "AWS::AppSync::DataSource", dataSource);
                names[relativeId] = new JsonObject { ["Fn::GetAtt"] = new JsonArray(id, "Name") };
            }
        }
        return names;
    }

    /// <summary>"NONE" (any case) is the API's one NONE data source, created on first use; a relative id names one of DataSources; a function passes through.</summary>
    private static JsonNode DataSourceName(string logicalId, JsonObject source, string functionId, JsonNode? given, Dictionary<string, JsonNode> names, JsonObject apiId, ServerlessOutput output)
    {
        switch (given)
        {
            case null:
                throw ServerlessTransform.Invalid(functionId, "'DataSource' must be set.");
            case JsonValue text when text.TryGetValue<string>(out var name) && name.Equals("none", StringComparison.OrdinalIgnoreCase):
                var noneId = logicalId + "NoneDataSource";
                if (!output.Resources.ContainsKey(noneId))
                {
                    output.Add(noneId, source, "AWS::AppSync::DataSource", new JsonObject { ["ApiId"] = apiId.DeepClone(), ["Name"] = noneId, ["Type"] = "NONE" });
                }
                return new JsonObject { ["Fn::GetAtt"] = new JsonArray(noneId, "Name") };
            case JsonValue text when text.TryGetValue<string>(out var name):
                return names.GetValueOrDefault(name)?.DeepClone() ?? throw ServerlessTransform.Invalid(functionId,
                    $"Either define DataSource '{name}' in 'DataSources' or use intrinsic function like GetAtt, ImportValue, Sub or another one to reference a DataSource defined outside of this GraphQLApi resource.");
            default:
                return given.DeepClone();
        }
    }

    private static JsonObject Runtime(string logicalId, string relativeId, JsonObject definition) =>
        definition["Runtime"] is JsonObject runtime
            ? new JsonObject { ["Name"] = runtime["Name"]?.DeepClone(), ["RuntimeVersion"] = runtime["Version"]?.DeepClone() }
            : throw ServerlessTransform.Invalid(logicalId, $"'Runtime' must be defined as a property in {relativeId}.");

    /// <summary>InlineCode -> Code, CodeUri -> CodeS3Location; whether either was given.</summary>
    private static bool Code(string logicalId, string relativeId, JsonObject definition, JsonObject target, bool required)
    {
        if (definition["InlineCode"] is not null && definition["CodeUri"] is not null)
        {
            throw ServerlessTransform.Invalid(logicalId, $"{relativeId}: Both 'InlineCode' and 'CodeUri' cannot be defined at the same time.");
        }
        if (definition["InlineCode"] is { } inline)
        {
            target["Code"] = inline.DeepClone();
            return true;
        }
        if (definition["CodeUri"] is { } uri)
        {
            target["CodeS3Location"] = uri.DeepClone();
            return true;
        }
        return required ? throw ServerlessTransform.Invalid(logicalId, $"{relativeId}: One of 'InlineCode' or 'CodeUri' must be set.") : false;
    }

    private static JsonObject Statement(string[] actions, params JsonNode[] resources) => new()
    {
        ["Effect"] = "Allow",
        ["Action"] = new JsonArray(actions.Select(action => (JsonNode)JsonValue.Create(action)).ToArray()),
        ["Resource"] = new JsonArray(resources),
    };

    private static JsonObject ServiceRole(string service, JsonArray? managedPolicies)
    {
        var role = new JsonObject { ["AssumeRolePolicyDocument"] = ServerlessFunction.TrustPolicy(service) };
        if (managedPolicies is not null)
        {
            role["ManagedPolicyArns"] = managedPolicies;
        }
        return role;
    }
}
