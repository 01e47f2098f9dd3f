using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.AsyncDelivery;

namespace CloudPatterns.LocalCloud.Services.Lambda;

/// <summary>
/// A function's settings for asynchronous invocation (PutFunctionEventInvokeConfig); a value left out is Lambda's
/// default: two retries, six hours (docs/localcloud-lambda.md, "Asynchronous invocation settings").
/// </summary>
internal sealed record LambdaEventInvokeConfig(int? MaximumRetryAttempts, int? MaximumEventAgeInSeconds, string? OnSuccess, string? OnFailure, DateTimeOffset LastModified)
{
    public const int MinRetryAttempts = 0;
    public const int MaxRetryAttempts = 2;
    public const int MinEventAgeSeconds = 60;
    public const int MaxEventAgeSeconds = 21600;

    /// <summary>The model's DestinationArn pattern.</summary>
    public const string DestinationPattern = @"^$|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-])+:([a-z]{2}(-gov)?-[a-z]+-\d{1})?:(\d{12})?:(.*)";

    /// <summary>The retries of a function without settings, or without this one.</summary>
    public static RetryPolicy Retries(LambdaFunction function) => function.EventInvokeConfig?.MaximumRetryAttempts is { } retries ? new(retries) : RetryPolicy.LambdaAsync;

    /// <summary>How long an event may wait for its function, on the sandbox clock.</summary>
    public static TimeSpan MaximumEventAge(LambdaFunction function) => TimeSpan.FromSeconds(function.EventInvokeConfig?.MaximumEventAgeInSeconds ?? MaxEventAgeSeconds);

    /// <summary>
    /// A destination must be a Lambda function, an SQS queue, an SNS topic or an EventBridge event bus, as AWS allows;
    /// AWS also takes an S3 bucket on failure, which LocalCloud does not deliver to, so it refuses one, saying so. The
    /// messages are LocalCloud's (InvalidParameterValueException, as AWS's code).
    /// </summary>
    public static void RequireDestination(string? arn, bool success)
    {
        switch (string.IsNullOrEmpty(arn) ? DestinationKind.Function : KindOf(arn))
        {
            case DestinationKind.Bucket:
                throw LambdaArns.InvalidParameter(success
                    ? $"The destination ARN {arn} is an S3 bucket, which Lambda takes only for OnFailure."
                    : $"The destination ARN {arn} is an S3 bucket: AWS takes one for OnFailure, LocalCloud does not deliver to S3 (docs/localcloud-lambda.md); give a Lambda function, an SQS queue, an SNS topic or an EventBridge event bus.");
            case null:
                throw LambdaArns.InvalidParameter($"The destination ARN {arn} is not a Lambda function, an SQS queue, an SNS topic, an EventBridge event bus or (OnFailure only) an S3 bucket.");
        }
    }

    public static DestinationKind? KindOf(string arn)
    {
        string[] parts = arn.Split(':', 6);
        if (parts.Length < 6)
        {
            return null;
        }

        return (parts[2], parts[5]) switch
        {
            ("lambda", var resource) when resource.StartsWith("function:", StringComparison.Ordinal) => DestinationKind.Function,
            ("sqs", _) => DestinationKind.Queue,
            ("sns", _) => DestinationKind.Topic,
            ("events", var resource) when resource.StartsWith("event-bus/", StringComparison.Ordinal) => DestinationKind.EventBus,
            ("s3", _) when parts[3].Length == 0 && parts[4].Length == 0 && !parts[5].Contains('/', StringComparison.Ordinal) => DestinationKind.Bucket,
            _ => null,
        };
    }

    /// <summary>
    /// What a Put or Update (or the CloudFormation resource) asks for, checked against the model's limits
    /// (ValidationException naming each bad value) and the destinations Lambda takes, before any change.
    /// </summary>
    public sealed record Requested(int? Retries, int? Age, string? OnSuccess, bool OnSuccessGiven, string? OnFailure, bool OnFailureGiven)
    {
        public static Requested Checked(JsonElement body)
        {
            var violations = new List<string>();
            int? retries = Bounded(violations, body, "MaximumRetryAttempts", MinRetryAttempts, MaxRetryAttempts);
            int? age = Bounded(violations, body, "MaximumEventAgeInSeconds", MinEventAgeSeconds, MaxEventAgeSeconds);
            var destinations = body.GetObjectOrNull("DestinationConfig");
            var success = destinations?.GetObjectOrNull("OnSuccess");
            var failure = destinations?.GetObjectOrNull("OnFailure");
            string? onSuccess = success?.GetStringOrNull("Destination");
            string? onFailure = failure?.GetStringOrNull("Destination");
            ModelConstraints.CheckString(violations, "destinationConfig.onSuccess.destination", onSuccess, 0, 350, DestinationPattern, required: false);
            ModelConstraints.CheckString(violations, "destinationConfig.onFailure.destination", onFailure, 0, 350, DestinationPattern, required: false);
            ModelConstraints.ThrowIfAny(violations, "ValidationException");
            RequireDestination(onSuccess, success: true);
            RequireDestination(onFailure, success: false);
            return new Requested(retries, age, Blank(onSuccess), success is not null, Blank(onFailure), failure is not null);
        }

