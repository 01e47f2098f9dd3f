using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates.Transforms;

/// <summary>A SAM function's event sources, as the resources SAM generates for each (logical ids &lt;Fn&gt;&lt;Event&gt;...).</summary>
internal static class ServerlessEvents
{
    public static readonly string[] Supported = ["Schedule", "CloudWatchEvent", "EventBridgeRule", "S3", "SNS", "SQS", "Kinesis", "DynamoDB", "MSK", "MQ", "Api", "HttpApi",
        "IoTRule", "CloudWatchLogs"];

    public static void Add(string function, string eventId, string type, JsonObject properties, JsonObject source, ServerlessOutput output,
        List<JsonNode> rolePolicies, TransformContext context)
    {
        var name = function + eventId;
        switch (type)
        {
            case "Schedule":
            case "CloudWatchEvent":
            case "EventBridgeRule":
                Rule(function, name, type, properties, source, output);
                break;
            case "S3":
                S3(function, name, eventId, properties, source, output);
                break;
            case "SNS":
                var subscription = new JsonObject
                {
                    ["Protocol"] = "lambda",
                    ["Endpoint"] = ServerlessFunction.Arn(function),
                    ["TopicArn"] = Required(function, eventId, properties, "Topic"),
                };
                ServerlessTransform.Copy(properties, subscription, "FilterPolicy", "FilterPolicyScope", "Region");
                output.Add(name, source, "AWS::SNS::Subscription", subscription);
                Permission(function, name + "Permission", "sns.amazonaws.com", properties["Topic"]!.DeepClone(), source, output);
                break;
            case "SQS":
            case "Kinesis":
            case "DynamoDB":
            case "MSK":
            case "MQ":
                var arnProperty = type switch { "SQS" => "Queue", "MQ" => "Broker", _ => "Stream" };
                var mapping = new JsonObject { ["EventSourceArn"] = Required(function, eventId, properties, arnProperty), ["FunctionName"] = ServerlessFunction.Ref(function) };
                foreach (var (key, value) in properties.Where(pair => pair.Key is not ("DynamicPolicyName" or "SecretsManagerKmsKeyId") && pair.Key != arnProperty))
                {
                    // MSK's ConsumerGroupId is the mapping's AmazonManagedKafkaEventSourceConfig.
                    mapping[key == "ConsumerGroupId" ? "AmazonManagedKafkaEventSourceConfig" : key] =
                        key == "ConsumerGroupId" ? new JsonObject { ["ConsumerGroupId"] = value?.DeepClone() } : value?.DeepClone();
                }
                output.Add(name, source, "AWS::Lambda::EventSourceMapping", mapping);
                if (type == "MQ")
                {
                    rolePolicies.Add(BrokerPolicy(name, properties));
                    break;
                }
                rolePolicies.Add(new JsonObject { ["Fn::Sub"] = "arn:${AWS::Partition}:iam::aws:policy/service-role/" + type switch
                {
                    "SQS" => "AWSLambdaSQSQueueExecutionRole",
                    "Kinesis" => "AWSLambdaKinesisExecutionRole",
                    "MSK" => "AWSLambdaMSKExecutionRole",
                    _ => "AWSLambdaDynamoDBExecutionRole",
                } });
                break;
            case "IoTRule":
                var payload = new JsonObject { ["Sql"] = Required(function, eventId, properties, "Sql"), ["RuleDisabled"] = false };
                ServerlessTransform.Copy(properties, payload, "AwsIotSqlVersion");
                payload["Actions"] = new JsonArray(new JsonObject { ["Lambda"] = new JsonObject { ["FunctionArn"] = ServerlessFunction.Arn(function) } });
                output.Add(name, source, "AWS::IoT::TopicRule", new JsonObject { ["TopicRulePayload"] = payload });
                Permission(function, name + "Permission", "iot.amazonaws.com",
                    new JsonObject { ["Fn::Sub"] = new JsonArray("arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}:rule/${RuleName}",
                        new JsonObject { ["RuleName"] = ServerlessFunction.Ref(name) }) }, source, output, sourceAccount: true);
                break;
            case "CloudWatchLogs":
                var logGroup = Required(function, eventId, properties, "LogGroupName");
                Permission(function, name + "Permission", "logs.amazonaws.com",
                    new JsonObject { ["Fn::Sub"] = new JsonArray("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${LogGroupName}:*",
                        new JsonObject { ["LogGroupName"] = logGroup.DeepClone() }) }, source, output);
                var filter = output.Add(name, source, "AWS::Logs::SubscriptionFilter", new JsonObject
                {
                    ["DestinationArn"] = ServerlessFunction.Arn(function),
                    ["FilterPattern"] = Required(function, eventId, properties, "FilterPattern"),
                    ["LogGroupName"] = logGroup,
                });
                DependOn(filter, name + "Permission"); // the filter is refused until Logs may invoke the function
                break;
            case "Api":
            case "HttpApi":
                ServerlessApis.Route(function, eventId, type, properties, source, output);
                break;
            default:
                throw ServerlessTransform.Invalid(function, $"Event with id [{eventId}] is invalid. Event type '{type}' is not supported by LocalCloud's SAM transform; supported: {string.Join(", ", Supported)}.");
        }
    }

