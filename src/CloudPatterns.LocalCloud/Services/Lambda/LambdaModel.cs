using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Lambda;

/// <summary>
/// A Lambda function: its $LATEST, the versions published from it (snapshots of the same record) and its aliases.
/// A record answered for a qualified name (a version, or an alias's version) carries the <see cref="Qualifier"/> and
/// the resource-based policy of that version or alias (docs/localcloud-lambda.md, "Versions and aliases").
/// </summary>
internal sealed record LambdaFunction
{
    public required string AccountId { get; init; }

    public required string Region { get; init; }

    public required string Name { get; init; }

    public required string Runtime { get; init; }

    public required string Handler { get; init; }

    public required string Role { get; init; }

    public string Description { get; init; } = "";

    public int Timeout { get; init; } = 3;

    public int MemorySize { get; init; } = 128;

    public Dictionary<string, string> Environment { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Where failed asynchronous invocations go (an SNS topic ARN), or null.</summary>
    public string? DeadLetterTarget { get; init; }

    public required byte[] Code { get; init; }

    public required DateTimeOffset LastModified { get; init; }

    public string RevisionId { get; init; } = Guid.NewGuid().ToString();

    public int? ReservedConcurrency { get; init; }

    /// <summary>Retries, event age and destinations of asynchronous invocations (PutFunctionEventInvokeConfig); null: Lambda's defaults.</summary>
    public LambdaEventInvokeConfig? EventInvokeConfig { get; init; }

    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The resource-based policy's statements (AddPermission), by statement id, as JSON.</summary>
    public Dictionary<string, string> PolicyStatements { get; init; } = new(StringComparer.Ordinal);

    /// <summary>"$LATEST", or the number of a published version.</summary>
    public string Version { get; init; } = "$LATEST";

    /// <summary>The published versions, oldest first (empty in a version's own record).</summary>
    public List<LambdaFunction> Versions { get; init; } = [];

    /// <summary>The last version number given: numbers are never reused, even after a version is deleted.</summary>
    public int LastVersion { get; init; }

    public Dictionary<string, LambdaAlias> Aliases { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Function URLs (AWS::Lambda::Url), by the alias they serve ("" for $LATEST).</summary>
    public Dictionary<string, LambdaFunctionUrl> Urls { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The version or alias a request named; null for the function itself ($LATEST).</summary>
    public string? Qualifier { get; init; }

    /// <summary>The unqualified function ARN (what updates of the function itself go to).</summary>
    public string Arn => LambdaArns.Function(AccountId, Region, Name);

    /// <summary>The ARN with the qualifier the request named, as a policy statement's Resource and Invoke's target.</summary>
    public string QualifiedArn => Qualifier is null ? Arn : $"{Arn}:{Qualifier}";

    public string CodeSha256 => Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Code));
}

/// <summary>An alias: a name for one version (and optionally a weighted second one, RoutingConfig), with its own policy.</summary>
internal sealed record LambdaAlias
{
    public required string Name { get; init; }

    public required string FunctionVersion { get; init; }

    public string Description { get; init; } = "";

    /// <summary>RoutingConfig.AdditionalVersionWeights: a second version and the share of invocations it gets.</summary>
    public Dictionary<string, double> AdditionalVersionWeights { get; init; } = new(StringComparer.Ordinal);

    public string RevisionId { get; init; } = Guid.NewGuid().ToString();

    public Dictionary<string, string> PolicyStatements { get; init; } = new(StringComparer.Ordinal);
}

/// <summary>
/// A function URL: https://&lt;url-id&gt;.lambda-url.&lt;region&gt;.on.aws/ for $LATEST or an alias
/// (https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html). Recorded: LocalCloud serves no such host.
/// </summary>
internal sealed record LambdaFunctionUrl(string UrlId, string AuthType, string InvokeMode, string? Cors, DateTimeOffset Created, DateTimeOffset Modified)
{
    public string Url(string region) => $"https://{UrlId}.lambda-url.{region}.on.aws/";

