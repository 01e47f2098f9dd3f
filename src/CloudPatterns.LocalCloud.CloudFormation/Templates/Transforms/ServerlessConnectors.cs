using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates.Transforms;

/// <summary>
/// SAM connectors (AWS::Serverless::Connector and the embedded <c>Connectors</c> attribute of any resource): the
/// permissions between a source and a destination resource, generated as SAM does (an AWS::IAM::ManagedPolicy on the
/// role of the side that acts, an AWS::Lambda::Permission, an AWS::SQS::QueuePolicy or an AWS::SNS::TopicPolicy), with
/// the actions of SAM's connector profiles (docs/localcloud-cloudformation-transforms.md, "Connectors").
/// </summary>
internal static partial class ServerlessConnectors
{
    public const string Type = "AWS::Serverless::Connector";

    private enum Generated { RolePolicy, LambdaPermission, QueuePolicy, TopicPolicy }

    /// <summary>One access category's statements (role policies, queue and topic policies) or permission (Lambda).</summary>
    private sealed record Category(params (string[] Actions, string[] Resources)[] Statements);

    private sealed record Profile(Generated Kind, Dictionary<string, Category> Categories, bool SourceActs = true, string? Principal = null,
        string? SourceArn = null, bool SourceAccount = false, bool DependsOnSource = false, string[][]? Combinations = null);

    private const string Execution = "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:%{Destination.Name}:*";
    private const string ExecutionRule = "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule";
    private const string ApiSource = "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:%{Source.ResourceId}/%{Source.Qualifier}";
    private static readonly string[] Destination = ["%{Destination.Arn}"];
    private static readonly string[] TableAndIndexes = ["%{Destination.Arn}", "%{Destination.Arn}/index/*"];
    private static readonly string[] BucketAndObjects = ["%{Destination.Arn}", "%{Destination.Arn}/*"];
    private static readonly string[] Invoke = ["lambda:InvokeAsync", "lambda:InvokeFunction"];

    private static Category Write(string[] actions, string[] resources) => new((actions, resources));

    private static readonly Dictionary<string, Category> Table = new()
    {
        ["Read"] = Write(["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:PartiQLSelect"], TableAndIndexes),
        ["Write"] = Write(["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:PartiQLDelete", "dynamodb:PartiQLInsert", "dynamodb:PartiQLUpdate"], TableAndIndexes),
    };

    private static readonly Dictionary<string, Category> Bucket = new()
    {
        ["Read"] = Write(["s3:GetObject", "s3:GetObjectAcl", "s3:GetObjectLegalHold", "s3:GetObjectRetention", "s3:GetObjectTorrent", "s3:GetObjectVersion",
            "s3:GetObjectVersionAcl", "s3:GetObjectVersionForReplication", "s3:GetObjectVersionTorrent", "s3:ListBucket", "s3:ListBucketMultipartUploads",
            "s3:ListBucketVersions", "s3:ListMultipartUploadParts"], BucketAndObjects),
        ["Write"] = Write(["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObject", "s3:PutObjectLegalHold",
            "s3:PutObjectRetention", "s3:RestoreObject"], BucketAndObjects),
    };

    private static Profile OnlyWrite(string[] actions, string[]? resources = null) =>
        new(Generated.RolePolicy, new() { ["Write"] = Write(actions, resources ?? Destination) });

    private static Profile Permission(string principal, string sourceArn = "%{Source.Arn}", bool sourceAccount = false) =>
        new(Generated.LambdaPermission, new() { ["Write"] = new Category() }, SourceActs: false, Principal: principal, SourceArn: sourceArn, SourceAccount: sourceAccount);

