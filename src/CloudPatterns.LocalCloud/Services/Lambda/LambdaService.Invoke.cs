using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Lambda;

/// <summary>Invoke and the function's resource-based policy (AddPermission, RemovePermission, GetPolicy).</summary>
internal sealed partial class LambdaService
{
    private async Task<RestJsonResult> InvokeAsync(AwsRequest request, RestJsonInput input)
    {
        var function = Named(request, input);
        var headers = request.Http.Request.Headers;
        var type = headers["X-Amz-Invocation-Type"].FirstOrDefault() ?? "RequestResponse";
        var payload = request.Body;
        var limit = type == "Event" ? LambdaInvoker.MaxAsyncPayloadBytes : LambdaInvoker.MaxSyncPayloadBytes;
        if (payload.Length > limit)
        {
            throw LambdaArns.Error(413, "RequestTooLargeException", $"Request must be smaller than {limit} bytes for the InvokeFunction operation");
        }

        switch (type)
        {
            case "DryRun":
                return new RestJsonResult(204, null);
            case "Event":
                invoker.Enqueue(function, payload);
                return new RestJsonResult(202, null) { RawBody = [] };
            case "RequestResponse":
                var result = await invoker.InvokeAsync(function, payload);
                var responseHeaders = new Dictionary<string, string>(StringComparer.Ordinal) { ["X-Amz-Executed-Version"] = "$LATEST" };
                if (result.FunctionError is { } kind)
                {
                    responseHeaders["X-Amz-Function-Error"] = kind;
                }

                if (headers["X-Amz-Log-Type"].FirstOrDefault() == "Tail")
                {
                    responseHeaders["X-Amz-Log-Result"] = result.LogTail;
                }

                return new RestJsonResult(200, null) { RawBody = result.Payload, Headers = responseHeaders };
            default:
                throw AwsServiceException.Validation("ValidationException", [
                    $"Value '{type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]"]);
        }
    }

    private RestJsonResult AddPermission(AwsRequest request, RestJsonInput input)
    {
        var function = Named(request, input);
        var body = input.Body ?? default;
        var violations = new List<string>();
        var sid = body.GetStringOrNull("StatementId");
        var action = body.GetStringOrNull("Action");
        var principal = body.GetStringOrNull("Principal");
        ModelConstraints.CheckString(violations, "statementId", sid, 1, 100, "([a-zA-Z0-9-_.]+)");
        ModelConstraints.CheckString(violations, "action", action, 1, 256, "(lambda:[*]|lambda:[a-zA-Z]+|[*])");
        ModelConstraints.CheckString(violations, "principal", principal, 1, 256, @"[^\s]+");
        ModelConstraints.ThrowIfAny(violations, "ValidationException");

        var statement = new JsonObject
        {
            ["Sid"] = sid,
            ["Effect"] = "Allow",
            ["Principal"] = Principal(principal!),
            ["Action"] = action,
            ["Resource"] = function.Arn,
        };
        var conditions = new JsonObject();
        AddCondition(conditions, "ArnLike", "AWS:SourceArn", body.GetStringOrNull("SourceArn"));
        AddCondition(conditions, "StringEquals", "AWS:SourceAccount", body.GetStringOrNull("SourceAccount"));
        AddCondition(conditions, "StringEquals", "aws:PrincipalOrgID", body.GetStringOrNull("PrincipalOrgID"));
        if (conditions.Count > 0)
        {
            statement["Condition"] = conditions;
        }

        var text = statement.ToJsonString();
        store.Update(request.AccountId, request.Region, function.Arn, current => current.PolicyStatements.ContainsKey(sid!)
            ? throw LambdaArns.Error(409, "ResourceConflictException", $"The statement id ({sid}) provided already exists. Please provide a new statement id, or remove the existing statement.")
            : current with { PolicyStatements = new Dictionary<string, string>(current.PolicyStatements, StringComparer.Ordinal) { [sid!] = text } });
        return new RestJsonResult(201, new JsonObject { ["Statement"] = text });
    }

    private RestJsonResult RemovePermission(AwsRequest request, RestJsonInput input)
    {
        var function = Named(request, input);
        var sid = input.Path["StatementId"];
        store.Update(request.AccountId, request.Region, function.Arn, current =>
        {
            var statements = new Dictionary<string, string>(current.PolicyStatements, StringComparer.Ordinal);
            return statements.Remove(sid)
                ? current with { PolicyStatements = statements }
                : throw LambdaArns.Error(404, "ResourceNotFoundException", $"Statement {sid} is not found in resource policy.");
        });
        return new RestJsonResult(204, null);
    }

    private RestJsonResult GetPolicy(AwsRequest request, RestJsonInput input)
    {
        var function = Named(request, input);
        return Ok(new JsonObject
        {
            ["Policy"] = PolicyText(function) ?? throw LambdaArns.Error(404, "ResourceNotFoundException", "The resource you requested does not exist."),
            ["RevisionId"] = function.RevisionId,
        });
    }

    /// <summary>The function's resource-based policy document, or null without statements (what the permission evaluator reads).</summary>
    public static string? PolicyText(LambdaFunction function) => function.PolicyStatements.Count == 0
        ? null
        : new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Id"] = "default",
            ["Statement"] = new JsonArray([.. function.PolicyStatements.Values.Select(text => JsonNode.Parse(text))]),
        }.ToJsonString();

    /// <summary>AddPermission's Principal: a service (events.amazonaws.com), an account id, an ARN, or "*".</summary>
    private static JsonNode Principal(string principal) => principal switch
    {
        "*" => "*",
        _ when principal.EndsWith(".amazonaws.com", StringComparison.Ordinal) => new JsonObject { ["Service"] = principal },
        _ when AccountId().IsMatch(principal) => new JsonObject { ["AWS"] = $"arn:aws:iam::{principal}:root" },
        _ => new JsonObject { ["AWS"] = principal },
    };

    private static void AddCondition(JsonObject conditions, string operatorName, string key, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (conditions[operatorName] is not JsonObject entries)
        {
            conditions[operatorName] = entries = [];
        }

        entries[key] = value;
    }

    [GeneratedRegex(@"^\d{12}$")]
    private static partial Regex AccountId();
}
