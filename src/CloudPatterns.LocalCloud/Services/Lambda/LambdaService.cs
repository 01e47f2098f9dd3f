using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Iam;
using CloudPatterns.LocalCloud.Services.S3;

namespace CloudPatterns.LocalCloud.Services.Lambda;

/// <summary>
/// AWS Lambda (REST-JSON, 2015-03-31): functions from a zip (inline or in S3), their configuration, reserved
/// concurrency, resource-based policy, versions and aliases, and Invoke (RequestResponse, Event, DryRun). Rules, limits
/// and sources: docs/localcloud-lambda.md.
/// </summary>
internal sealed partial class LambdaService : RestJsonService
{
    private const string Functions = "/2015-03-31/functions";
    private const string Function = "/2015-03-31/functions/{FunctionName}";
    private const string NamePattern = @"(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?";
    private const string RolePattern = @"arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+";

    private readonly LambdaStore store;
    private readonly LambdaInvoker invoker;
    private readonly IamStore iam;
    private readonly S3Store s3;
    private readonly string organizationId;
    private readonly TimeProvider clock;

    private readonly LambdaDestinationPermissions destinationPermissions;

    public LambdaService(LambdaStore store, LambdaInvoker invoker, IamStore iam, S3Store s3, string organizationId, LambdaDestinationPermissions destinationPermissions, TimeProvider clock)
        : base("lambda", "TooManyRequestsException")
    {
        (this.store, this.invoker, this.iam, this.s3, this.organizationId, this.destinationPermissions, this.clock) = (store, invoker, iam, s3, organizationId, destinationPermissions, clock);
        AddOperation("CreateFunction", true, "POST", Functions, CreateFunction);
        AddOperation("GetFunction", false, "GET", Function, (request, input) => Ok(FunctionJson(Named(request, input))));
        AddOperation("GetFunctionConfiguration", false, "GET", Function + "/configuration", (request, input) => Ok(Configuration(Named(request, input))));
        AddOperation("ListFunctions", false, "GET", Functions, ListFunctions);
        AddOperation("UpdateFunctionCode", true, "PUT", Function + "/code", UpdateFunctionCode);
        AddOperation("UpdateFunctionConfiguration", true, "PUT", Function + "/configuration", UpdateFunctionConfiguration);
        AddOperation("DeleteFunction", true, "DELETE", Function, DeleteFunction);
        AddOperation("PutFunctionConcurrency", true, "PUT", "/2017-10-31/functions/{FunctionName}/concurrency", PutFunctionConcurrency);
        AddOperation("DeleteFunctionConcurrency", true, "DELETE", "/2017-10-31/functions/{FunctionName}/concurrency", DeleteFunctionConcurrency);
        AddOperation("AddPermission", true, "POST", Function + "/policy", AddPermission);
        AddOperation("RemovePermission", true, "DELETE", Function + "/policy/{StatementId}", RemovePermission);
        AddOperation("GetPolicy", false, "GET", Function + "/policy", GetPolicy);
        AddOperation("Invoke", true, "POST", Function + "/invocations", InvokeAsync, rawBody: true);
        AddEventInvokeConfigOperations();
        AddVersionOperations();
        AddUrlOperations();
    }

    private RestJsonResult CreateFunction(AwsRequest request, RestJsonInput input)
    {
        var body = input.Body ?? default;
        var violations = new List<string>();
        var name = body.GetStringOrNull("FunctionName");
        ModelConstraints.CheckString(violations, "functionName", name, 1, 140, "[a-zA-Z0-9-_]+");
        var role = body.GetStringOrNull("Role");
        ModelConstraints.CheckString(violations, "role", role, 1, 2048, RolePattern);
        var settings = Settings(body, violations);
        var codeInput = body.GetObjectOrNull("Code");
        if (codeInput is null)
        {
            violations.Add("Value null at 'code' failed to satisfy constraint: Member must not be null");
        }

        ModelConstraints.ThrowIfAny(violations, "ValidationException");
        LambdaArns.RefuseImagePackage(body.GetStringOrNull("PackageType"));
        if (settings.Runtime is null || settings.Handler is null)
        {
            throw LambdaArns.InvalidParameter("Runtime and Handler are mandatory parameters for functions created with deployment packages.");
        }

        LambdaRuntimes.RequireCreatable(settings.Runtime, clock.GetUtcNow());
        RequireAssumableRole(request, role!);
        var function = new LambdaFunction
        {
            AccountId = request.AccountId,
            Region = request.Region,
            Name = name!,
            Runtime = settings.Runtime,
            Handler = settings.Handler,
            Role = role!,
            Description = settings.Description ?? "",
            Timeout = settings.Timeout ?? 3,
            MemorySize = settings.MemorySize ?? 128,
            Environment = settings.Environment ?? new Dictionary<string, string>(StringComparer.Ordinal),
            DeadLetterTarget = settings.DeadLetterTarget,
            Code = Code(request, codeInput!.Value),
            LastModified = clock.GetUtcNow(),
            Tags = body.GetStringMapOrEmpty("Tags"),
        };
        return new RestJsonResult(201, Configuration(store.Create(function)));
    }

