using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;

namespace CloudPatterns.LocalCloud.Admin;

/// <summary>
/// CloudFormation URLs LocalCloud serves outside SigV4, as S3 serves CloudFormation's presigned URLs: the wait-handle
/// URLs cfn-signal PUTs to (docs/localcloud-cloudformation-signals.md), custom resources' ResponseURLs
/// (docs/localcloud-cloudformation-custom-resources.md), and the switch that makes emulated instances' boots fail.
/// </summary>
internal sealed partial class AdminApi
{
    public const string WaitHandleRoute = "cloudformation/wait-handles/";

    public const string CustomResponseRoute = "cloudformation/custom-responses/";

    /// <summary>A custom resource provider's PUT of its response JSON to the request's ResponseURL.</summary>
    private async Task RespondToCustomResourceAsync(HttpContext http, string token)
    {
        JsonObject? response = null;
        try
        {
            response = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            // Answered below.
        }

        var refusal = response is null ? "Invalid response object: the body must be a JSON object." : state.CloudFormation.RespondToCustomResource(token, response);
        if (refusal is not null)
        {
            await WriteAsync(http, response is null ? 400 : 403, new { error = refusal });
            return;
        }

        http.Response.StatusCode = 200;
    }

    /// <summary>A PUT of cfn-signal's JSON ({"Status","Reason","UniqueId","Data"}) to a wait handle's URL.</summary>
    private async Task SignalWaitHandleAsync(HttpContext http, string token)
    {
        ResourceSignal? signal = null;
        try
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            var root = body.RootElement;
            string? Field(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            if (Field("Status") is "SUCCESS" or "FAILURE" && Field("UniqueId") is { Length: > 0 } uniqueId)
            {
                signal = new ResourceSignal(uniqueId, Field("Status")!, Field("Reason"), Field("Data"));
            }
        }
        catch (JsonException)
        {
            // Answered below as unparsable, as CloudFormation calls signal data it cannot read.
        }

        if (signal is null)
        {
            await WriteAsync(http, 400, new { error = "Unparsable WaitCondition data: expected JSON with Status (SUCCESS or FAILURE), UniqueId, and optional Reason and Data." });
            return;
        }

        if (!state.CloudFormation.SignalWaitHandle(token, signal))
        {
            await WriteAsync(http, 403, new { error = "AccessDenied: the URL names no wait condition handle (it was deleted or never existed)." });
            return;
        }

        http.Response.StatusCode = 200;
    }

    private object DescribeInstanceBoot() => new { status = state.CloudFormation.InstanceBootStatus };

    private (int Status, object Body) SetInstanceBoot(JsonElement body)
    {
        var status = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("status", out var value) ? value.GetString() : null;
        if (status is not ("SUCCESS" or "FAILURE"))
        {
            return (400, new { error = "The instance boot status must be \"SUCCESS\" or \"FAILURE\"." });
        }

        state.CloudFormation.InstanceBootStatus = status;
        return (200, DescribeInstanceBoot());
    }

    /// <summary>
    /// <c>PUT /_localcloud/serverlessrepo/applications {"applicationId","semanticVersion","templateBody"}</c>: a public
    /// Serverless Application Repository application that AWS::Serverless::Application may deploy
    /// (docs/localcloud-cloudformation-transforms.md); <c>GET</c> lists them.
    /// </summary>
    private (int Status, object Body) PublishServerlessApplication(JsonElement body)
    {
        try
        {
            state.CloudFormation.ServerlessApplications.Publish(
                body.GetStringOrNull("applicationId") ?? "", body.GetStringOrNull("semanticVersion") ?? "", body.GetStringOrNull("templateBody") ?? "");
        }
        catch (ArgumentException error)
        {
            return (400, new { error = error.Message });
        }
        return (200, ServerlessApplications());
    }

    private object ServerlessApplications() =>
        state.CloudFormation.ServerlessApplications.List().Select(application => new { application.ApplicationId, application.SemanticVersion }).ToList();
}
