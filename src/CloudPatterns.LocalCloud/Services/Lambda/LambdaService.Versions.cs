using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Lambda;

/// <summary>
/// Versions and aliases (docs/localcloud-lambda.md, "Versions and aliases"): PublishVersion, ListVersionsByFunction,
/// CreateAlias, GetAlias, UpdateAlias, DeleteAlias, ListAliases.
/// </summary>
internal sealed partial class LambdaService
{
    private const string AliasPattern = "(?!^[0-9]+$)([a-zA-Z0-9-_]+)";
    private const string VersionPattern = @"(\$LATEST|[0-9]+)";

    private void AddVersionOperations()
    {
        AddOperation("PublishVersion", true, "POST", Function + "/versions", PublishVersion);
        AddOperation("ListVersionsByFunction", false, "GET", Function + "/versions", ListVersions);
        AddOperation("CreateAlias", true, "POST", Function + "/aliases", (request, input) => PutAlias(request, input, create: true));
        AddOperation("ListAliases", false, "GET", Function + "/aliases", ListAliases);
        AddOperation("GetAlias", false, "GET", Function + "/aliases/{Name}", GetAlias);
        AddOperation("UpdateAlias", true, "PUT", Function + "/aliases/{Name}", (request, input) => PutAlias(request, input, create: false));
        AddOperation("DeleteAlias", true, "DELETE", Function + "/aliases/{Name}", DeleteAlias);
    }

    private RestJsonResult PublishVersion(AwsRequest request, RestJsonInput input)
    {
        var body = input.Body ?? default;
        var violations = new List<string>();
        var description = body.GetStringOrNull("Description");
        ModelConstraints.CheckString(violations, "description", description, 0, 256, null, required: false);
        ModelConstraints.ThrowIfAny(violations, "ValidationException");
        var version = store.PublishVersion(request.AccountId, request.Region, input.Path["FunctionName"], description, body.GetStringOrNull("CodeSha256"), body.GetStringOrNull("RevisionId"));
        return new RestJsonResult(201, Configuration(version));
    }

    private RestJsonResult ListVersions(AwsRequest request, RestJsonInput input)
    {
        var function = store.Get(request.AccountId, request.Region, input.Path["FunctionName"]);
        IReadOnlyList<LambdaFunction> versions = [function with { Qualifier = "$LATEST" }, .. function.Versions.Select(version => version with { Qualifier = version.Version })];
        return Paged(input, "ListVersionsByFunction", versions, "Versions", Configuration);
    }

    private RestJsonResult PutAlias(AwsRequest request, RestJsonInput input, bool create)
    {
        var body = input.Body ?? default;
        var violations = new List<string>();
        var name = create ? body.GetStringOrNull("Name") : input.Path["Name"];
        ModelConstraints.CheckString(violations, "name", name, 1, 128, AliasPattern);
        var version = body.GetStringOrNull("FunctionVersion");
        ModelConstraints.CheckString(violations, "functionVersion", version, 1, 1024, VersionPattern, required: create);
        var description = body.GetStringOrNull("Description");
        ModelConstraints.CheckString(violations, "description", description, 0, 256, null, required: false);
        var weights = body.GetObjectOrNull("RoutingConfig")?.GetObjectOrNull("AdditionalVersionWeights");
        ModelConstraints.ThrowIfAny(violations, "ValidationException");
        var alias = store.PutAlias(request.AccountId, request.Region, input.Path["FunctionName"], name!, create, existing =>
        {
            LambdaArns.RequireRevision(body.GetStringOrNull("RevisionId"), existing?.RevisionId ?? "");
            return new LambdaAlias
            {
                Name = name!,
                FunctionVersion = version ?? existing!.FunctionVersion,
                Description = description ?? existing?.Description ?? "",
                AdditionalVersionWeights = weights is { } given ? Weights(given) : existing?.AdditionalVersionWeights ?? new(StringComparer.Ordinal),
                PolicyStatements = existing?.PolicyStatements ?? new(StringComparer.Ordinal),
            };
        });
        return new RestJsonResult(create ? 201 : 200, AliasJson(store.Get(request.AccountId, request.Region, input.Path["FunctionName"]).Arn, alias));
    }