    /// <summary>
    /// Source type -> destination type -> profile: the pairs and actions of SAM's connector profiles
    /// (samtranslator/model/connector_profiles/profiles.json in https://github.com/aws/serverless-application-model;
    /// the supported pairs are listed in https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/reference-sam-connector.html).
    /// </summary>
    private static readonly Dictionary<string, Dictionary<string, Profile>> Profiles = new(StringComparer.Ordinal)
    {
        ["AWS::DynamoDB::Table"] = new()
        {
            ["AWS::Lambda::Function"] = new(Generated.RolePolicy, new()
            {
                ["Read"] = Write(["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"], ["%{Source.Arn}/stream/*"]),
            }, SourceActs: false),
        },
        ["AWS::Events::Rule"] = new()
        {
            ["AWS::SNS::Topic"] = new(Generated.TopicPolicy, new() { ["Write"] = Write(["sns:Publish"], Destination) }, SourceActs: false, Principal: "events.amazonaws.com"),
            ["AWS::SQS::Queue"] = new(Generated.QueuePolicy, new() { ["Write"] = Write(["sqs:SendMessage"], Destination) }, SourceActs: false, Principal: "events.amazonaws.com"),
            ["AWS::Events::EventBus"] = OnlyWrite(["events:PutEvents"]),
            ["AWS::StepFunctions::StateMachine"] = OnlyWrite(["states:StartExecution"]),
            ["AWS::Lambda::Function"] = Permission("events.amazonaws.com"),
        },
        ["AWS::Lambda::Function"] = new()
        {
            ["AWS::Lambda::Function"] = OnlyWrite(Invoke),
            ["AWS::S3::Bucket"] = new(Generated.RolePolicy, Bucket),
            ["AWS::DynamoDB::Table"] = new(Generated.RolePolicy, Table),
            ["AWS::SQS::Queue"] = new(Generated.RolePolicy, new()
            {
                ["Read"] = Write(["sqs:ReceiveMessage", "sqs:GetQueueAttributes"], Destination),
                ["Write"] = Write(["sqs:DeleteMessage", "sqs:SendMessage", "sqs:ChangeMessageVisibility", "sqs:PurgeQueue"], Destination),
            }),
            ["AWS::SNS::Topic"] = OnlyWrite(["sns:Publish"]),
            ["AWS::StepFunctions::StateMachine"] = new(Generated.RolePolicy, new()
            {
                ["Write"] = new((["states:StartExecution", "states:StartSyncExecution"], Destination), (["states:StopExecution"], [Execution])),
                ["Read"] = new((["states:DescribeStateMachine", "states:ListExecutions"], Destination),
                    (["states:DescribeExecution", "states:DescribeStateMachineForExecution", "states:GetExecutionHistory"], [Execution])),
            }),
            ["AWS::Events::EventBus"] = OnlyWrite(["events:PutEvents"]),
            ["AWS::Location::PlaceIndex"] = new(Generated.RolePolicy, new()
            {
                ["Read"] = Write(["geo:DescribePlaceIndex", "geo:GetPlace", "geo:SearchPlaceIndexForPosition", "geo:SearchPlaceIndexForSuggestions", "geo:SearchPlaceIndexForText"], Destination),
            }),
        },
        ["AWS::ApiGatewayV2::Api"] = new() { ["AWS::Lambda::Function"] = Permission("apigateway.amazonaws.com", ApiSource) },
        ["AWS::ApiGateway::RestApi"] = new() { ["AWS::Lambda::Function"] = Permission("apigateway.amazonaws.com", ApiSource) },
        ["AWS::SNS::Topic"] = new()
        {
            ["AWS::SQS::Queue"] = new(Generated.QueuePolicy, new() { ["Write"] = Write(["sqs:SendMessage"], Destination) }, SourceActs: false, Principal: "sns.amazonaws.com"),
            ["AWS::Lambda::Function"] = Permission("sns.amazonaws.com"),
        },
        ["AWS::SQS::Queue"] = new()
        {
            ["AWS::Lambda::Function"] = new(Generated.RolePolicy, new()
            {
                ["Write"] = Write(["sqs:DeleteMessage"], ["%{Source.Arn}"]),
                ["Read"] = Write(["sqs:ReceiveMessage", "sqs:GetQueueAttributes"], ["%{Source.Arn}"]),
            }, SourceActs: false, Combinations: [["Read", "Write"]]),
        },
        ["AWS::S3::Bucket"] = new() { ["AWS::Lambda::Function"] = Permission("s3.amazonaws.com", sourceAccount: true) },
        ["AWS::StepFunctions::StateMachine"] = new()
        {
            ["AWS::Lambda::Function"] = OnlyWrite(Invoke),
            ["AWS::SNS::Topic"] = OnlyWrite(["sns:Publish"]),
            ["AWS::SQS::Queue"] = OnlyWrite(["sqs:SendMessage"]),
            ["AWS::S3::Bucket"] = new(Generated.RolePolicy, Bucket),
            ["AWS::DynamoDB::Table"] = new(Generated.RolePolicy, Table),
            ["AWS::StepFunctions::StateMachine"] = new(Generated.RolePolicy, new()
            {
                ["Read"] = new((["states:DescribeExecution"], [Execution]), (["events:DescribeRule"], [ExecutionRule])),
                ["Write"] = new((["states:StartExecution"], Destination), (["states:StopExecution"], [Execution]), (["events:PutTargets", "events:PutRule"], [ExecutionRule])),
            }, DependsOnSource: true, Combinations: [["Read"], ["Read", "Write"]]),
            ["AWS::Events::EventBus"] = OnlyWrite(["events:PutEvents"]),
        },
        ["AWS::AppSync::DataSource"] = new()
        {
            ["AWS::DynamoDB::Table"] = new(Generated.RolePolicy, Table),
            ["AWS::Lambda::Function"] = OnlyWrite(Invoke, ["%{Destination.Arn}", "%{Destination.Arn}:*"]),
        },
        ["AWS::AppSync::GraphQLApi"] = new()
        {
            ["AWS::Lambda::Function"] = Permission("appsync.amazonaws.com", "arn:${AWS::Partition}:appsync:${AWS::Region}:${AWS::AccountId}:apis/%{Source.ResourceId}"),
        },
    };

