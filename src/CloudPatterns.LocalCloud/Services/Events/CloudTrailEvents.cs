using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Protocols;
using Microsoft.AspNetCore.WebUtilities;

namespace CloudPatterns.LocalCloud.Services.Events;

/// <summary>
/// "AWS API Call via CloudTrail" events (docs/localcloud-events.md, "CloudTrail management events"): every write
/// management call LocalCloud serves, on the default bus of the caller's account in the call's region (IAM and
/// Organizations, global services, in us-east-1 as in AWS), with the CloudTrail record as detail:
/// eventSource, eventName, userIdentity, requestParameters (secrets hidden), errorCode/errorMessage when it failed.
/// Data events (S3 object calls, Lambda Invoke, PutLogEvents, SNS Publish, PutEvents) are not management events.
/// </summary>
internal static partial class CloudTrailEvents
{
    private const string Hidden = "HIDDEN_DUE_TO_SECURITY_REASONS";

    private static readonly HashSet<string> DataEvents = new(StringComparer.Ordinal)
    {
        "s3.PutObject", "s3.DeleteObject", "s3.DeleteObjects", "s3.PutObjectRetention", "s3.PutObjectLegalHold",
        "lambda.Invoke", "logs.PutLogEvents", "sns.Publish", "events.PutEvents", "sts.AssumeRole", "kms.Sign",
    };

    private static readonly HashSet<string> SecretMembers = new(StringComparer.OrdinalIgnoreCase)
    {
        "SecretString", "SecretBinary", "Plaintext", "MasterUserPassword", "Password", "ZipFile", "PrivateKey", "CertificateChain", "Certificate",
    };

    /// <summary>The event for one call, or null when CloudTrail would not send one to EventBridge (reads and data events).</summary>
    public static ServiceEvent? For(string signingName, AwsOperationCall call, AwsProtocol protocol, HttpContext http, byte[] body, CallerIdentity caller, string region, string requestId, AwsServiceException? error, DateTimeOffset time)
    {
        if (!call.Mutating || caller.IsService || DataEvents.Contains($"{signingName}.{call.Name}"))
        {
            return null;
        }

        var service = signingName == "monitoring" ? "cloudwatch" : signingName;
        // Global services' calls are recorded in US East (N. Virginia), whatever region the client signed for.
        region = signingName is "iam" or "organizations" ? "us-east-1" : region;
        var detail = new JsonObject
        {
            ["eventVersion"] = "1.08",
            ["userIdentity"] = UserIdentity(caller, http),
            ["eventTime"] = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["eventSource"] = $"{signingName}.amazonaws.com",
            ["eventName"] = call.Name,
            ["awsRegion"] = region,
            ["sourceIPAddress"] = http.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1",
            ["userAgent"] = http.Request.Headers.UserAgent.ToString(),
        };
        if (error is not null)
        {
            detail["errorCode"] = error.Code;
            detail["errorMessage"] = error.Message;
        }

        detail["requestParameters"] = RequestParameters(signingName, call, protocol, http, body);
        detail["responseElements"] = null;
        detail["requestID"] = requestId;
        detail["eventID"] = Guid.NewGuid().ToString();
        detail["readOnly"] = false;
        detail["eventType"] = "AwsApiCall";
        detail["managementEvent"] = true;
        detail["recipientAccountId"] = caller.AccountId;
        detail["eventCategory"] = "Management";
        return new ServiceEvent(caller.AccountId, region, $"aws.{service}", "AWS API Call via CloudTrail", [], detail, time);
    }

    private static JsonObject UserIdentity(CallerIdentity caller, HttpContext http)
    {
        var accessKey = AccessKey().Match(http.Request.Headers.Authorization.ToString()) is { Success: true } match ? match.Groups[1].Value : null;
        var identity = new JsonObject
        {
            ["type"] = caller.IsRoleSession ? "AssumedRole" : caller.Arn.EndsWith(":root", StringComparison.Ordinal) ? "Root" : "IAMUser",
            ["principalId"] = caller.UserId,
            ["arn"] = caller.Arn,
            ["accountId"] = caller.AccountId,
            ["accessKeyId"] = accessKey,
        };
        if (caller.RoleArn is { } role)
        {
            identity["sessionContext"] = new JsonObject
            {
                ["sessionIssuer"] = new JsonObject
                {
                    ["type"] = "Role",
                    ["principalId"] = caller.UserId.Split(':')[0],
                    ["arn"] = role,
                    ["accountId"] = caller.AccountId,
                    ["userName"] = role[(role.LastIndexOf('/') + 1)..],
                },
                ["attributes"] = new JsonObject { ["mfaAuthenticated"] = "false" },
            };
        }
        else if (!caller.Arn.EndsWith(":root", StringComparison.Ordinal))
        {
            identity["userName"] = caller.Arn[(caller.Arn.LastIndexOf('/') + 1)..];
        }

        return identity;
    }

    /// <summary>The request's parameters by lowerCamel member name, as CloudTrail records them; secrets hidden.</summary>
    private static JsonObject RequestParameters(string signingName, AwsOperationCall call, AwsProtocol protocol, HttpContext http, byte[] body)
    {
        var parameters = new JsonObject();
        void Add(string name, JsonNode? value) => parameters[Camel(name)] = SecretMembers.Contains(name) || (signingName == "ssm" && name == "Value") ? Hidden : value;
        switch (protocol)
        {
            case AwsProtocol.Json or AwsProtocol.RestJson when body.Length > 0 && TryParse(body) is { } json:
                foreach (var (name, value) in json)
                {
                    Add(name, value?.DeepClone());
                }

                break;
            case AwsProtocol.Query:
                foreach (var (name, value) in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)).Where(field => field.Key is not ("Action" or "Version")))
                {
                    Add(name, value.ToString());
                }

                break;
        }

        foreach (var (name, value) in http.Request.Query.Where(field => protocol != AwsProtocol.Query || field.Key is not ("Action" or "Version")))
        {
            Add(name, value.ToString());
        }

        // Path labels (S3's bucket and key, REST names) are known only to the operation: the common ones by model name.
        foreach (var (model, recorded) in new[] { ("Bucket", "bucketName"), ("Key", "key"), ("FunctionName", "functionName"), ("backupVaultName", "backupVaultName"), ("Name", "name") })
        {
            if (!parameters.ContainsKey(recorded) && call.Parameter(model) is { } value)
            {
                parameters[recorded] = value;
            }
        }

        return parameters;
    }

    private static JsonObject? TryParse(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Camel(string name) => name.Length == 0 || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name[1..];

    [GeneratedRegex(@"Credential=([A-Z0-9]+)/")]
    private static partial Regex AccessKey();
}
