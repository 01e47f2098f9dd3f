using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation;
using CloudPatterns.LocalCloud.Hosting;

namespace CloudPatterns.LocalCloud.Admin;

/// <summary>
/// The admin API under <c>/_localcloud/</c> (no SigV4): health, the seeded organization, fault injection, the
/// request log, the simulated clock and Backup job timings, whether deliveries are under way, out-of-band changes to
/// stack resources, and the storage endpoints of AdminApi.Storage.cs (S3 tampering, SNS messages, saving state) and
/// Route 53's DNS answers and endpoint health (AdminApi.Route53.cs), and EFS files (AdminApi.Efs.cs).
/// </summary>
internal sealed partial class AdminApi(LocalCloudState state, string? statePath)
{
    public const string PathPrefix = "/_localcloud/";

    private readonly SimulationAdmin simulation = new(state.Clock, state.Backup, () => Hosting.ClockAutoAdvance.RunSchedules(state));

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        var route = request.Path.Value![PathPrefix.Length..].TrimEnd('/');
        if (request.Method == "PUT" && route.StartsWith(WaitHandleRoute, StringComparison.Ordinal))
        {
            return SignalWaitHandleAsync(http, route[WaitHandleRoute.Length..]);
        }

        if (request.Method == "PUT" && route.StartsWith(CustomResponseRoute, StringComparison.Ordinal))
        {
            return RespondToCustomResourceAsync(http, route[CustomResponseRoute.Length..]);
        }