    /// <summary>The CloudFormation type a connector's <c>Type</c> names (SAM types as the resources they become).</summary>
    private static readonly Dictionary<string, string> SamTypes = new(StringComparer.Ordinal)
    {
        ["AWS::Serverless::Function"] = "AWS::Lambda::Function", ["AWS::Serverless::StateMachine"] = "AWS::StepFunctions::StateMachine",
        ["AWS::Serverless::SimpleTable"] = "AWS::DynamoDB::Table", ["AWS::Serverless::Api"] = "AWS::ApiGateway::RestApi",
        ["AWS::Serverless::HttpApi"] = "AWS::ApiGatewayV2::Api", ["AWS::Serverless::GraphQLApi"] = "AWS::AppSync::GraphQLApi",
    };

    /// <summary>
    /// Embedded connectors become AWS::Serverless::Connector resources named &lt;resource&gt;&lt;connector&gt; whose
    /// Source is that resource, before anything else is expanded (SAM: "it is first transformed into an
    /// AWS::Serverless::Connector resource").
    /// </summary>
    public static void Unembed(JsonObject resources)
    {
        foreach (var (logicalId, node) in resources.ToList())
        {
            if (node is not JsonObject resource || resource["Connectors"] is not { } connectors)
            {
                continue;
            }
            resource.Remove("Connectors");
            if (connectors is not JsonObject embedded)
            {
                throw ServerlessTransform.Invalid(logicalId, "'Connectors' must be a map of connector names to connectors.");
            }
            foreach (var (name, value) in embedded)
            {
                if (value is not JsonObject connector || connector["Properties"] is not JsonObject properties)
                {
                    throw ServerlessTransform.Invalid(logicalId + name, "'Properties' is required.");
                }
                if (properties["Source"] is not null)
                {
                    throw ServerlessTransform.Invalid(logicalId, $"'Source' is not allowed in an embedded connector ({name}): its source is the resource it is embedded in.");
                }
                var generated = (JsonObject)properties.DeepClone();
                generated["Source"] = new JsonObject { ["Id"] = logicalId };
                var connectorResource = new JsonObject { ["Type"] = Type, ["Properties"] = generated };
                if (resource["Condition"] is { } condition)
                {
                    connectorResource["Condition"] = condition.DeepClone();
                }
                if (resources.ContainsKey(logicalId + name))
                {
                    throw ServerlessTransform.Invalid(logicalId, $"The generated logical id {logicalId + name} of embedded connector {name} is already used in the template.");
                }
                resources[logicalId + name] = connectorResource;
            }
        }
    }

