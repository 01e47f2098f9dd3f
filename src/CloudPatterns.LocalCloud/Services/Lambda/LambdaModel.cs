using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Lambda;

/// <summary>A Lambda function ($LATEST only: LocalCloud has no versions or aliases).</summary>
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

    public string Arn => LambdaArns.Function(AccountId, Region, Name);

    public string CodeSha256 => Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Code));
}

/// <summary>Lambda ARNs, names and the errors the operations share (REST-JSON, Lambda's "Message" member).</summary>
internal static class LambdaArns
{
    public static string Function(string accountId, string region, string name) => $"arn:aws:lambda:{region}:{accountId}:function:{name}";

    /// <summary>
    /// The function a FunctionName parameter names: a name, a partial ARN (account:function:name) or a full ARN,
    /// optionally with the :$LATEST qualifier. A name alone is in the caller's account and region; null when the
    /// parameter is none of these (or names another qualifier: LocalCloud has $LATEST only).
    /// </summary>
    public static (string AccountId, string Region, string Name)? Parse(string accountId, string region, string functionName)
    {
        const string latest = ":$LATEST";
        var unqualified = functionName.EndsWith(latest, StringComparison.Ordinal) ? functionName[..^latest.Length] : functionName;
        return unqualified.Split(':') switch
        {
            [var name] => (accountId, region, name),
            [var account, "function", var name] => (account, region, name),
            ["arn", "aws", "lambda", var inRegion, var account, "function", var name] => (account, inRegion, name),
            _ => null,
        };
    }

    public static AwsServiceException NotFound(string arn) =>
        Error(404, "ResourceNotFoundException", $"Function not found: {arn}");

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