        return (request.Method, route) switch
        {
            ("GET", "health") => WriteAsync(http, 200, new { status = "ok" }),
            ("GET", "org") => WriteAsync(http, 200, DescribeOrganization()),
            ("GET", "faults") => WriteAsync(http, 200, state.Faults.Rules),
            // The fault table (docs/localcloud-faults.md): every kind of fault in force, and the infrastructure faults under
            // faults/; fleet/zone-outages and route53/endpoints stay as the aliases they were.
            ("GET", "faults/active") => WriteAsync(http, 200, ActiveFaults()),
            ("GET", "faults/zone-outages") => WriteAsync(http, 200, state.Fleet.Faults()),
            ("PUT", "faults/zone-outages") => ApplyAsync(http, SetZoneOutage),
            ("PUT", "faults/endpoints") => ApplyAsync(http, SetEndpointHealth),
            ("PUT", "faults") => SetFaultAsync(http),
            ("DELETE", "faults") => Clear(http, state.Faults.Clear),
            ("GET", "requests") => WriteAsync(http, 200, state.RequestLog.Snapshot()),
            ("GET", "requests/counts") => WriteAsync(http, 200, state.RequestLog.Counts()),
            ("GET", "requests/status") => WriteAsync(http, 200, state.RequestLog.Status()),
            ("DELETE", "requests") => Clear(http, state.RequestLog.Clear),
            ("POST", "s3/tamper") => TamperAsync(http),
            ("GET", "sns/messages") => WriteAsync(http, 200, state.Sns.Messages(NullIfEmpty(request.Query["topicArn"]))),
            ("DELETE", "sns/messages") => Clear(http, state.Sns.ClearMessages),
            ("GET", "dead-letters") => WriteAsync(http, 200, state.DeadLetters.Read(NullIfEmpty(request.Query["queueArn"]))),
            // Whether asynchronous work is still under way (docs/localcloud-delivery.md, "Waiting for deliveries").
            ("GET", "deliveries") => WriteAsync(http, 200, new { busy = state.EventDelivery.Busy || state.ScheduleDelivery.Busy || state.LambdaInvoker.Busy }),
            ("POST", "state/save") => SaveState(http),
            ("PATCH", "cloudformation/resources") => ChangeStackResourceAsync(http),
            ("GET", "cloudformation/instance-boot") => WriteAsync(http, 200, DescribeInstanceBoot()),
            ("PUT", "cloudformation/instance-boot") => ApplyAsync(http, SetInstanceBoot),
            ("GET", "serverlessrepo/applications") => WriteAsync(http, 200, ServerlessApplications()),
            ("PUT", "serverlessrepo/applications") => ApplyAsync(http, PublishServerlessApplication),
            ("GET", "clock") => WriteAsync(http, 200, simulation.DescribeClock()),
            ("POST", "clock") => ApplyAsync(http, simulation.MoveClock),
            ("POST", "elbv2/requests") => ApplyAsync(http, SendThroughLoadBalancer),
            ("GET", "fleet/zone-outages") => WriteAsync(http, 200, state.Fleet.Faults()),
            ("PUT", "fleet/zone-outages") => ApplyAsync(http, SetZoneOutage),
            ("PUT", "autoscaling/cpu-demand") => ApplyAsync(http, SetCpuDemand),
            ("GET", "backup/job-timings") => WriteAsync(http, 200, simulation.DescribeJobTimings()),
            ("PUT", "backup/job-timings") => ApplyAsync(http, simulation.SetJobTimings),
            ("GET", "route53/resolve") => ResolveDnsNameAsync(http),
            ("PUT", "route53/endpoints") => ApplyAsync(http, SetEndpointHealth),
            ("PUT", "efs/files") => ApplyAsync(http, WriteEfsFiles),
            ("GET", "efs/files") => EfsFilesAsync(http),
            _ => WriteAsync(http, 404, new { error = $"No admin endpoint {request.Method} {request.Path}." }),
        };
    }

    /// <summary>Every fault in force: request faults, zone outages (admin or FIS), endpoints marked down, FIS experiments not ended.</summary>
    private object ActiveFaults() => new
    {
        requestFaults = state.Faults.Rules,
        zoneOutages = state.Fleet.Faults(),
        downEndpoints = state.Route53.DownEndpoints(),
        experiments = state.Fis.Running().Select(experiment => new { experiment.Id, experiment.Template.AccountId, experiment.Template.Region, templateId = experiment.Template.Id, experiment.Status }),
    };

    private object DescribeOrganization()
    {
        var organization = state.Organization;
        return new
        {
            id = organization.Id,
            arn = organization.Arn,
            rootId = organization.RootId,
            managementAccountId = organization.ManagementAccountId,
            managementCredentials = new
            {
                accessKeyId = organization.ManagementCredentials.AccessKeyId,
                secretAccessKey = organization.ManagementCredentials.SecretAccessKey,
            },
            executionRoleName = SeedOrganization.ExecutionRoleName,
            executionRoleExternalId = organization.ExecutionRoleExternalId,
            regions = organization.Regions,
            primaryRegion = organization.PrimaryRegion,
            organizationalUnits = organization.OrganizationalUnits.Select(unit => new { unit.Id, unit.Name, unit.Path, unit.ParentId, unit.Tags }),
            accounts = organization.Accounts.Select(account => new
            {
                account.Id,
                account.Name,
                account.Email,
                account.OrganizationalUnitPath,
                account.Tags,
                account.IsManagementAccount,
                roles = account.Roles.Select(role => role.Name),
            }),
        };
    }

    private async Task SetFaultAsync(HttpContext http)
    {
        FaultRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<FaultRequest>(http.Request.Body, JsonOptions, http.RequestAborted);
        }
        catch (JsonException error)
        {
            await WriteAsync(http, 400, new { error = $"The fault is not valid JSON: {error.Message}" });
            return;
        }

        if (body is null || body.LatencyMs < 0 || body.ThrottleRate is < 0 or > 1 || body.ErrorRate is < 0 or > 1 || body.Times is < 1)
        {
            await WriteAsync(http, 400, new { error = "A fault needs latencyMs >= 0, throttleRate and errorRate between 0 and 1, and times (if given) at least 1." });
            return;
        }

        // Without an errorCode an injected error is an internal failure (500), which SDKs retry; a named code gets the
        // status AWS sends with it (5xx for server errors, 400 for the rest) unless errorStatusCode says otherwise.
        var rule = new FaultRule(
            body.Service,
            body.Operation,
            body.LatencyMs,
            body.ThrottleRate,
            body.ErrorRate,
            body.ErrorCode ?? "InternalFailure",
            body.ErrorStatusCode ?? ServerErrors.StatusFor(body.ErrorCode ?? "InternalFailure")) { Times = body.Times };
        state.Faults.Set(rule);
        await WriteAsync(http, 200, rule);
    }

    /// <summary>
    /// An out-of-band change to a stack's resource, to create drift: body
    /// <c>{"accountId","region","stackName","logicalResourceId","properties":{...}}</c> (a null property value removes
    /// it) or <c>{..., "delete": true}</c>.
    /// </summary>
    private async Task ChangeStackResourceAsync(HttpContext http)
    {
        ResourceChangeRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<ResourceChangeRequest>(http.Request.Body, JsonOptions, http.RequestAborted);
        }
        catch (JsonException error)
        {
            await WriteAsync(http, 400, new { error = $"The change is not valid JSON: {error.Message}" });
            return;
        }

        if (body is null || (body.Properties is null) == (body.Delete != true))
        {
            await WriteAsync(http, 400, new { error = "A resource change needs accountId, region, stackName, logicalResourceId and either properties or \"delete\": true." });
            return;
        }

        try
        {
            state.CloudFormation.ChangeResourceOutOfBand(body.AccountId, body.Region, body.StackName, body.LogicalResourceId, body.Properties);
        }
        catch (CloudFormationException error)
        {
            await WriteAsync(http, 400, new { error = error.Message });
            return;
        }

        http.Response.StatusCode = 204;
    }

    /// <summary>Reads a JSON object body and answers what <paramref name="apply"/> makes of it.</summary>
    private static async Task ApplyAsync(HttpContext http, Func<JsonElement, (int Status, object Body)> apply)
    {
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body, JsonOptions, http.RequestAborted);
        }
        catch (JsonException error)
        {
            await WriteAsync(http, 400, new { error = $"The body is not valid JSON: {error.Message}" });
            return;
        }

        var (status, result) = body.ValueKind == JsonValueKind.Object ? apply(body) : (400, new { error = "The body must be a JSON object." });
        await WriteAsync(http, status, result);
    }

    private static Task Clear(HttpContext http, Action clear)
    {
        clear();
        http.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    private static Task WriteAsync(HttpContext http, int statusCode, object body)
    {
        http.Response.StatusCode = statusCode;
        return http.Response.WriteAsJsonAsync(body, body.GetType(), JsonOptions, http.RequestAborted);
    }

    private sealed record ResourceChangeRequest(
        string AccountId,
        string Region,
        string StackName,
        string LogicalResourceId,
        JsonObject? Properties,
        bool? Delete);

    private sealed record FaultRequest(
        string? Service,
        string? Operation,
        int LatencyMs,
        double ThrottleRate,
        double ErrorRate,
        string? ErrorCode,
        int? ErrorStatusCode,
        int? Times);
}