        /// <summary>The configuration after this request: over <paramref name="old"/> (Update) only what it names changes; without (Put), what it leaves out is the default.</summary>
        public LambdaEventInvokeConfig Applied(LambdaEventInvokeConfig? old, DateTimeOffset now) => old is null
            ? new LambdaEventInvokeConfig(Retries, Age, OnSuccess, OnFailure, now)
            : new LambdaEventInvokeConfig(Retries ?? old.MaximumRetryAttempts, Age ?? old.MaximumEventAgeInSeconds, OnSuccessGiven ? OnSuccess : old.OnSuccess, OnFailureGiven ? OnFailure : old.OnFailure, now);

        /// <summary>An empty destination ARN removes the destination.</summary>
        private static string? Blank(string? arn) => string.IsNullOrEmpty(arn) ? null : arn;

        private static int? Bounded(List<string> violations, JsonElement body, string member, int minimum, int maximum)
        {
            if (!body.TryGetProperty(member, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            string name = char.ToLowerInvariant(member[0]) + member[1..];
            // CloudFormation gives numbers as strings.
            if (!(value.ValueKind == JsonValueKind.Number ? value.TryGetInt32(out int number)
                : value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number)))
            {
                violations.Add($"Value '{value}' at '{name}' failed to satisfy constraint: Member must be an integer");
                return null;
            }

            if (number < minimum)
            {
                violations.Add(string.Create(CultureInfo.InvariantCulture, $"Value '{number}' at '{name}' failed to satisfy constraint: Member must have value greater than or equal to {minimum}"));
            }
            else if (number > maximum)
            {
                violations.Add(string.Create(CultureInfo.InvariantCulture, $"Value '{number}' at '{name}' failed to satisfy constraint: Member must have value less than or equal to {maximum}"));
            }

            return number;
        }
    }

    /// <summary>A version or alias qualifier: LocalCloud keeps these settings for $LATEST only.</summary>
    public static AwsServiceException QualifierNotLatest(string qualifier) =>
        LambdaArns.InvalidParameter($"Qualifier {qualifier}: LocalCloud keeps asynchronous invocation settings for $LATEST only, not for versions or aliases.");

    public static AwsServiceException NotFound(LambdaFunction function) =>
        LambdaArns.Error(404, "ResourceNotFoundException", $"The function {function.Arn}:$LATEST doesn't have an EventInvokeConfig");

    /// <summary>
    /// The invocation record Lambda sends to a destination: the request (its id, the function, why: Success,
    /// RetriesExhausted or EventAgeExceeded, how many attempts), the event, and the response (status, function error,
    /// payload) when the function ran.
    /// </summary>
    public static JsonObject Record(LambdaFunction function, string requestId, string condition, int attempts, byte[] payload, InvocationResponse? response, DateTimeOffset at)
    {
        var record = new JsonObject
        {
            ["version"] = "1.0",
            ["timestamp"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["requestContext"] = new JsonObject
            {
                ["requestId"] = requestId,
                ["functionArn"] = function.Arn + ":$LATEST",
                ["condition"] = condition,
                ["approximateInvokeCount"] = attempts,
            },
            ["requestPayload"] = Json(payload),
        };
        if (response is not null)
        {
            var context = new JsonObject { ["statusCode"] = 200, ["executedVersion"] = "$LATEST" };
            if (response.FunctionError is { } error)
            {
                context["functionError"] = error;
            }

            record["responseContext"] = context;
            record["responsePayload"] = Json(response.Payload);
        }

        return record;
    }

    private static JsonNode? Json(byte[] payload)
    {
        try
        {
            return payload.Length == 0 ? null : JsonNode.Parse(payload);
        }
        catch (System.Text.Json.JsonException)
        {
            return JsonValue.Create(Encoding.UTF8.GetString(payload));
        }
    }
}

internal enum DestinationKind
{
    Function,
    Queue,
    Topic,
    EventBus,
    Bucket,
}

/// <summary>What the function answered on its last attempt: its payload (or error payload) and the function error kind.</summary>
internal sealed record InvocationResponse(byte[] Payload, string? FunctionError);