    private RestJsonResult ListFunctions(AwsRequest request, RestJsonInput input) =>
        Paged(input, "ListFunctions", store.List(request.AccountId, request.Region), "Functions", Configuration);

    private RestJsonResult UpdateFunctionCode(AwsRequest request, RestJsonInput input)
    {
        var existing = Named(request, input);
        var name = existing.Arn;
        LambdaRuntimes.RequireUpdatable(existing.Runtime, clock.GetUtcNow());
        var code = Code(request, input.Body ?? default);
        return Ok(Configuration(store.Update(request.AccountId, request.Region, name, function => function with { Code = code, LastModified = clock.GetUtcNow() })));
    }

    private RestJsonResult UpdateFunctionConfiguration(AwsRequest request, RestJsonInput input)
    {
        var name = Named(request, input).Arn;
        var body = input.Body ?? default;
        var violations = new List<string>();
        var role = body.GetStringOrNull("Role");
        ModelConstraints.CheckString(violations, "role", role, 1, 2048, RolePattern, required: false);
        var settings = Settings(body, violations);
        ModelConstraints.ThrowIfAny(violations, "ValidationException");
        LambdaRuntimes.RequireUpdatable(settings.Runtime ?? Named(request, input).Runtime, clock.GetUtcNow());
        if (role is not null)
        {
            RequireAssumableRole(request, role);
        }

        return Ok(Configuration(store.Update(request.AccountId, request.Region, name, function => function with
        {
            Role = role ?? function.Role,
            Runtime = settings.Runtime ?? function.Runtime,
            Handler = settings.Handler ?? function.Handler,
            Description = settings.Description ?? function.Description,
            Timeout = settings.Timeout ?? function.Timeout,
            MemorySize = settings.MemorySize ?? function.MemorySize,
            Environment = settings.Environment ?? function.Environment,
            DeadLetterTarget = body.GetObjectOrNull("DeadLetterConfig") is null ? function.DeadLetterTarget : settings.DeadLetterTarget,
            LastModified = clock.GetUtcNow(),
        })));
    }

    /// <summary>DeleteFunction: with a version qualifier that version only (an alias is deleted by DeleteAlias); otherwise the function with its versions and aliases.</summary>
    private RestJsonResult DeleteFunction(AwsRequest request, RestJsonInput input)
    {
        var function = Named(request, input);
        switch (function.Qualifier)
        {
            case null:
                store.Delete(request.AccountId, request.Region, function.Arn);
                break;
            case var version when LambdaArns.IsVersionNumber(version):
                store.DeleteVersion(request.AccountId, request.Region, function.Arn, version);
                break;
            case var alias:
                throw LambdaArns.InvalidParameter($"Qualifier {alias} is an alias: DeleteFunction deletes a function or one of its versions, DeleteAlias an alias.");
        }

        return new RestJsonResult(204, null);
    }

    private RestJsonResult PutFunctionConcurrency(AwsRequest request, RestJsonInput input)
    {
        var reserved = (input.Body ?? default).GetInt64OrNull("ReservedConcurrentExecutions");
        if (reserved is not { } value || value < 0)
        {
            throw AwsServiceException.Validation("ValidationException", [
                $"Value '{reserved?.ToString(CultureInfo.InvariantCulture) ?? "null"}' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0"]);
        }

        store.Update(request.AccountId, request.Region, Named(request, input).Arn, function => function with { ReservedConcurrency = (int)value });
        return Ok(new JsonObject { ["ReservedConcurrentExecutions"] = value });
    }

    private RestJsonResult DeleteFunctionConcurrency(AwsRequest request, RestJsonInput input)
    {
        store.Update(request.AccountId, request.Region, Named(request, input).Arn, function => function with { ReservedConcurrency = null });
        return new RestJsonResult(204, null);
    }

    /// <summary>The settings CreateFunction and UpdateFunctionConfiguration share, checked against the model's limits.</summary>
    private static FunctionSettings Settings(JsonElement body, List<string> violations)
    {
        var handler = body.GetStringOrNull("Handler");
        ModelConstraints.CheckString(violations, "handler", handler, 0, 128, @"[^\s]+", required: false);
        var description = body.GetStringOrNull("Description");
        ModelConstraints.CheckString(violations, "description", description, 0, 256, null, required: false);
        var timeout = ModelConstraints.CheckInteger(violations, "timeout", body.GetInt64OrNull("Timeout")?.ToString(CultureInfo.InvariantCulture), 1, 900);
        var memory = ModelConstraints.CheckInteger(violations, "memorySize", body.GetInt64OrNull("MemorySize")?.ToString(CultureInfo.InvariantCulture), 128, 10_240);
        var environment = body.GetObjectOrNull("Environment") is { } given ? given.GetStringMapOrEmpty("Variables") : null;
        LambdaChecks.RequireNoReservedVariables(environment);
        var deadLetter = LambdaChecks.DeadLetterTarget(body.GetObjectOrNull("DeadLetterConfig")?.GetStringOrNull("TargetArn"));
        return new FunctionSettings(body.GetStringOrNull("Runtime"), handler, description, timeout, memory, environment, deadLetter);
    }

