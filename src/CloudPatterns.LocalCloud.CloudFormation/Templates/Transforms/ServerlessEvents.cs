using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates.Transforms;

/// <summary>A SAM function's event sources, as the resources SAM generates for each (logical ids &lt;Fn&gt;&lt;Event&gt;...).</summary>
internal static class ServerlessEvents
{
    public static readonly string[] Supported = ["Schedule", "ScheduleV2", "CloudWatchEvent", "EventBridgeRule", "S3", "SNS", "SQS", "Kinesis", "DynamoDB", "MSK", "MQ",
        "SelfManagedKafka", "DocumentDB", "Api", "HttpApi", "IoTRule", "CloudWatchLogs"];

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
            case "SelfManagedKafka":
            case "DocumentDB":
                ServerlessPullEvents.Add(function, name, eventId, type, properties, source, output, rolePolicies);
                break;
            case "ScheduleV2":
                Schedule(ServerlessFunction.Arn(function), "LambdaPolicy", "lambda:InvokeFunction", function, eventId, properties, source, output);
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

    public static readonly string[] StateMachineSupported = ["Schedule", "ScheduleV2", "CloudWatchEvent", "EventBridgeRule"];

    /// <summary>
    /// A state machine's event: Schedule, CloudWatchEvent and EventBridgeRule are an AWS::Events::Rule &lt;SM&gt;&lt;Event&gt;
    /// whose target starts the state machine with the role &lt;SM&gt;&lt;Event&gt;Role (events.amazonaws.com, the inline
    /// policy &lt;SM&gt;&lt;Event&gt;RoleStartExecutionPolicy; Schedule may give RoleArn instead); ScheduleV2 as a function's
    /// (docs/localcloud-cloudformation-transforms.md, "Event sources").
    /// </summary>
    public static void AddToStateMachine(string machine, string eventId, string type, JsonObject properties, JsonObject source, ServerlessOutput output)
    {
        var name = machine + eventId;
        if (type == "ScheduleV2")
        {
            Schedule(ServerlessFunction.Ref(machine), "StartExecutionPolicy", "states:StartExecution", machine, eventId, properties, source, output);
            return;
        }
        if (!StateMachineSupported.Contains(type))
        {
            throw ServerlessTransform.Invalid(machine, $"Event with id [{eventId}] is invalid. Event type '{type}' of a state machine is not supported by LocalCloud's SAM transform (a LocalCloud limit); supported: {string.Join(", ", StateMachineSupported)}.");
        }
        var rule = new JsonObject();
        if (type == "Schedule")
        {
            rule["ScheduleExpression"] = Required(machine, eventId, properties, "Schedule");
            if (properties["State"] is not null && properties["Enabled"] is not null)
            {
                throw ServerlessTransform.Invalid(machine, $"Event with id [{eventId}] is invalid. State and Enabled Properties cannot both be specified.");
            }
            ServerlessTransform.Copy(properties, rule, "State", "Name", "Description");
            if (properties["Enabled"] is { } enabled)
            {
                rule["State"] = enabled.GetValueKind() == System.Text.Json.JsonValueKind.False ? "DISABLED" : "ENABLED";
            }
        }
        else
        {
            ServerlessTransform.Copy(properties, rule, "EventBusName", "State");
            if (properties["Pattern"] is { } pattern)
            {
                rule["EventPattern"] = pattern.DeepClone();
            }
            if (properties["RuleName"] is { } ruleName)
            {
                rule["Name"] = ruleName.DeepClone();
            }
        }
        const string suffix = "StepFunctionsTarget";
        var target = new JsonObject
        {
            ["Arn"] = ServerlessFunction.Ref(machine),
            ["Id"] = properties["Target"]?["Id"]?.DeepClone() ?? (name.Length + suffix.Length <= 64 ? name + suffix : name[..(64 - suffix.Length)] + suffix),
        };
        if (type == "Schedule" && properties["RoleArn"] is { } roleArn)
        {
            target["RoleArn"] = roleArn.DeepClone();
        }
        else
        {
            var role = new JsonObject
            {
                ["AssumeRolePolicyDocument"] = ServerlessFunction.TrustPolicy("events.amazonaws.com"),
                ["Policies"] = new JsonArray(InlinePolicy(name + "RoleStartExecutionPolicy", "states:StartExecution", ServerlessFunction.Ref(machine))),
            };
            output.Add(name + "Role", source, "AWS::IAM::Role", role);
            target["RoleArn"] = ServerlessFunction.Arn(name + "Role");
        }
        ServerlessTransform.Copy(properties, target, "Input", "InputPath", "RetryPolicy", "InputTransformer");
        if (properties["DeadLetterConfig"] is JsonObject deadLetter)
        {
            target["DeadLetterConfig"] = new JsonObject
            {
                ["Arn"] = deadLetter["Arn"]?.DeepClone() ?? throw ServerlessTransform.Invalid(machine,
                    $"Event with id [{eventId}] is invalid. A DeadLetterConfig without Arn (a queue SAM creates) is not supported by LocalCloud's SAM transform (a LocalCloud limit)."),
            };
        }
        rule["Targets"] = new JsonArray(target);
        output.Add(name, source, "AWS::Events::Rule", rule);
    }

