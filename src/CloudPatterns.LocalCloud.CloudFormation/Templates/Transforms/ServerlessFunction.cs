using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates.Transforms;

/// <summary>AWS::Serverless::Function: the Lambda function, its generated role (&lt;Id&gt;Role), version and alias, and its event sources.</summary>
internal static class ServerlessFunction
{
    private static readonly string[] FunctionProperties =
    [
        "Handler", "Runtime", "MemorySize", "Timeout", "Environment", "Description", "FunctionName", "Layers", "Architectures",
        "VpcConfig", "ReservedConcurrentExecutions", "KmsKeyArn", "PackageType", "EphemeralStorage", "FileSystemConfigs",
        "CodeSigningConfigArn", "ImageConfig", "LoggingConfig", "RuntimeManagementConfig", "SnapStart", "RecursiveLoop",
        // Passed through by SAM since Lambda added them (aws-sam-translator 1.110.0, sam_resources.py).
        "TenancyConfig", "DurableConfig", "FunctionScalingConfig", "PublishToLatestPublished",
    ];

    public static void Expand(string logicalId, JsonObject resource, JsonObject properties, ServerlessOutput output, TransformContext context)
    {
        var function = new JsonObject();
        ServerlessTransform.Copy(properties, function, FunctionProperties);
        function["Code"] = Code(logicalId, properties);
        if (properties["Tracing"] is { } tracing)
        {
            function["TracingConfig"] = new JsonObject { ["Mode"] = tracing.DeepClone() };
        }
        if (properties["DeadLetterQueue"] is JsonObject deadLetter)
        {
            function["DeadLetterConfig"] = new JsonObject { ["TargetArn"] = deadLetter["TargetArn"]?.DeepClone() };
        }
        function["Tags"] = ServerlessTransform.TagList(properties["Tags"] as JsonObject, sam: true);
        var events = properties["Events"] as JsonObject ?? [];
        var managed = new List<JsonNode>();
        if (properties["Role"] is { } role)
        {
            function["Role"] = role.DeepClone();
        }
        else
        {
            function["Role"] = new JsonObject { ["Fn::GetAtt"] = new JsonArray(logicalId + "Role", "Arn") };
        }
        output.Add(logicalId, resource, "AWS::Lambda::Function", function);

        foreach (var (eventId, eventNode) in events)
        {
            if (eventNode is not JsonObject definition || definition["Type"]?.ToString() is not { } type)
            {
                throw ServerlessTransform.Invalid(logicalId, $"Event with id [{eventId}] is invalid. 'Type' is required.");
            }
            ServerlessEvents.Add(logicalId, eventId, type, definition["Properties"] as JsonObject ?? [], resource, output, managed, context);
        }

        if (properties["Role"] is null)
        {
            output.Add(logicalId + "Role", resource, "AWS::IAM::Role", Role(logicalId, properties, managed, "lambda.amazonaws.com",
                ["arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"], context.ManagedPolicyPath));
        }
        string? aliasId = null;
        if (properties["AutoPublishAlias"] is { } alias)
        {
            var versionId = logicalId + "Version" + ServerlessTransform.Hash(function.ToJsonString());
            aliasId = logicalId + "Alias" + alias;
            output.Add(versionId, resource, "AWS::Lambda::Version", new JsonObject { ["FunctionName"] = Ref(logicalId) })["DeletionPolicy"] = "Retain";
            output.Add(aliasId, resource, "AWS::Lambda::Alias", new JsonObject
            {
                ["Name"] = alias.DeepClone(),
                ["FunctionName"] = Ref(logicalId),
                ["FunctionVersion"] = new JsonObject { ["Fn::GetAtt"] = new JsonArray(versionId, "Version") },
            });
            output.References[logicalId + ".Alias"] = aliasId;
            output.References[logicalId + ".Version"] = versionId;
        }
        if (properties["FunctionUrlConfig"] is JsonObject url)
        {
            FunctionUrl(logicalId, resource, url, aliasId, output);
        }
    }