    /// <summary>Expands one connector after every other SAM resource is expanded, so its ends have their final types.</summary>
    public static void Expand(string logicalId, JsonObject source, JsonObject properties, ServerlessOutput output)
    {
        var permissions = properties["Permissions"] as JsonArray ?? throw ServerlessTransform.Invalid(logicalId, "Missing required property 'Permissions'.");
        var granted = permissions.Select(permission => permission?.ToString() ?? "").ToList();
        if (granted.Count == 0)
        {
            throw ServerlessTransform.Invalid(logicalId, "'Permissions' cannot be empty; valid values are: Read, Write.");
        }
        var from = End(logicalId, "Source", properties["Source"], output.Resources);
        switch (properties["Destination"])
        {
            case JsonArray destinations when destinations.Count > 0:
                for (var index = 0; index < destinations.Count; index++)
                {
                    Connect(logicalId + "Destination" + index, source, from, End(logicalId, "Destination", destinations[index], output.Resources), granted, output);
                }
                break;
            case JsonArray:
                throw ServerlessTransform.Invalid(logicalId, "'Destination' cannot be an empty list.");
            case var destination:
                Connect(logicalId, source, from, End(logicalId, "Destination", destination, output.Resources), granted, output);
                break;
        }
    }

    private sealed record ResourceEnd(string Type, string? Id, JsonObject Given, JsonObject? Resource);

    private static ResourceEnd End(string connector, string side, JsonNode? node, JsonObject resources)
    {
        if (node is not JsonObject reference)
        {
            throw ServerlessTransform.Invalid(connector, $"Missing required property '{side}'.");
        }
        if (reference["Id"]?.ToString() is { } id)
        {
            if (resources[id] is not JsonObject target || target["Type"]?.ToString() is not { } targetType)
            {
                throw ServerlessTransform.Invalid(connector, $"Unable to find resource with logical ID '{id}'.");
            }
            return new ResourceEnd(targetType, id, reference, target);
        }
        var type = reference["Type"]?.ToString() ?? throw ServerlessTransform.Invalid(connector, $"'Type' is missing or not a string in '{side}'.");
        return new ResourceEnd(SamTypes.GetValueOrDefault(type, type), null, reference, null);
    }

    private static void Connect(string logicalId, JsonObject source, ResourceEnd from, ResourceEnd to, List<string> granted, ServerlessOutput output)
    {
        if (!Profiles.TryGetValue(from.Type, out var byDestination) || !byDestination.TryGetValue(to.Type, out var profile))
        {
            throw ServerlessTransform.Invalid(logicalId, $"Unable to create connector from {from.Type} to {to.Type}; it's not supported or the template is invalid.");
        }
        var valid = profile.Combinations ?? Subsets(profile.Categories.Keys.Order(StringComparer.Ordinal).ToArray());
        var asked = granted.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (!valid.Any(combination => combination.Order(StringComparer.Ordinal).SequenceEqual(asked)))
        {
            throw ServerlessTransform.Invalid(logicalId, $"Unsupported 'Permissions' provided for connector from {from.Type} to {to.Type}; valid combinations are: "
                + string.Join(", ", valid.Select(combination => "[" + string.Join(", ", combination) + "]")) + ".");
        }
        var values = new Values(from, to);
        var metadata = new JsonObject
        {
            ["aws:sam:connectors"] = new JsonObject
            {
                [logicalId] = new JsonObject { ["Source"] = new JsonObject { ["Type"] = from.Type }, ["Destination"] = new JsonObject { ["Type"] = to.Type } },
            },
        };
        switch (profile.Kind)
        {
            case Generated.LambdaPermission:
                foreach (var permission in asked)
                {
                    var lambdaPermission = new JsonObject
                    {
                        ["Action"] = "lambda:InvokeFunction",
                        ["FunctionName"] = values.Get(logicalId, "Destination", "Arn"),
                        ["Principal"] = profile.Principal,
                        ["SourceArn"] = values.Expand(logicalId, profile.SourceArn!),
                    };
                    if (profile.SourceAccount)
                    {
                        lambdaPermission["SourceAccount"] = new JsonObject { ["Ref"] = "AWS::AccountId" };
                    }
                    output.Add(logicalId + permission + "LambdaPermission", source, "AWS::Lambda::Permission", lambdaPermission)["Metadata"] = metadata.DeepClone();
                }
                break;
            case Generated.RolePolicy:
                var acting = profile.SourceActs ? from : to;
                var policy = output.Add(logicalId + "Policy", source, "AWS::IAM::ManagedPolicy", new JsonObject
                {
                    ["PolicyDocument"] = Document(logicalId, profile, asked, values, principal: null),
                    ["Roles"] = new JsonArray(RoleName(logicalId, acting, profile.SourceActs ? "Source" : "Destination")),
                });
                policy["Metadata"] = metadata;
                if (profile.DependsOnSource && from.Resource is { } sourceResource)
                {
                    DependOn(sourceResource, logicalId + "Policy");
                }
                break;
            case Generated.QueuePolicy or Generated.TopicPolicy:
                var (suffix, type, list, value) = profile.Kind == Generated.QueuePolicy
                    ? ("QueuePolicy", "AWS::SQS::QueuePolicy", "Queues", "QueueUrl")
                    : ("TopicPolicy", "AWS::SNS::TopicPolicy", "Topics", "Arn");
                output.Add(logicalId + suffix, source, type, new JsonObject
                {
                    ["PolicyDocument"] = Document(logicalId, profile, asked, values, profile.Principal),
                    [list] = new JsonArray(values.Get(logicalId, "Destination", value)),
                })["Metadata"] = metadata;
                break;
        }
    }

