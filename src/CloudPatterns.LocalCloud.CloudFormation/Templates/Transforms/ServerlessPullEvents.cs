using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates.Transforms;

/// <summary>
/// A SAM function's pull event sources (SQS, Kinesis, DynamoDB, MSK, MQ, SelfManagedKafka, DocumentDB): the
/// AWS::Lambda::EventSourceMapping &lt;Fn&gt;&lt;Event&gt; and what the function's generated role needs to read the source
/// and send failed records to DestinationConfig (docs/localcloud-cloudformation-transforms.md, "Event sources").
/// </summary>
internal static class ServerlessPullEvents
{
    // The event's own properties that SAM turns into something else; the others are the mapping's, passed as they are.
    private static readonly HashSet<string> SamProperties =
    [
        "Queue", "Stream", "Broker", "Cluster", "DynamicPolicyName", "SecretsManagerKmsKeyId", "ConsumerGroupId", "KafkaBootstrapServers",
        "DatabaseName", "CollectionName", "FullDocument", "DestinationConfig",
    ];

    private static readonly string[] NetworkInterfaceActions =
    [
        "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface", "ec2:DescribeVpcs", "ec2:DescribeSubnets",
        "ec2:DescribeSecurityGroups",
    ];

    private static readonly string[] KafkaAuthentications =
        ["SASL_SCRAM_256_AUTH", "SASL_SCRAM_512_AUTH", "BASIC_AUTH", "CLIENT_CERTIFICATE_TLS_AUTH", "SERVER_ROOT_CA_CERTIFICATE"];

    public static void Add(string function, string name, string eventId, string type, JsonObject properties, JsonObject source, ServerlessOutput output,
        List<JsonNode> rolePolicies)
    {
        var mapping = new JsonObject();
        if (type switch { "SQS" => "Queue", "MQ" => "Broker", "DocumentDB" => "Cluster", "SelfManagedKafka" => null, _ => "Stream" } is { } arnProperty)
        {
            mapping["EventSourceArn"] = ServerlessEvents.Required(function, eventId, properties, arnProperty);
        }
        mapping["FunctionName"] = ServerlessFunction.Ref(function);
        foreach (var (key, value) in properties.Where(pair => !SamProperties.Contains(pair.Key)))
        {
            mapping[key] = value?.DeepClone();
        }
        if (properties["KafkaBootstrapServers"] is { } servers)
        {
            mapping["SelfManagedEventSource"] = new JsonObject { ["Endpoints"] = new JsonObject { ["KafkaBootstrapServers"] = servers.DeepClone() } };
        }
        if (properties["ConsumerGroupId"] is { } group)
        {
            mapping[type switch
            {
                "MSK" => "AmazonManagedKafkaEventSourceConfig",
                "SelfManagedKafka" => "SelfManagedKafkaEventSourceConfig",
                _ => throw Invalid(function, eventId, $"Property ConsumerGroupId not defined for resource of type {type}."),
            }] = new JsonObject { ["ConsumerGroupId"] = group.DeepClone() };
        }
        if (type == "DocumentDB")
        {
            var config = new JsonObject { ["DatabaseName"] = ServerlessEvents.Required(function, eventId, properties, "DatabaseName") };
            ServerlessTransform.Copy(properties, config, "CollectionName", "FullDocument");
            mapping["DocumentDBEventSourceConfig"] = config;
        }
        if (properties["DestinationConfig"] is { } destination)
        {
            mapping["DestinationConfig"] = Destination(function, name, eventId, destination, rolePolicies);
        }
        output.Add(name, source, "AWS::Lambda::EventSourceMapping", mapping);
        rolePolicies.AddRange(Policies(function, name, eventId, type, properties));
    }

