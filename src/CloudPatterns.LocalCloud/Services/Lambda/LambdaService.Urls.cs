using System.Globalization;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Lambda;

/// <summary>
/// Function URL configurations (docs/localcloud-lambda.md, "Versions and aliases"): CreateFunctionUrlConfig,
/// GetFunctionUrlConfig, UpdateFunctionUrlConfig, DeleteFunctionUrlConfig, ListFunctionUrlConfigs, for $LATEST or an
/// alias (the Qualifier parameter). Recorded: LocalCloud serves no lambda-url host.
/// </summary>
internal sealed partial class LambdaService
{
    private const string UrlConfig = "/2021-10-31/functions/{FunctionName}/url";

    private void AddUrlOperations()
    {
        AddOperation("CreateFunctionUrlConfig", true, "POST", UrlConfig, (request, input) => PutUrl(request, input, create: true));
        AddOperation("GetFunctionUrlConfig", false, "GET", UrlConfig, GetUrl);
        AddOperation("UpdateFunctionUrlConfig", true, "PUT", UrlConfig, (request, input) => PutUrl(request, input, create: false));
        AddOperation("DeleteFunctionUrlConfig", true, "DELETE", UrlConfig, DeleteUrl);
        AddOperation("ListFunctionUrlConfigs", false, "GET", UrlConfig + "s", ListUrls);
    }

    private LambdaFunction UrlTarget(AwsRequest request, RestJsonInput input) =>
        store.UrlTarget(request.AccountId, request.Region, input.Path["FunctionName"], input.Query["Qualifier"].FirstOrDefault());

    private RestJsonResult PutUrl(AwsRequest request, RestJsonInput input, bool create)
    {
        var target = UrlTarget(request, input);
        var body = input.Body ?? default;
        var current = create ? null : store.FindUrl(target);
        var url = LambdaFunctionUrl.Checked(body.GetStringOrNull("AuthType") ?? current?.AuthType, body.GetStringOrNull("InvokeMode") ?? current?.InvokeMode,
            body.GetObjectOrNull("Cors")?.GetRawText() ?? current?.Cors, clock.GetUtcNow());
        var stored = store.PutUrl(target, url, create);
        return new RestJsonResult(create ? 201 : 200, UrlJson(target, stored));
    }

    private RestJsonResult GetUrl(AwsRequest request, RestJsonInput input)
    {
        var target = UrlTarget(request, input);
        return Ok(UrlJson(target, store.FindUrl(target) ?? throw LambdaArns.Error(404, "ResourceNotFoundException", "The resource you requested does not exist.")));
    }

    private RestJsonResult DeleteUrl(AwsRequest request, RestJsonInput input)
    {
        var target = UrlTarget(request, input);
        _ = store.FindUrl(target) ?? throw LambdaArns.Error(404, "ResourceNotFoundException", "The resource you requested does not exist.");
        store.DeleteUrl(target);
        return new RestJsonResult(204, null);
    }

    private RestJsonResult ListUrls(AwsRequest request, RestJsonInput input)
    {
        var function = store.Get(request.AccountId, request.Region, input.Path["FunctionName"]);
        IReadOnlyList<JsonObject> urls = [.. function.Urls.OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => UrlJson(function with { Qualifier = pair.Key.Length == 0 ? null : pair.Key }, pair.Value))];
        return Paged(input, "ListFunctionUrlConfigs", urls, "FunctionUrlConfigs", url => url);
    }

    /// <summary>The FunctionUrlConfig shape (times in ISO 8601, as Lambda gives them).</summary>
    private static JsonObject UrlJson(LambdaFunction target, LambdaFunctionUrl url)
    {
        var output = new JsonObject
        {
            ["FunctionUrl"] = url.Url(target.Region),
            ["FunctionArn"] = target.QualifiedArn,
            ["AuthType"] = url.AuthType,
            ["CreationTime"] = url.Created.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            ["LastModifiedTime"] = url.Modified.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            ["InvokeMode"] = url.InvokeMode,
        };
        if (url.Cors is { } cors)
        {
            output["Cors"] = JsonNode.Parse(cors);
        }

        return output;
    }
}