    /// <summary>RoutingConfig.AdditionalVersionWeights: at most one version, its weight from 0.0 to 1.0 (the API's limits).</summary>
    private static Dictionary<string, double> Weights(JsonElement given)
    {
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var pair in given.EnumerateObject())
        {
            if (pair.Value.ValueKind != JsonValueKind.Number || pair.Value.GetDouble() is < 0 or > 1 || !LambdaArns.IsVersionNumber(pair.Name))
            {
                throw LambdaArns.InvalidParameter($"Invalid RoutingConfig AdditionalVersionWeights {pair.Name}: {pair.Value}; a published version number with a weight from 0.0 to 1.0 is expected.");
            }

            weights[pair.Name] = pair.Value.GetDouble();
        }

        return weights.Count <= 1 ? weights : throw LambdaArns.InvalidParameter("Number of items in AdditionalVersionWeights cannot be greater than 1");
    }

    private RestJsonResult GetAlias(AwsRequest request, RestJsonInput input)
    {
        var function = store.Get(request.AccountId, request.Region, input.Path["FunctionName"]);
        var name = input.Path["Name"];
        return Ok(AliasJson(function.Arn, function.Aliases.GetValueOrDefault(name) ?? throw LambdaArns.AliasNotFound($"{function.Arn}:{name}")));
    }

    private RestJsonResult DeleteAlias(AwsRequest request, RestJsonInput input)
    {
        store.DeleteAlias(request.AccountId, request.Region, input.Path["FunctionName"], input.Path["Name"]);
        return new RestJsonResult(204, null);
    }

    private RestJsonResult ListAliases(AwsRequest request, RestJsonInput input)
    {
        var function = store.Get(request.AccountId, request.Region, input.Path["FunctionName"]);
        var version = input.Query["FunctionVersion"].FirstOrDefault();
        IReadOnlyList<LambdaAlias> aliases = [.. function.Aliases.Values.Where(alias => version is null || alias.FunctionVersion == version).OrderBy(alias => alias.Name, StringComparer.Ordinal)];
        return Paged(input, "ListAliases", aliases, "Aliases", alias => AliasJson(function.Arn, alias));
    }

    /// <summary>One page of a list (Marker, MaxItems 1 to 10000, 50 by default) with NextMarker when more follow.</summary>
    private static RestJsonResult Paged<T>(RestJsonInput input, string operation, IReadOnlyList<T> items, string member, Func<T, JsonObject> shape)
    {
        var violations = new List<string>();
        var maxItems = ModelConstraints.CheckInteger(violations, "maxItems", input.Query["MaxItems"].FirstOrDefault(), 1, 10_000) ?? 50;
        ModelConstraints.ThrowIfAny(violations, "ValidationException");
        var (page, next) = PageTokens.Page(items, operation, input.Query["Marker"].FirstOrDefault(), maxItems, () => LambdaArns.InvalidParameter("Invalid marker."));
        var output = new JsonObject { [member] = new JsonArray([.. page.Select(shape)]) };
        if (next is not null)
        {
            output["NextMarker"] = next;
        }

        return Ok(output);
    }

    /// <summary>The AliasConfiguration shape.</summary>
    private static JsonObject AliasJson(string functionArn, LambdaAlias alias)
    {
        var output = new JsonObject
        {
            ["AliasArn"] = $"{functionArn}:{alias.Name}",
            ["Name"] = alias.Name,
            ["FunctionVersion"] = alias.FunctionVersion,
            ["Description"] = alias.Description,
            ["RevisionId"] = alias.RevisionId,
        };
        if (alias.AdditionalVersionWeights.Count > 0)
        {
            output["RoutingConfig"] = new JsonObject
            {
                ["AdditionalVersionWeights"] = new JsonObject([.. alias.AdditionalVersionWeights.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value))]),
            };
        }

        return output;
    }
}
