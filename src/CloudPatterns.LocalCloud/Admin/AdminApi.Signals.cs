using System.Text.Json;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;

namespace CloudPatterns.LocalCloud.Admin;

/// <summary>
/// CloudFormation signals LocalCloud serves outside SigV4 (docs/localcloud-cloudformation-signals.md): the wait-handle
/// URLs cfn-signal PUTs to, and the switch that makes emulated instances' boots signal FAILURE.
/// </summary>
internal sealed partial class AdminApi
{
    public const string WaitHandleRoute = "cloudformation/wait-handles/";

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
}