    private static void Rule(string function, string name, string type, JsonObject properties, JsonObject source, ServerlessOutput output)
    {
        var target = new JsonObject { ["Arn"] = ServerlessFunction.Arn(function), ["Id"] = name + "LambdaTarget" };
        ServerlessTransform.Copy(properties, target, "Input", "InputPath");
        var rule = new JsonObject { ["Targets"] = new JsonArray(target) };
        if (type == "Schedule")
        {
            rule["ScheduleExpression"] = Required(function, name, properties, "Schedule");
        }
        else
        {
            rule["EventPattern"] = Required(function, name, properties, "Pattern");
            if (properties["EventBusName"] is { } bus)
            {
                rule["EventBusName"] = bus.DeepClone();
            }
        }
        rule["State"] = properties["State"]?.DeepClone() ?? (properties["Enabled"]?.GetValueKind() == System.Text.Json.JsonValueKind.False ? "DISABLED" : "ENABLED");
        ServerlessTransform.Copy(properties, rule, "Name", "Description");
        output.Add(name, source, "AWS::Events::Rule", rule);
        Permission(function, name + "Permission", "events.amazonaws.com", ServerlessFunction.Arn(name), source, output);
    }

    /// <summary>S3 events: the bucket must be a bucket of this template; it gets the notification and waits for the permission.</summary>
    private static void S3(string function, string name, string eventId, JsonObject properties, JsonObject source, ServerlessOutput output)
    {
        var bucketId = (properties["Bucket"] as JsonObject)?["Ref"]?.ToString();
        if (bucketId is null || output.Resources[bucketId] is not JsonObject bucket || bucket["Type"]?.ToString() != "AWS::S3::Bucket")
        {
            throw ServerlessTransform.Invalid(function, $"Event with id [{eventId}] is invalid. S3 events must reference an S3 bucket in the same template.");
        }
        var permission = name + "Permission";
        Permission(function, permission, "s3.amazonaws.com", null, source, output);
        var bucketProperties = bucket["Properties"] as JsonObject ?? [];
        bucket["Properties"] = bucketProperties;
        var notifications = bucketProperties["NotificationConfiguration"] as JsonObject ?? [];
        bucketProperties["NotificationConfiguration"] = notifications;
        var configurations = notifications["LambdaConfigurations"] as JsonArray ?? [];
        notifications["LambdaConfigurations"] = configurations;
        var events = properties["Events"] is JsonArray list ? list.ToList() : [properties["Events"]];
        foreach (var s3Event in events)
        {
            var configuration = new JsonObject { ["Event"] = s3Event?.DeepClone(), ["Function"] = ServerlessFunction.Arn(function) };
            if (properties["Filter"] is { } filter)
            {
                configuration["Filter"] = filter.DeepClone();
            }
            configurations.Add(configuration);
        }
        DependOn(bucket, permission);
    }

    /// <summary>
    /// MQ: an inline policy of the function's role reading the broker's BASIC_AUTH secret and describing the broker
    /// (SamAutoGeneratedAMQPolicy, or &lt;Fn&gt;&lt;Event&gt;AMQPolicy with DynamicPolicyName).
    /// </summary>
    private static JsonObject BrokerPolicy(string name, JsonObject properties)
    {
        var secret = (properties["SourceAccessConfigurations"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(configuration => configuration["Type"]?.ToString() == "BASIC_AUTH")?["URI"]?.DeepClone()
            ?? throw ServerlessTransform.Invalid(name, "No BASIC_AUTH property specified in SourceAccessConfigurations.");
        static JsonObject Allow(string action, JsonNode? resource) => new() { ["Action"] = new JsonArray(action), ["Effect"] = "Allow", ["Resource"] = resource };
        var statements = new JsonArray(Allow("secretsmanager:GetSecretValue", secret), Allow("mq:DescribeBroker", properties["Broker"]?.DeepClone()));
        if (properties["SecretsManagerKmsKeyId"] is { } key)
        {
            statements.Add(Allow("kms:Decrypt", new JsonObject
            {
                ["Fn::Sub"] = new JsonArray("arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${Key}", new JsonObject { ["Key"] = key.DeepClone() }),
            }));
        }
        return new JsonObject
        {
            ["PolicyName"] = properties["DynamicPolicyName"]?.GetValueKind() == System.Text.Json.JsonValueKind.True ? name + "AMQPolicy" : "SamAutoGeneratedAMQPolicy",
            ["PolicyDocument"] = new JsonObject { ["Statement"] = statements },
        };
    }

    /// <summary>Adds a resource to another's DependsOn (a name or a list).</summary>
    private static void DependOn(JsonObject resource, string logicalId)
    {
        var dependsOn = resource["DependsOn"] switch
        {
            JsonArray existing => existing,
            JsonValue one => new JsonArray(one.DeepClone()),
            _ => new JsonArray(),
        };
        dependsOn.Add(logicalId);
        resource["DependsOn"] = dependsOn;
    }

    internal static void Permission(string function, string logicalId, string principal, JsonNode? sourceArn, JsonObject source, ServerlessOutput output,
        bool sourceAccount = false)
    {
        var permission = new JsonObject
        {
            ["Action"] = "lambda:InvokeFunction",
            ["FunctionName"] = ServerlessFunction.Ref(function),
            ["Principal"] = principal,
        };
        if (sourceArn is not null)
        {
            permission["SourceArn"] = sourceArn;
        }
        if (sourceArn is null || sourceAccount)
        {
            permission["SourceAccount"] = new JsonObject { ["Ref"] = "AWS::AccountId" };
        }
        output.Add(logicalId, source, "AWS::Lambda::Permission", permission);
    }

    private static JsonNode Required(string function, string eventId, JsonObject properties, string name) =>
        properties[name]?.DeepClone() ?? throw ServerlessTransform.Invalid(function, $"Event with id [{eventId}] is invalid. Missing required property '{name}'.");
}