    /// <summary>
    /// A new URL's settings, checked as the model checks them (AuthType AWS_IAM or NONE, required; InvokeMode BUFFERED,
    /// the default, or RESPONSE_STREAM); its id 32 lowercase letters and digits.
    /// </summary>
    public static LambdaFunctionUrl Checked(string? authType, string? invokeMode, string? cors, DateTimeOffset now)
    {
        var violations = new List<string>();
        if (authType is not ("AWS_IAM" or "NONE"))
        {
            violations.Add(authType is null
                ? "Value null at 'authType' failed to satisfy constraint: Member must not be null"
                : $"Value '{authType}' at 'authType' failed to satisfy constraint: Member must satisfy enum value set: [AWS_IAM, NONE]");
        }

        if (invokeMode is not (null or "BUFFERED" or "RESPONSE_STREAM"))
        {
            violations.Add($"Value '{invokeMode}' at 'invokeMode' failed to satisfy constraint: Member must satisfy enum value set: [BUFFERED, RESPONSE_STREAM]");
        }

        ModelConstraints.ThrowIfAny(violations, "ValidationException");
        var id = System.Security.Cryptography.RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 32);
        return new LambdaFunctionUrl(id, authType!, invokeMode ?? "BUFFERED", cors, now, now);
    }
}

/// <summary>Lambda ARNs, names and the errors the operations share (REST-JSON, Lambda's "Message" member).</summary>
internal static class LambdaArns
{
    public static string Function(string accountId, string region, string name) => $"arn:aws:lambda:{region}:{accountId}:function:{name}";

    /// <summary>
    /// The function a FunctionName parameter names: a name, a partial ARN (account:function:name) or a full ARN, each
    /// optionally with a qualifier (":$LATEST", a version number or an alias name; $LATEST is the function itself, so
    /// no qualifier). A name alone is in the caller's account and region; null when the parameter is none of these.
    /// </summary>
    public static (string AccountId, string Region, string Name, string? Qualifier)? Parse(string accountId, string region, string functionName) =>
        functionName.Split(':') switch
        {
            [var name] => (accountId, region, name, null),
            [var name, var qualifier] => (accountId, region, name, Qualifier(qualifier)),
            [var account, "function", var name] => (account, region, name, null),
            [var account, "function", var name, var qualifier] => (account, region, name, Qualifier(qualifier)),
            ["arn", "aws", "lambda", var inRegion, var account, "function", var name] => (account, inRegion, name, null),
            ["arn", "aws", "lambda", var inRegion, var account, "function", var name, var qualifier] => (account, inRegion, name, Qualifier(qualifier)),
            _ => null,
        };

    private static string? Qualifier(string qualifier) => qualifier == "$LATEST" ? null : qualifier;

    public static AwsServiceException NotFound(string arn) =>
        Error(404, "ResourceNotFoundException", $"Function not found: {arn}");

    public static AwsServiceException AliasNotFound(string aliasArn) =>
        Error(404, "ResourceNotFoundException", $"Alias not found: {aliasArn}");

    /// <summary>A version qualifier is a number; anything else is an alias name (an alias name is never all digits).</summary>
    public static bool IsVersionNumber(string qualifier) => qualifier.Length > 0 && qualifier.All(char.IsAsciiDigit);

    /// <summary>A RevisionId given must be the current one, else 412 PreconditionFailedException.</summary>
    public static void RequireRevision(string? given, string current)
    {
        if (given is not null && given != current)
        {
            throw Error(412, "PreconditionFailedException", "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id");
        }
    }

    public static AwsServiceException InvalidParameter(string message) => Error(400, "InvalidParameterValueException", message);

    /// <summary>
    /// Container-image functions (PackageType Image, Code.ImageUri) are a LocalCloud limit: it has no Amazon ECR to read
    /// the image from and runs no images, so it refuses them by name rather than asking for the Runtime and Handler that
    /// only .zip packages need (docs/localcloud-lambda.md, "Creating functions").
    /// </summary>
    public static void RefuseImagePackage(string? packageType)
    {
        if (string.Equals(packageType, "Image", StringComparison.Ordinal))
        {
            throw InvalidParameter("LocalCloud does not emulate container-image functions (PackageType Image): it has no Amazon ECR and runs no images. "
                + "Give a .zip deployment package (PackageType Zip, the default) with a Runtime and Handler.");
        }
    }

    public static AwsServiceException Error(int status, string code, string message) =>
        new(status, code, message) { JsonMessageMember = "Message", Fields = [KeyValuePair.Create("Type", "User")] };
}