    /// <summary>
    /// DestinationConfig as the mapping takes it: OnFailure's Type is SAM's (SQS, SNS or S3), removed, and gives the role
    /// the permission to send there (&lt;Fn&gt;&lt;Event&gt;SQSPolicy, SNSPolicy or S3Policy).
    /// </summary>
    private static JsonNode Destination(string function, string name, string eventId, JsonNode destination, List<JsonNode> rolePolicies)
    {
        var config = destination.DeepClone();
        if (config is not JsonObject { } configObject || configObject["OnFailure"] is not JsonObject onFailure)
        {
            throw Invalid(function, eventId, "Property 'DestinationConfig.OnFailure' should be a map.");
        }
        if (onFailure["Type"] is not { } typeNode)
        {
            return config;
        }
        onFailure.Remove("Type");
        var target = onFailure["Destination"]?.DeepClone();
        rolePolicies.Add(typeNode.GetValueKind() == JsonValueKind.String ? typeNode.ToString() switch
        {
            "SQS" => ServerlessEvents.InlinePolicy(name + "SQSPolicy", "sqs:SendMessage", target),
            "SNS" => ServerlessEvents.InlinePolicy(name + "SNSPolicy", "sns:publish", target),
            "S3" => new JsonObject
            {
                ["PolicyName"] = name + "S3Policy",
                ["PolicyDocument"] = new JsonObject
                {
                    ["Statement"] = new JsonArray(
                        new JsonObject { ["Action"] = "s3:PutObject", ["Effect"] = "Allow", ["Resource"] = new JsonObject { ["Fn::Join"] = new JsonArray("/", new JsonArray(target?.DeepClone(), "*")) } },
                        new JsonObject { ["Action"] = "s3:ListBucket", ["Effect"] = "Allow", ["Resource"] = target }),
                },
            },
            _ => throw Invalid(function, eventId, "The only valid values for 'Type' are 'SQS', 'SNS' and 'S3'"),
        } : throw Invalid(function, eventId, "The only valid values for 'Type' are 'SQS', 'SNS' and 'S3'"));
        return config;
    }