    /// <summary>FunctionUrlConfig: &lt;Id&gt;Url (AWS::Lambda::Url of the function, or of its alias) and, for AuthType NONE, the public permission &lt;Id&gt;UrlPublicPermissions.</summary>
    private static void FunctionUrl(string logicalId, JsonObject resource, JsonObject config, string? aliasId, ServerlessOutput output)
    {
        var target = Ref(aliasId ?? logicalId);
        var properties = new JsonObject
        {
            ["TargetFunctionArn"] = target,
            ["AuthType"] = config["AuthType"]?.DeepClone() ?? throw ServerlessTransform.Invalid(logicalId, "Property 'FunctionUrlConfig' is invalid. Missing required property 'AuthType'."),
        };
        ServerlessTransform.Copy(config, properties, "Cors", "InvokeMode");
        output.Add(logicalId + "Url", resource, "AWS::Lambda::Url", properties);
        if (config["AuthType"]?.ToString() == "NONE")
        {
            output.Add(logicalId + "UrlPublicPermissions", resource, "AWS::Lambda::Permission", new JsonObject
            {
                ["Action"] = "lambda:InvokeFunctionUrl",
                ["FunctionName"] = target.DeepClone(),
                ["Principal"] = "*",
                ["FunctionUrlAuthType"] = "NONE",
            });
        }
    }

    private static JsonNode Code(string logicalId, JsonObject properties)
    {
        if (properties["InlineCode"] is { } inline)
        {
            return new JsonObject { ["ZipFile"] = inline.DeepClone() };
        }
        if (properties["ImageUri"] is { } image)
        {
            return new JsonObject { ["ImageUri"] = image.DeepClone() };
        }
        if (properties["PackageType"]?.ToString() == "Image")
        {
            // An image function's code is its ImageUri only, which `sam build`/`sam deploy` fill in (aws-sam-translator's message).
            throw ServerlessTransform.Invalid(logicalId, "'ImageUri' must be set.");
        }
        if (properties["CodeUri"] is null)
        {
            throw ServerlessTransform.Invalid(logicalId, "Either 'InlineCode' or 'CodeUri' must be set");
        }
        return S3Code(logicalId, properties["CodeUri"], "CodeUri", "S3Bucket", "S3Key", "S3ObjectVersion");
    }

    /// <summary>s3://bucket/key[?versionId=v] or {Bucket, Key, Version} as the S3 location properties of the generated resource.</summary>
    internal static JsonObject S3Code(string logicalId, JsonNode? uri, string property, string bucketName, string keyName, string versionName)
    {
        switch (uri)
        {
            case JsonObject { Count: > 1 } location when location.ContainsKey("Bucket") && location.ContainsKey("Key"):
                var code = new JsonObject { [bucketName] = location["Bucket"]!.DeepClone(), [keyName] = location["Key"]!.DeepClone() };
                if (location["Version"] is { } version)
                {
                    code[versionName] = version.DeepClone();
                }
                return code;
            case JsonValue value when value.TryGetValue<string>(out var text) && text.StartsWith("s3://", StringComparison.Ordinal)
                && text[5..].IndexOf('/', StringComparison.Ordinal) is > 0 and var slash && slash < text.Length - 6:
                var rest = text[5..];
                var keyAndVersion = rest[(slash + 1)..].Split("?versionId=", 2);
                var s3 = new JsonObject { [bucketName] = rest[..slash], [keyName] = keyAndVersion[0] };
                if (keyAndVersion.Length == 2)
                {
                    s3[versionName] = keyAndVersion[1];
                }
                return s3;
            default:
                // A local path: `sam package`/`aws cloudformation package` uploads it first; CloudFormation only reads S3.
                throw ServerlessTransform.Invalid(logicalId, $"'{property}' is not a valid S3 Uri of the form 's3://bucket/key' with optional versionId query parameter.");
        }
    }

