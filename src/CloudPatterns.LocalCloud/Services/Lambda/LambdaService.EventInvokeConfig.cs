using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Lambda;

/// <summary>
/// The asynchronous invocation settings of a function (Put/Update/Get/Delete/ListFunctionEventInvokeConfigs,
/// REST-JSON 2019-09-25): retries (0–2), maximum event age (60–21600 s) and the destinations of invocation records.
/// $LATEST only (versions and aliases have none of their own here). Rules and sources: docs/localcloud-lambda.md, "Asynchronous
/// invocation settings".
/// </summary>
internal sealed partial class LambdaService
{
    private const string EventInvokeConfigPath = "/2019-09-25/functions/{FunctionName}/event-invoke-config";

    private void AddEventInvokeConfigOperations()
    {
        AddOperation("PutFunctionEventInvokeConfig", true, "PUT", EventInvokeConfigPath, (request, input) => PutEventInvokeConfig(request, input, update: false));
        AddOperation("UpdateFunctionEventInvokeConfig", true, "POST", EventInvokeConfigPath, (request, input) => PutEventInvokeConfig(request, input, update: true));
        AddOperation("GetFunctionEventInvokeConfig", false, "GET", EventInvokeConfigPath, (request, input) => Ok(EventInvokeConfigJson(Configured(request, input))));
        AddOperation("DeleteFunctionEventInvokeConfig", true, "DELETE", EventInvokeConfigPath, DeleteEventInvokeConfig);
        AddOperation("ListFunctionEventInvokeConfigs", false, "GET", EventInvokeConfigPath + "/list", ListEventInvokeConfigs);
    }

    /// <summary>Put replaces the whole configuration (what is left out is Lambda's default again); Update changes only what is given.</summary>
    private RestJsonResult PutEventInvokeConfig(AwsRequest request, RestJsonInput input, bool update)
    {
        var requested = LambdaEventInvokeConfig.Requested.Checked(input.Body ?? default);
        var function = Latest(request, input);
        if (update && function.EventInvokeConfig is null)
        {
            throw LambdaEventInvokeConfig.NotFound(function);
        }

        destinationPermissions.Require(function, requested);
        var now = clock.GetUtcNow();
        var changed = store.Update(request.AccountId, request.Region, function.Arn, current => current with
        {
            EventInvokeConfig = requested.Applied(update ? current.EventInvokeConfig : null, now),
        });
        return Ok(EventInvokeConfigJson(changed));
    }

    private RestJsonResult DeleteEventInvokeConfig(AwsRequest request, RestJsonInput input)
    {
        var function = Configured(request, input);
        store.Update(request.AccountId, request.Region, function.Arn, current => current with { EventInvokeConfig = null });
        return new RestJsonResult(204, null);
    }

    private RestJsonResult ListEventInvokeConfigs(AwsRequest request, RestJsonInput input)
    {
        var function = Latest(request, input);
        var configs = new JsonArray();
        if (function.EventInvokeConfig is not null)
        {
            configs.Add(EventInvokeConfigJson(function));
        }

        return Ok(new JsonObject { ["FunctionEventInvokeConfigs"] = configs });
    }

    /// <summary>The function, which must have a configuration (else AWS's ResourceNotFoundException).</summary>
    private LambdaFunction Configured(AwsRequest request, RestJsonInput input)
    {
        var function = Latest(request, input);
        return function.EventInvokeConfig is null ? throw LambdaEventInvokeConfig.NotFound(function) : function;
    }

    /// <summary>The function named, whose $LATEST alone has settings here: a version or alias qualifier is refused, not applied to $LATEST.</summary>
    private LambdaFunction Latest(AwsRequest request, RestJsonInput input)
    {
        var function = Named(request, input);
        return function.Qualifier is { } qualifier
            ? throw LambdaEventInvokeConfig.QualifierNotLatest(qualifier)
            : function;
    }

    /// <summary>The FunctionEventInvokeConfig shape: the qualified ARN, the time in Unix seconds, both destinations (empty when unset).</summary>
    private static JsonObject EventInvokeConfigJson(LambdaFunction function)
    {
        var config = function.EventInvokeConfig!;
        var output = new JsonObject
        {
            ["LastModified"] = Math.Round(config.LastModified.ToUnixTimeMilliseconds() / 1000.0, 3),
            ["FunctionArn"] = function.Arn + ":$LATEST",
        };
        if (config.MaximumRetryAttempts is { } retries)
        {
            output["MaximumRetryAttempts"] = retries;
        }

        if (config.MaximumEventAgeInSeconds is { } age)
        {
            output["MaximumEventAgeInSeconds"] = age;
        }

        output["DestinationConfig"] = new JsonObject
        {
            ["OnSuccess"] = Destination(config.OnSuccess),
            ["OnFailure"] = Destination(config.OnFailure),
        };
        return output;
    }

    private static JsonObject Destination(string? arn) => arn is null ? new JsonObject() : new JsonObject { ["Destination"] = arn };
}
