using System.IO.Compression;
using System.Text;
using System.Text.Json;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.CloudFormation;
using CloudPatterns.LocalCloud.Services.Iam;
using CloudPatterns.LocalCloud.Services.S3;

namespace CloudPatterns.LocalCloud.Services.Lambda;

/// <summary>
/// AWS::Lambda::Function in LocalCloud's Lambda: Ref is the function name, GetAtt Arn its ARN. Code from S3
/// (S3Bucket/S3Key/S3ObjectVersion in the stack's account) or ZipFile (inline source, packaged as index.py or
/// index.js as CloudFormation does for those runtimes). The role is checked as CreateFunction checks it.
/// </summary>
internal sealed class LambdaFunctionProvisioner(LambdaStore store, IamStore iam, S3Store s3, string organizationId, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var name = NameOrGenerated(request, properties, "FunctionName");
        LambdaRuntimes.RequireCreatable(properties.GetStringOrNull("Runtime") ?? "", Now);
        var function = store.Create(Function(request, properties, name));
        return Provisioned(name, ("Arn", function.Arn));
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        LambdaRuntimes.RequireUpdatable(properties.GetStringOrNull("Runtime") ?? "", Now);
        var changed = Function(request, properties, current.PhysicalId);
        store.Update(request.Stack.AccountId, request.Stack.Region, current.PhysicalId, function => changed with
        {
            PolicyStatements = function.PolicyStatements,
            Versions = function.Versions,
            LastVersion = function.LastVersion,
            Aliases = function.Aliases,
            Urls = function.Urls,
            EventInvokeConfig = function.EventInvokeConfig,
        });
        return current;
    }

    protected override void Delete(ResourceRequest request, ProvisionedResource current)
    {
        if (Exists(request, current))
        {
            store.Delete(request.Stack.AccountId, request.Stack.Region, current.PhysicalId);
        }
    }

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) =>
        store.FindByArn(LambdaArns.Function(request.Stack.AccountId, request.Stack.Region, current.PhysicalId)) is not null;

    private LambdaFunction Function(ResourceRequest request, JsonElement properties, string name)
    {
        var (account, region) = (request.Stack.AccountId, request.Stack.Region);
        LambdaArns.RefuseImagePackage(properties.GetStringOrNull("PackageType"));
        var runtime = properties.GetStringOrNull("Runtime") ?? throw LambdaArns.InvalidParameter("Runtime and Handler are mandatory parameters for functions created with deployment packages.");
        var handler = properties.GetStringOrNull("Handler") ?? throw LambdaArns.InvalidParameter("Runtime and Handler are mandatory parameters for functions created with deployment packages.");
        var role = properties.GetStringOrNull("Role") ?? throw LambdaArns.InvalidParameter("The role defined for the function cannot be assumed by Lambda.");
        LambdaChecks.RequireRoleTrustingLambda(iam, organizationId, role);
        var environment = (properties.GetObjectOrNull("Environment") is { } given ? TextMap(given, "Variables") : null) ?? new Dictionary<string, string>(StringComparer.Ordinal);
        LambdaChecks.RequireNoReservedVariables(environment);
        var timeout = Number(properties, "Timeout") ?? 3;
        var memory = Number(properties, "MemorySize") ?? 128;
        if (timeout is < 1 or > 900 || memory is < 128 or > 10_240)
        {
            throw LambdaArns.InvalidParameter($"Timeout must be 1 to 900 seconds and MemorySize 128 to 10240 MB; the template gives {timeout} and {memory}.");
        }

        return new LambdaFunction
        {
            AccountId = account,
            Region = region,
            Name = name,
            Runtime = runtime,
            Handler = handler,
            Role = role,
            Description = properties.GetStringOrNull("Description") ?? "",
            Timeout = (int)timeout,
            MemorySize = (int)memory,
            Environment = environment,
            DeadLetterTarget = LambdaChecks.DeadLetterTarget(properties.GetObjectOrNull("DeadLetterConfig")?.GetStringOrNull("TargetArn")),
            ReservedConcurrency = Number(properties, "ReservedConcurrentExecutions") is { } reserved ? (int)reserved : null,
            Code = Code(properties.GetObjectOrNull("Code") ?? default, account, runtime),
            LastModified = Now,
            Tags = TagList(properties),
        };
    }

    private byte[] Code(JsonElement code, string accountId, string runtime)
    {
        if (code.GetStringOrNull("S3Bucket") is { } bucket && code.GetStringOrNull("S3Key") is { } key)
        {
            return LambdaChecks.RequireZip(LambdaChecks.ReadS3Code(s3, accountId, bucket, key, code.GetStringOrNull("S3ObjectVersion")));
        }

        if (code.GetStringOrNull("ZipFile") is { } source)
        {
            // CloudFormation packages inline source for the Node.js and Python runtimes only.
            var file = runtime.StartsWith("python", StringComparison.Ordinal) ? "index.py"
                : runtime.StartsWith("nodejs", StringComparison.Ordinal) ? "index.js"
                : throw LambdaArns.InvalidParameter($"ZipFile is supported for the Node.js and Python runtimes only, not {runtime}; give the package in S3 (S3Bucket, S3Key).");
            using var buffer = new MemoryStream();
            using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            {
                Add(zip, file, source);
                // Inline code gets the response module (cfnresponse, cfn-response), as CloudFormation adds it.
                if (LambdaRuntimes.InlineModule(runtime, source) is { } module)
                {
                    Add(zip, module.Path, module.Source);
                }
            }

            return buffer.ToArray();
        }

        throw LambdaArns.InvalidParameter("Please provide a source for function code.");
    }

    private static void Add(ZipArchive zip, string path, string text)
    {
        using var entry = zip.CreateEntry(path).Open();
        entry.Write(Encoding.UTF8.GetBytes(text));
    }
}

