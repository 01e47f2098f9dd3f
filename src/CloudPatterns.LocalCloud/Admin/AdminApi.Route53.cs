using System.Text.Json;

namespace CloudPatterns.LocalCloud.Admin;

/// <summary>
/// Route 53 in the sandbox, where no real DNS or health checker runs:
/// <list type="bullet">
/// <item><c>GET /_localcloud/route53/resolve?accountId=…&amp;name=…&amp;type=A</c> → how Route 53 would answer the query now
/// (<c>{"name","type","setIdentifier","failover","values":[…],"reason"}</c>), 404 when no record set answers.</item>
/// <item><c>PUT /_localcloud/route53/endpoints</c> with <c>{"endpoint":"203.0.113.10","healthy":false}</c>: what endpoint
/// health checks and alias EvaluateTargetHealth see for that IP address or DNS name (every endpoint starts healthy).</item>
/// </list>
/// </summary>
internal sealed partial class AdminApi
{
    private Task ResolveDnsNameAsync(HttpContext http)
    {
        var query = http.Request.Query;
        string? accountId = NullIfEmpty(query["accountId"]), name = NullIfEmpty(query["name"]), type = NullIfEmpty(query["type"]) ?? "A";
        if (accountId is null || name is null)
        {
            return WriteAsync(http, 400, new { error = "Give accountId and name (and type, A by default)." });
        }

        return state.Route53.Resolve(accountId, name, type) is { } answer
            ? WriteAsync(http, 200, answer)
            : WriteAsync(http, 404, new { error = $"No record set in account {accountId}'s hosted zones answers {name} {type}." });
    }

    private (int Status, object Body) SetEndpointHealth(JsonElement body)
    {
        if (!body.TryGetProperty("endpoint", out var endpoint) || endpoint.ValueKind != JsonValueKind.String || endpoint.GetString() is not { Length: > 0 } name
            || !body.TryGetProperty("healthy", out var healthy) || healthy.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return (400, new { error = "Give \"endpoint\" (an IP address or DNS name) and \"healthy\" (true or false)." });
        }

        state.Route53.SetEndpointHealth(name, healthy.GetBoolean());
        return (200, new { endpoint = name, healthy = healthy.GetBoolean() });
    }
}