    private static string[][] Subsets(string[] categories) =>
        Enumerable.Range(1, (1 << categories.Length) - 1).Select(mask => categories.Where((_, index) => (mask & (1 << index)) != 0).ToArray()).ToArray();

    private static JsonObject Document(string logicalId, Profile profile, string[] asked, Values values, string? principal)
    {
        var statements = new JsonArray();
        foreach (var category in asked)
        {
            foreach (var (actions, resources) in profile.Categories[category].Statements)
            {
                var statement = new JsonObject
                {
                    ["Effect"] = "Allow",
                    ["Action"] = new JsonArray(actions.Select(action => (JsonNode)action).ToArray()),
                    ["Resource"] = new JsonArray(resources.Select(resource => values.Expand(logicalId, resource)).ToArray()),
                };
                if (principal is not null)
                {
                    statement["Principal"] = new JsonObject { ["Service"] = principal };
                    statement["Condition"] = new JsonObject { ["ArnEquals"] = new JsonObject { ["aws:SourceArn"] = values.Get(logicalId, "Source", "Arn") } };
                }
                statements.Add(statement);
            }
        }
        return new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = statements };
    }

    private static void DependOn(JsonObject resource, string logicalId)
    {
        List<string> dependsOn = resource["DependsOn"] switch
        {
            JsonArray list => list.Select(item => item?.ToString() ?? "").ToList(),
            JsonValue single => [single.ToString()],
            _ => [],
        };
        if (!dependsOn.Contains(logicalId))
        {
            dependsOn.Add(logicalId);
        }
        resource["DependsOn"] = new JsonArray(dependsOn.Select(item => (JsonNode?)item).ToArray());
    }

    /// <summary>
    /// The role name of the side whose role gets the policy: the given RoleName, or the role its resource names
    /// (a function's Role, a state machine's RoleArn, a data source's ServiceRoleArn): Ref of a role of the template,
    /// or the name at the end of a role ARN.
    /// </summary>
    private static JsonNode RoleName(string connector, ResourceEnd end, string side)
    {
        if (end.Given["RoleName"] is { } given)
        {
            return given.DeepClone();
        }
        var properties = end.Resource?["Properties"] as JsonObject;
        var role = end.Type switch
        {
            "AWS::Lambda::Function" => properties?["Role"],
            "AWS::StepFunctions::StateMachine" => properties?["RoleArn"],
            "AWS::AppSync::DataSource" => properties?["ServiceRoleArn"],
            "AWS::Events::Rule" => (properties?["Targets"] as JsonArray)?.FirstOrDefault()?["RoleArn"],
            _ => null,
        };
        switch (role)
        {
            case JsonObject getAtt when getAtt["Fn::GetAtt"] is { } target && GetAttArnOf(target) is { } roleId:
                return new JsonObject { ["Ref"] = roleId };
            case JsonValue arn when arn.ToString() is var text && RoleArn().Match(text) is { Success: true } match:
                return match.Groups["name"].Value;
            default:
                throw ServerlessTransform.Invalid(connector, $"Unable to get IAM role name from '{side}' resource"
                    + (end.Id is null ? "; give its 'RoleName'." : $" '{end.Id}': its role is neither a role of this template (!GetAtt Role.Arn) nor a role ARN."));
        }
    }

    private static string? GetAttArnOf(JsonNode target) => target switch
    {
        JsonArray { Count: 2 } pair when pair[1]?.ToString() == "Arn" => pair[0]?.ToString(),
        JsonValue dotted when dotted.ToString() is var text && text.EndsWith(".Arn", StringComparison.Ordinal) => text[..^4],
        _ => null,
    };

    [GeneratedRegex(@"^arn:[^:]+:iam::[^:]*:role/(?:.*/)?(?<name>[^/]+)$")]
    private static partial Regex RoleArn();

    [GeneratedRegex(@"%\{(?<side>Source|Destination)\.(?<name>[A-Za-z]+)\}")]
    private static partial Regex Placeholder();

    /// <summary>A connector end's values (Arn, Name, QueueUrl, ResourceId, Qualifier): given, or derived from its resource.</summary>
    private sealed class Values(ResourceEnd source, ResourceEnd destination)
    {
        public JsonNode Get(string connector, string side, string name)
        {
            var end = side == "Source" ? source : destination;
            if (end.Given[name] is { } given)
            {
                return given.DeepClone();
            }
            if (end.Id is { } id && Derived(end.Type, id, name) is { } derived)
            {
                return derived;
            }
            if (name == "Qualifier")
            {
                return "*";
            }
            throw ServerlessTransform.Invalid(connector, $"'{name}' is missing or not a string in '{side}'.");
        }

        /// <summary>A profile's text: a lone placeholder is the value itself; else an Fn::Sub with the values as variables.</summary>
        public JsonNode Expand(string connector, string text)
        {
            var whole = Placeholder().Match(text);
            if (whole.Success && whole.Length == text.Length)
            {
                return Get(connector, whole.Groups["side"].Value, whole.Groups["name"].Value);
            }
            if (!whole.Success && !text.Contains("${", StringComparison.Ordinal))
            {
                return text;
            }
            var variables = new JsonObject();
            var body = Placeholder().Replace(text, match =>
            {
                var variable = match.Groups["side"].Value + match.Groups["name"].Value;
                variables[variable] = Get(connector, match.Groups["side"].Value, match.Groups["name"].Value);
                return "${" + variable + "}";
            });
            return new JsonObject { ["Fn::Sub"] = variables.Count == 0 ? body : new JsonArray(body, variables) };
        }

        private static JsonNode? Derived(string type, string id, string name) => (type, name) switch
        {
            ("AWS::SNS::Topic" or "AWS::StepFunctions::StateMachine", "Arn") => new JsonObject { ["Ref"] = id },
            ("AWS::AppSync::DataSource", "Arn") => GetAtt(id, "DataSourceArn"),
            (_, "Arn") => GetAtt(id, "Arn"),
            ("AWS::StepFunctions::StateMachine", "Name") => GetAtt(id, "Name"),
            ("AWS::SQS::Queue", "Name") => GetAtt(id, "QueueName"),
            ("AWS::SNS::Topic", "Name") => GetAtt(id, "TopicName"),
            (_, "Name") => new JsonObject { ["Ref"] = id },
            ("AWS::SQS::Queue", "QueueUrl") => new JsonObject { ["Ref"] = id },
            ("AWS::AppSync::GraphQLApi", "ResourceId") => GetAtt(id, "ApiId"),
            ("AWS::ApiGateway::RestApi" or "AWS::ApiGatewayV2::Api", "ResourceId") => new JsonObject { ["Ref"] = id },
            _ => null,
        };

        private static JsonObject GetAtt(string id, string attribute) => new() { ["Fn::GetAtt"] = new JsonArray(id, attribute) };
    }
}
