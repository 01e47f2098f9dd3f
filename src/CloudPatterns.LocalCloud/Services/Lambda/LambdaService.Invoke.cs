using System.Text.Json.Nodes;
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

        RequireJson(payload);
        switch (type)
        {
            case "DryRun":
                return new RestJsonResult(204, null);
            case "Event":
                invoker.Enqueue(function, payload);
                return new RestJsonResult(202, null) { RawBody = [] };
            case "RequestResponse":
                var result = await invoker.InvokeAsync(function, payload);
                var responseHeaders = new Dictionary<string, string>(StringComparer.Ordinal) { ["X-Amz-Executed-Version"] = function.Version };
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

    /// <summary>Lambda accepts only JSON payloads (or none): anything else is 400 InvalidRequestContentException.</summary>
    private static void RequireJson(byte[] payload)
    {
        if (payload.Length == 0)
        {
            return;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(payload);
        }
        catch (System.Text.Json.JsonException error)
        {
            throw LambdaArns.Error(400, "InvalidRequestContentException", $"Could not parse request body into json: Could not parse payload into json: {error.Message}");
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

        var text = LambdaPolicy.Statement(sid!, action!, principal!, function.QualifiedArn, body.GetStringOrNull("SourceArn"), body.GetStringOrNull("SourceAccount"), body.GetStringOrNull("PrincipalOrgID"));
        store.AddPermission(request.AccountId, request.Region, function.Arn, function.Qualifier, sid!, text);
        return new RestJsonResult(201, new JsonObject { ["Statement"] = text });
    }

    private RestJsonResult RemovePermission(AwsRequest request, RestJsonInput input)
    {
        var function = Named(request, input);
        store.RemovePermission(request.AccountId, request.Region, function.Arn, function.Qualifier, input.Path["StatementId"]);
        return new RestJsonResult(204, null);
    }

    private RestJsonResult GetPolicy(AwsRequest request, RestJsonInput input)
    {
        var function = Named(request, input);
        return Ok(new JsonObject
        {
            ["Policy"] = LambdaPolicy.Document(function) ?? throw LambdaArns.Error(404, "ResourceNotFoundException", "The resource you requested does not exist."),
            ["RevisionId"] = function.RevisionId,
        });
    }
}