    /// <summary>
    /// Handing Lambda a role needs iam:PassRole (iam:PassedToService lambda.amazonaws.com), and the role must exist and
    /// trust lambda.amazonaws.com, else AWS's InvalidParameterValueException.
    /// </summary>
    private void RequireAssumableRole(AwsRequest request, string roleArn)
    {
        request.Demand("lambda", "iam:PassRole", roleArn);
        LambdaChecks.RequireRoleTrustingLambda(iam, organizationId, roleArn);
    }

    /// <summary>The deployment package: ZipFile (base64 in the JSON body) or S3Bucket/S3Key, read with the caller's s3:GetObject.</summary>
    private byte[] Code(AwsRequest request, JsonElement code)
    {
        byte[] zip;
        if (code.GetStringOrNull("ZipFile") is { } inline)
        {
            try
            {
                zip = Convert.FromBase64String(inline);
            }
            catch (FormatException)
            {
                throw LambdaArns.InvalidParameter("Could not unzip uploaded file. Please check your file, then try to upload again.");
            }
        }
        else if (code.GetStringOrNull("S3Bucket") is { } bucket && code.GetStringOrNull("S3Key") is { } key)
        {
            request.Demand("lambda", "s3:GetObject", $"arn:aws:s3:::{bucket}/{key}");
            zip = LambdaChecks.ReadS3Code(s3, request.AccountId, bucket, key, code.GetStringOrNull("S3ObjectVersion"));
        }
        else
        {
            throw LambdaArns.InvalidParameter("Please provide a source for function code.");
        }

        return LambdaChecks.RequireZip(zip);
    }

    /// <summary>The function, version or alias the path's FunctionName and the Qualifier parameter name.</summary>
    private LambdaFunction Named(AwsRequest request, RestJsonInput input) =>
        store.Get(request.AccountId, request.Region, input.Path["FunctionName"], input.Query["Qualifier"].FirstOrDefault());

    private static RestJsonResult Ok(JsonObject body) => new(200, body);

    private static JsonObject FunctionJson(LambdaFunction function)
    {
        var output = new JsonObject
        {
            ["Configuration"] = Configuration(function),
            ["Code"] = new JsonObject { ["RepositoryType"] = "S3", ["Location"] = $"https://awslambda-{function.Region}-tasks.s3.{function.Region}.amazonaws.com/snapshots/{function.AccountId}/{function.Name}" },
            ["Tags"] = new JsonObject([.. function.Tags.Select(tag => KeyValuePair.Create(tag.Key, (JsonNode?)tag.Value))]),
        };
        if (function.ReservedConcurrency is { } reserved)
        {
            output["Concurrency"] = new JsonObject { ["ReservedConcurrentExecutions"] = reserved };
        }

        return output;
    }

    /// <summary>The FunctionConfiguration shape.</summary>
    private static JsonObject Configuration(LambdaFunction function)
    {
        var output = new JsonObject
        {
            ["FunctionName"] = function.Name,
            ["FunctionArn"] = function.QualifiedArn,
            ["Runtime"] = function.Runtime,
            ["Role"] = function.Role,
            ["Handler"] = function.Handler,
            ["CodeSize"] = function.Code.Length,
            ["Description"] = function.Description,
            ["Timeout"] = function.Timeout,
            ["MemorySize"] = function.MemorySize,
            ["LastModified"] = function.LastModified.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture),
            ["CodeSha256"] = function.CodeSha256,
            ["Version"] = function.Version,
            ["RevisionId"] = function.RevisionId,
            ["State"] = "Active",
            ["LastUpdateStatus"] = "Successful",
            ["PackageType"] = "Zip",
            ["Architectures"] = new JsonArray("x86_64"),
            ["EphemeralStorage"] = new JsonObject { ["Size"] = 512 },
        };
        if (function.Environment.Count > 0)
        {
            output["Environment"] = new JsonObject { ["Variables"] = new JsonObject([.. function.Environment.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value))]) };
        }

        if (function.DeadLetterTarget is { } target)
        {
            output["DeadLetterConfig"] = new JsonObject { ["TargetArn"] = target };
        }

        return output;
    }

    private sealed record FunctionSettings(string? Runtime, string? Handler, string? Description, int? Timeout, int? MemorySize, Dictionary<string, string>? Environment, string? DeadLetterTarget);
}