    /// <summary>
    /// ScheduleV2 (a function's or a state machine's): an AWS::Scheduler::Schedule &lt;Id&gt;&lt;Event&gt; named after the event
    /// unless OmitName, and, without RoleArn, its execution role &lt;Id&gt;&lt;Event&gt;Role that scheduler.amazonaws.com assumes
    /// to invoke the target; a DeadLetterConfig without Arn gets the queue &lt;Id&gt;&lt;Event&gt;Queue (or QueueLogicalId)
    /// (docs/localcloud-cloudformation-transforms.md, "Event sources").
    /// </summary>
    internal static void Schedule(JsonObject targetArn, string policySuffix, string action, string owner, string eventId, JsonObject properties, JsonObject source,
        ServerlessOutput output)
    {
        var name = owner + eventId;
        var schedule = new JsonObject { ["ScheduleExpression"] = Required(owner, eventId, properties, "ScheduleExpression") };
        if (properties["OmitName"]?.GetValueKind() == System.Text.Json.JsonValueKind.True)
        {
            if (properties["Name"] is not null)
            {
                throw ServerlessTransform.Invalid(owner, $"Event with id [{eventId}] is invalid. Name cannot be set when OmitName is True");
            }
        }
        else
        {
            schedule["Name"] = properties["Name"]?.DeepClone() ?? name;
        }
        ServerlessTransform.Copy(properties, schedule, "State", "Description", "StartDate", "EndDate", "ScheduleExpressionTimezone", "GroupName", "KmsKeyArn");
        schedule["FlexibleTimeWindow"] = properties["FlexibleTimeWindow"]?.DeepClone() ?? new JsonObject { ["Mode"] = "OFF" };
        JsonNode? deadLetterArn = null;
        if (properties["DeadLetterConfig"] is JsonObject deadLetter)
        {
            deadLetterArn = deadLetter["Arn"]?.DeepClone();
            var problem = (deadLetterArn, deadLetter["Type"]) switch
            {
                (not null, not null) => "You can either define 'Arn' or 'Type' property of DeadLetterConfig",
                (null, null) => "No 'Arn' or 'Type' property provided for DeadLetterConfig",
                (null, var type) when type.ToString() != "SQS" => "The only valid value for 'Type' property of DeadLetterConfig is 'SQS'",
                _ => null,
            };
            if (problem is not null)
            {
                throw ServerlessTransform.Invalid(owner, $"Event with id [{eventId}] is invalid. {problem}");
            }
            if (deadLetterArn is null)
            {
                var queueId = deadLetter["QueueLogicalId"]?.ToString() ?? name + "Queue";
                output.Add(queueId, source, "AWS::SQS::Queue", []);
                deadLetterArn = ServerlessFunction.Arn(queueId);
            }
        }
        var target = new JsonObject { ["Arn"] = targetArn };
        if (properties["RoleArn"] is { } roleArn)
        {
            target["RoleArn"] = roleArn.DeepClone();
        }
        else
        {
            var policies = new JsonArray(InlinePolicy(name + policySuffix, action, targetArn.DeepClone()));
            if (deadLetterArn is not null)
            {
                policies.Add(InlinePolicy(name + "SQSPolicy", "sqs:SendMessage", deadLetterArn.DeepClone()));
            }
            var role = new JsonObject { ["AssumeRolePolicyDocument"] = ServerlessFunction.TrustPolicy("scheduler.amazonaws.com"), ["Policies"] = policies };
            ServerlessTransform.Copy(properties, role, "PermissionsBoundary");
            output.Add(name + "Role", source, "AWS::IAM::Role", role);
            target["RoleArn"] = ServerlessFunction.Arn(name + "Role");
        }
        ServerlessTransform.Copy(properties, target, "Input", "RetryPolicy");
        if (deadLetterArn is not null)
        {
            target["DeadLetterConfig"] = new JsonObject { ["Arn"] = deadLetterArn };
        }
        schedule["Target"] = target;
        output.Add(name, source, "AWS::Scheduler::Schedule", schedule);
    }

    /// <summary>An inline role policy of one statement, as SAM names those it adds for an event (&lt;Event&gt;SQSPolicy...).</summary>
    internal static JsonObject InlinePolicy(string policyName, string action, JsonNode? resource) => new()
    {
        ["PolicyName"] = policyName,
        ["PolicyDocument"] = new JsonObject
        {
            ["Statement"] = new JsonArray(new JsonObject { ["Action"] = action, ["Effect"] = "Allow", ["Resource"] = resource }),
        },
    };

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

    internal static JsonNode Required(string function, string eventId, JsonObject properties, string name) =>
        properties[name]?.DeepClone() ?? throw ServerlessTransform.Invalid(function, $"Event with id [{eventId}] is invalid. Missing required property '{name}'.");
}
