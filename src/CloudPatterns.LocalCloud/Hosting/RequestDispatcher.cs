using System.Diagnostics;
using CloudPatterns.LocalCloud.Admin;
using CloudPatterns.LocalCloud.Auth;
using CloudPatterns.LocalCloud.Authorization;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Hosting;

/// <summary>
/// The single request path: admin endpoints, else SigV4 authentication, the service from the credential scope,
/// authorization (AWS's policy evaluation), injected faults, the operation, and an entry in the request log.
/// </summary>
internal sealed class RequestDispatcher(LocalCloudState state, ServiceCatalog catalog, SigV4Verifier verifier, AdminApi admin)
{
    private readonly RequestAuthorizer authorizer = new(state);

    private const string InjectedFaultMessage = "Injected by a LocalCloud fault rule.";

    public async Task HandleAsync(HttpContext http)
    {
        if (http.Request.Path.StartsWithSegments(AdminApi.PathPrefix.TrimEnd('/'), StringComparison.Ordinal))
        {
            await admin.HandleAsync(http);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var time = state.Clock.GetUtcNow();
        var requestId = Guid.NewGuid().ToString();
        var body = await ReadBodyAsync(http.Request, http.RequestAborted);
        var auth = verifier.Verify(http, body);
        if (auth.Region is { } region && !Serves(region))
        {
            // AWS has no endpoint for such a region: the client cannot even connect (docs/localcloud-faults.md).
            http.Abort();
            return;
        }

        var service = catalog.Find(auth.Service);
        AwsOperationCall? call = null;
        AwsServiceException? error = null;
        if (service is not null)
        {
            try
            {
                call = service.Resolve(http, body);
            }
            catch (AwsServiceException resolveError)
            {
                error = resolveError;
            }
        }
        else if (auth.Service is null)
        {
            (service, call) = catalog.Identify(http, body);
        }

        var protocol = service?.Protocol ?? ServiceCatalog.GuessProtocol(http.Request);
        if (auth.Failure is not null)
        {
            error = AuthErrors.For(protocol, auth.Failure, TimeProvider.System.GetUtcNow());
        }
        else if (service is null)
        {
            error = new AwsServiceException(400, "UnsupportedService", $"LocalCloud does not emulate the '{auth.Service}' service named in the SigV4 credential scope.");
        }
        AuthorizationOutcome? authorization = null;
        var checks = new List<AuthorizationCheck>(1);
        if (error is null && service is not null && call is not null)
        {
            authorization = authorizer.Authorize(service.SigningName, call, http, auth.Caller!, auth.Region!);
            if (authorization.Action is not null)
            {
                checks.Add(new AuthorizationCheck(authorization));
            }

            error = authorization.Decision.Allowed
                ? await ApplyFaultsAsync(service, call.Name, http.RequestAborted)
                    ?? await InvokeAsync(call, new AwsRequest(http, body, requestId, auth.Region!, auth.Caller!, FurtherPermission(authorization, auth.Caller!, auth.Region!, checks)))
                : AccessDeniedErrors.For(service.SigningName, auth.Caller!, authorization.Action!, authorization.Resource!, authorization.Decision);
        }

        if (error is not null)
        {
            await (service is null
                ? AwsErrors.WriteAsync(http, protocol, error, requestId)
                : service.WriteErrorAsync(http, error, requestId));
        }

        if (service is not null && call is not null && auth.Caller is not null
            && Services.Events.CloudTrailEvents.For(service.SigningName, call, protocol, http, body, auth.Caller, auth.Region!, requestId, error, time) is { } trail)
        {
            state.EventDelivery.Emit(trail);
        }

        state.RequestLog.Add(new RequestLogEntry(
            service?.SigningName ?? auth.Service,
            call?.Name,
            auth.Caller?.AccountId,
            auth.Caller?.Arn,
            auth.Region,
            http.Response.StatusCode,
            call?.Mutating ?? false,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            time)
        {
            Action = authorization?.Action,
            Decision = authorization?.Decision.Outcome,
            DecidedBy = authorization?.Decision.Describe(),
            Checks = checks,
        });
    }

    /// <summary>The checks a request makes inside itself, each added to the request's log entry.</summary>
    private FurtherPermission FurtherPermission(AuthorizationOutcome authorization, Identity.CallerIdentity caller, string region, List<AuthorizationCheck> checks)
    {
        var context = authorization.Context ?? Identity.PrincipalKeys.Context(caller, "", "", state.Organization.Id);
        return (viaService, action, resource) =>
        {
            var outcome = authorizer.AuthorizeAlso(context, viaService, action, resource, region);
            lock (checks)
            {
                checks.Add(new AuthorizationCheck(outcome));
            }

            return outcome;
        };
    }

    /// <summary>
    /// The seed's regions (a seed may name any), and every region AWS has an endpoint in. Which of them an account may
    /// use is EC2 DescribeRegions' answer: the seed's.
    /// </summary>
    private bool Serves(string region) => state.Organization.Regions.Contains(region) || AwsRegions.Has(region);

    private async Task<AwsServiceException?> ApplyFaultsAsync(IAwsService service, string operation, CancellationToken cancellationToken)
    {
        if (state.Faults.Find(service.SigningName, operation) is not { } rule)
        {
            return null;
        }

        // Timers may fire a millisecond early; a test or benchmark that injects N ms must see at least N.
        var latency = TimeSpan.FromMilliseconds(rule.LatencyMs);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < latency)
        {
            await Task.Delay(latency - waited.Elapsed + TimeSpan.FromMilliseconds(1), cancellationToken);
        }

        return state.Faults.Roll(rule) switch
        {
            FaultOutcome.Throttle => new AwsServiceException(
                ServerErrors.StatusFor(service.ThrottlingErrorCode),
                service.ThrottlingErrorCode,
                ServerErrors.MessageFor(service.ThrottlingErrorCode) ?? "Rate exceeded"),
            FaultOutcome.Error => new AwsServiceException(rule.ErrorStatusCode, rule.ErrorCode, ServerErrors.MessageFor(rule.ErrorCode) ?? InjectedFaultMessage),
            _ => null,
        };
    }

    private static async Task<AwsServiceException?> InvokeAsync(AwsOperationCall call, AwsRequest request)
    {
        try
        {
            await call.InvokeAsync(request);
            return null;
        }
        catch (AwsServiceException error)
        {
            return error;
        }
        catch (Exception error) when (!request.Http.Response.HasStarted)
        {
            // A LocalCloud bug: answer as AWS answers its own failures, and say what broke.
            return new AwsServiceException(500, "InternalFailure", $"LocalCloud failed in {call.Name}: {error.GetType().Name}: {error.Message}");
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength == 0)
        {
            return [];
        }

        using var buffer = new MemoryStream(request.ContentLength is { } length and <= int.MaxValue ? (int)length : 0);
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