    /// <summary>The role SAM generates: the service's trust, the managed policies, then Policies (names, ARNs, statements, policy templates).</summary>
    internal static JsonObject Role(string logicalId, JsonObject properties, List<JsonNode> eventPolicies, string service, IEnumerable<string> basePolicies,
        Func<string, string?>? managedPolicyPath)
    {
        var managed = new JsonArray(basePolicies.Select(arn => (JsonNode)new JsonObject { ["Fn::Sub"] = arn }).ToArray());
        if (properties["Tracing"]?.ToString() == "Active")
        {
            managed.Add(new JsonObject { ["Fn::Sub"] = "arn:${AWS::Partition}:iam::aws:policy/AWSXrayWriteOnlyAccess" });
        }
        if (properties.ContainsKey("VpcConfig") && service == "lambda.amazonaws.com")
        {
            managed.Add(new JsonObject { ["Fn::Sub"] = "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole" });
        }
        var inline = new JsonArray();
        // An event source's own inline policy (MQ) has a PolicyName, after the Policies; the others are managed policies' ARNs.
        var eventInline = eventPolicies.Where(policy => policy is JsonObject named && named.ContainsKey("PolicyName")).ToList();
        foreach (var policy in eventPolicies.Except(eventInline))
        {
            managed.Add(policy.DeepClone());
        }
        var policies = properties["Policies"] switch
        {
            null => [],
            JsonArray list => list.ToList(),
            var single => [single],
        };
        foreach (var policy in policies)
        {
            switch (policy)
            {
                case JsonValue name when name.TryGetValue<string>(out var text):
                    // A name is an AWS-managed policy's, at its path (AWSLambdaBasicExecutionRole is under /service-role/).
                    managed.Add(text.StartsWith("arn:", StringComparison.Ordinal) ? JsonValue.Create(text)
                        : new JsonObject { ["Fn::Sub"] = $"arn:${{AWS::Partition}}:iam::aws:policy{managedPolicyPath?.Invoke(text) ?? "/"}{text}" });
                    break;
                case JsonObject document when document.ContainsKey("Statement"):
                    inline.Add(new JsonObject { ["PolicyName"] = $"{logicalId}RolePolicy{inline.Count}", ["PolicyDocument"] = document.DeepClone() });
                    break;
                case JsonObject { Count: 1 } template when SamPolicyTemplates.Statements(template.First().Key, template.First().Value as JsonObject) is { } statements:
                    inline.Add(new JsonObject
                    {
                        ["PolicyName"] = $"{logicalId}RolePolicy{inline.Count}",
                        ["PolicyDocument"] = new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = statements },
                    });
                    break;
                case JsonObject { Count: 1 } reference when reference.ContainsKey("Ref") || reference.ContainsKey("Fn::Sub") || reference.ContainsKey("Fn::If"):
                    managed.Add(reference.DeepClone());
                    break;
                default:
                    throw ServerlessTransform.Invalid(logicalId, $"Policy template {(policy as JsonObject)?.FirstOrDefault().Key ?? policy?.ToJsonString()} is not one LocalCloud knows (known: {string.Join(", ", SamPolicyTemplates.Names)}).");
            }
        }
        foreach (var policy in eventInline)
        {
            inline.Add(policy.DeepClone());
        }
        var role = new JsonObject
        {
            ["AssumeRolePolicyDocument"] = TrustPolicy(service),
            ["ManagedPolicyArns"] = managed,
            ["Tags"] = ServerlessTransform.TagList(properties["Tags"] as JsonObject, sam: true),
        };
        if (inline.Count > 0)
        {
            role["Policies"] = inline;
        }
        ServerlessTransform.Copy(properties, role, "PermissionsBoundary");
        if (properties["RolePath"] is { } path)
        {
            role["Path"] = path.DeepClone();
        }
        return role;
    }

    /// <summary>The trust policy of a role SAM generates for a service (lambda.amazonaws.com, states.amazonaws.com...).</summary>
    internal static JsonObject TrustPolicy(string service) => new()
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray(new JsonObject
        {
            ["Effect"] = "Allow",
            ["Action"] = new JsonArray("sts:AssumeRole"),
            ["Principal"] = new JsonObject { ["Service"] = new JsonArray(service) },
        }),
    };

    internal static JsonObject Ref(string logicalId) => new() { ["Ref"] = logicalId };

    internal static JsonObject Arn(string logicalId) => new() { ["Fn::GetAtt"] = new JsonArray(logicalId, "Arn") };
}