    /// <summary>What SAM adds to the function's role for the source: a managed policy's ARN, or an inline policy.</summary>
    private static IEnumerable<JsonNode> Policies(string function, string name, string eventId, string type, JsonObject properties)
    {
        var managed = type switch
        {
            "SQS" => "AWSLambdaSQSQueueExecutionRole",
            "Kinesis" => "AWSLambdaKinesisExecutionRole",
            "MSK" => "AWSLambdaMSKExecutionRole",
            "DynamoDB" => "AWSLambdaDynamoDBExecutionRole",
            _ => null,
        };
        if (managed is not null)
        {
            yield return new JsonObject { ["Fn::Sub"] = "arn:${AWS::Partition}:iam::aws:policy/service-role/" + managed };
        }
        var accessConfigurations = (properties["SourceAccessConfigurations"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        switch (type)
        {
            case "MSK" when accessConfigurations.FirstOrDefault(configuration => configuration["Type"]?.ToString() == "CLIENT_CERTIFICATE_TLS_AUTH" && configuration["URI"] is not null) is { } certificate:
                yield return Policy("MSKExecutionRolePolicy", Allow(["secretsmanager:GetSecretValue"], certificate["URI"]));
                break;
            case "MQ":
                var broker = Policy(properties["DynamicPolicyName"]?.GetValueKind() == JsonValueKind.True ? name + "AMQPolicy" : "SamAutoGeneratedAMQPolicy",
                    Allow(["secretsmanager:GetSecretValue"], AccessUri(function, eventId, type, properties, ["BASIC_AUTH", "VIRTUAL_HOST"], "BASIC_AUTH")),
                    Allow(["mq:DescribeBroker"], properties["Broker"]));
                AddKeyDecryption(broker, properties);
                yield return broker;
                break;
            case "DocumentDB":
                var cluster = Policy("SamAutoGeneratedDocumentDBPolicy",
                    Allow(["secretsmanager:GetSecretValue"], AccessUri(function, eventId, type, properties, ["BASIC_AUTH"], "BASIC_AUTH")),
                    Allow(["rds:DescribeDBClusterParameters"], new JsonObject { ["Fn::Sub"] = "arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:cluster-pg:*" }),
                    Allow(["rds:DescribeDBSubnetGroups"], new JsonObject { ["Fn::Sub"] = "arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:subgrp:*" }),
                    Allow(["rds:DescribeDBClusters"], properties["Cluster"]),
                    Allow(NetworkInterfaceActions, "*"));
                AddKeyDecryption(cluster, properties);
                yield return cluster;
                break;
            case "SelfManagedKafka":
                yield return KafkaPolicy(function, eventId, properties, accessConfigurations);
                break;
        }
    }

    /// <summary>SelfManagedKafka: one topic, the bootstrap servers, an authentication secret and/or a VPC (subnet and security group together).</summary>
    private static JsonObject KafkaPolicy(string function, string eventId, JsonObject properties, List<JsonObject> accessConfigurations)
    {
        if (properties["KafkaBootstrapServers"] is not JsonArray { Count: > 0 })
        {
            throw Invalid(function, eventId, "No KafkaBootstrapServers provided for self managed kafka as an event source");
        }
        if (properties["Topics"] is not JsonArray { Count: > 0 } topics)
        {
            throw Invalid(function, eventId, "No Topics provided for self managed kafka as an event source");
        }
        if (topics.Count != 1)
        {
            throw Invalid(function, eventId, "Topics for self managed kafka only supports single configuration entry.");
        }
        if (accessConfigurations.Count == 0)
        {
            throw Invalid(function, eventId, "No SourceAccessConfigurations for self managed kafka event provided.");
        }
        JsonNode? secret = null;
        var (subnet, securityGroup) = (false, false);
        foreach (var configuration in accessConfigurations)
        {
            var type = configuration["Type"]?.ToString();
            var what = type is "VPC_SUBNET" or "VPC_SECURITY_GROUP" ? type : "auth mechanism";
            if (configuration["URI"] is null)
            {
                throw Invalid(function, eventId, $"No {what} URI property specified in SourceAccessConfigurations for self managed kafka event.");
            }
            switch (type)
            {
                case "VPC_SUBNET":
                    subnet = true;
                    break;
                case "VPC_SECURITY_GROUP":
                    securityGroup = true;
                    break;
                case not null when KafkaAuthentications.Contains(type):
                    secret = secret is null ? configuration["URI"] : throw Invalid(function, eventId,
                        "Multiple auth mechanism properties specified in SourceAccessConfigurations for self managed kafka event.");
                    break;
                default:
                    throw Invalid(function, eventId, "Invalid SourceAccessConfigurations Type provided for self managed kafka event.");
            }
        }
        if (subnet != securityGroup)
        {
            throw Invalid(function, eventId, "VPC_SUBNET and VPC_SECURITY_GROUP in SourceAccessConfigurations for SelfManagedKafka must be both provided.");
        }
        var statements = new List<JsonObject>();
        if (secret is not null)
        {
            statements.Add(Allow(["secretsmanager:GetSecretValue"], secret));
        }
        if (subnet)
        {
            statements.Add(Allow(NetworkInterfaceActions, "*"));
        }
        var policy = Policy("SelfManagedKafkaExecutionRolePolicy", [.. statements]);
        AddKeyDecryption(policy, properties);
        policy["PolicyDocument"]!["Version"] = "2012-10-17";
        return policy;
    }

    /// <summary>The URI of the one SourceAccessConfigurations entry of the required type (MQ and DocumentDB: BASIC_AUTH), checked as SAM checks them.</summary>
    private static JsonNode AccessUri(string function, string eventId, string type, JsonObject properties, string[] supported, string required)
    {
        if (properties["SourceAccessConfigurations"] is not JsonArray { Count: > 0 } configurations)
        {
            throw Invalid(function, eventId, $"No SourceAccessConfigurations for Amazon {type} event provided.");
        }
        JsonNode? uri = null;
        foreach (var configuration in configurations)
        {
            var kind = configuration?["Type"]?.ToString();
            if (kind is null || !supported.Contains(kind))
            {
                throw Invalid(function, eventId, $"Invalid property Type specified in SourceAccessConfigurations. The supported values are: ['{string.Join("', '", supported)}'].");
            }
            if (kind == required)
            {
                uri = uri is null
                    ? configuration!["URI"] ?? throw Invalid(function, eventId, $"No {required} URI property specified in SourceAccessConfigurations.")
                    : throw Invalid(function, eventId, $"Multiple {required} properties specified in SourceAccessConfigurations.");
            }
        }
        return uri?.DeepClone() ?? throw Invalid(function, eventId, $"No {required} property specified in SourceAccessConfigurations.");
    }

    private static void AddKeyDecryption(JsonObject policy, JsonObject properties)
    {
        if (properties["SecretsManagerKmsKeyId"] is { } key)
        {
            policy["PolicyDocument"]!["Statement"]!.AsArray().Add(Allow(["kms:Decrypt"], new JsonObject
            {
                ["Fn::Sub"] = new JsonArray("arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${Key}", new JsonObject { ["Key"] = key.DeepClone() }),
            }));
        }
    }

    private static JsonObject Policy(string policyName, params JsonObject[] statements) => new()
    {
        ["PolicyName"] = policyName,
        ["PolicyDocument"] = new JsonObject { ["Statement"] = new JsonArray(statements) },
    };

    private static JsonObject Allow(string[] actions, JsonNode? resource) => new()
    {
        ["Action"] = new JsonArray(actions.Select(action => (JsonNode)JsonValue.Create(action)).ToArray()),
        ["Effect"] = "Allow",
        ["Resource"] = resource?.DeepClone(),
    };

    private static Exception Invalid(string function, string eventId, string message) =>
        ServerlessTransform.Invalid(function, $"Event with id [{eventId}] is invalid. {message}");
}