/// <summary>
/// AWS::Lambda::Permission: one statement of the function's resource-based policy, its id generated (the physical id).
/// Every property needs replacement, so an update keeps the statement as it is.
/// </summary>
internal sealed class LambdaPermissionProvisioner(LambdaStore store, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var function = store.Get(request.Stack.AccountId, request.Stack.Region, properties.GetStringOrNull("FunctionName") ?? "");
        var sid = ResourceIdentities.GeneratedName(request);
        var statement = LambdaPolicy.Statement(sid, properties.GetStringOrNull("Action") ?? "lambda:InvokeFunction", properties.GetStringOrNull("Principal") ?? "",
            function.QualifiedArn, properties.GetStringOrNull("SourceArn"), properties.GetStringOrNull("SourceAccount"), properties.GetStringOrNull("PrincipalOrgID"));
        store.AddPermission(request.Stack.AccountId, request.Stack.Region, function.Arn, function.Qualifier, sid, statement);
        return Provisioned(sid);
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current) => current;

    protected override void Delete(ResourceRequest request, ProvisionedResource current)
    {
        if (Exists(request, current))
        {
            var function = Function(request)!;
            store.RemovePermission(request.Stack.AccountId, request.Stack.Region, function.Arn, function.Qualifier, current.PhysicalId);
        }
    }

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) =>
        Function(request)?.PolicyStatements.ContainsKey(current.PhysicalId) == true;

    private LambdaFunction? Function(ResourceRequest request) => store.Named(request);
}

/// <summary>
/// AWS::Lambda::EventInvokeConfig: the function's asynchronous invocation settings, checked as
/// PutFunctionEventInvokeConfig checks them (the execution role's permission to each destination included); Qualifier must be $LATEST (versions and aliases have no settings of their own here). Deleting
/// the resource removes the settings (docs/localcloud-lambda.md, "Asynchronous invocation settings").
/// </summary>
internal sealed class LambdaEventInvokeConfigProvisioner(LambdaStore store, LambdaDestinationPermissions destinationPermissions, TimeProvider clock) : AppliedSettingsProvisioner(clock)
{
    protected override void Delete(ResourceRequest request, ProvisionedResource current)
    {
        if (Function(request) is { } function)
        {
            store.Update(function.AccountId, function.Region, function.Arn, changed => changed with { EventInvokeConfig = null });
        }
    }

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) => Function(request)?.EventInvokeConfig is not null;

    protected override void Apply(ResourceRequest request, JsonElement properties)
    {
        if (properties.GetStringOrNull("Qualifier") is { } qualifier && qualifier != "$LATEST")
        {
            throw LambdaEventInvokeConfig.QualifierNotLatest(qualifier);
        }

        var requested = LambdaEventInvokeConfig.Requested.Checked(properties);
        var function = store.Get(request.Stack.AccountId, request.Stack.Region, properties.GetStringOrNull("FunctionName") ?? "");
        destinationPermissions.Require(function, requested);
        store.Update(function.AccountId, function.Region, function.Arn, changed => changed with { EventInvokeConfig = requested.Applied(null, Now) });
    }

    private LambdaFunction? Function(ResourceRequest request) => store.Named(request);
}

internal static class LambdaStoreResources
{
    /// <summary>The function (or version or alias) a resource's property names (name or ARN, optionally qualified), or null when it is gone.</summary>
    public static LambdaFunction? Named(this LambdaStore store, ResourceRequest request, string property = "FunctionName", string? qualifier = null)
    {
        var named = request.Properties[property]?.GetValue<string>() ?? "";
        if (LambdaArns.Parse(request.Stack.AccountId, request.Stack.Region, named) is not { } target)
        {
            return null;
        }

        var wanted = target.Qualifier ?? (qualifier == "$LATEST" ? null : qualifier);
        return store.FindByArn(LambdaArns.Function(target.AccountId, target.Region, target.Name) + (wanted is null ? "" : ":" + wanted));
    }
}
