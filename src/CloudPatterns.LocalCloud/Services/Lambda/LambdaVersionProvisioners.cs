using System.Text.Json;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.CloudFormation;

namespace CloudPatterns.LocalCloud.Services.Lambda;

/// <summary>
/// AWS::Lambda::Version: PublishVersion of the function (Ref and GetAtt FunctionArn the version's ARN, GetAtt Version its
/// number). Every property but the provisioned concurrency needs replacement, so an update keeps the version.
/// </summary>
internal sealed class LambdaVersionProvisioner(LambdaStore store, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var version = store.PublishVersion(request.Stack.AccountId, request.Stack.Region, properties.GetStringOrNull("FunctionName") ?? "",
            properties.GetStringOrNull("Description"), properties.GetStringOrNull("CodeSha256"), revisionId: null);
        return Provisioned(version.QualifiedArn, ("FunctionArn", version.QualifiedArn), ("Version", version.Version));
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current) => current;

    protected override void Delete(ResourceRequest request, ProvisionedResource current)
    {
        if (Exists(request, current))
        {
            store.DeleteVersion(request.Stack.AccountId, request.Stack.Region, current.PhysicalId, current.PhysicalId[(current.PhysicalId.LastIndexOf(':') + 1)..]);
        }
    }

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) => store.FindByArn(current.PhysicalId) is not null;
}

/// <summary>
/// AWS::Lambda::Alias: CreateAlias, UpdateAlias for FunctionVersion, Description and RoutingConfig (its
/// AdditionalVersionWeights a list of FunctionVersion/FunctionWeight), DeleteAlias. Ref and GetAtt AliasArn are the
/// alias's ARN.
/// </summary>
internal sealed class LambdaAliasProvisioner(LambdaStore store, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties) => Put(request, properties, create: true);

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current) => Put(request, properties, create: false);

    protected override void Delete(ResourceRequest request, ProvisionedResource current)
    {
        if (Exists(request, current))
        {
            var separator = current.PhysicalId.LastIndexOf(':');
            store.DeleteAlias(request.Stack.AccountId, request.Stack.Region, current.PhysicalId[..separator], current.PhysicalId[(separator + 1)..]);
        }
    }

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) => store.FindByArn(current.PhysicalId) is not null;

    private ProvisionedResource Put(ResourceRequest request, JsonElement properties, bool create)
    {
        var name = properties.GetStringOrNull("Name") ?? "";
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        if (properties.GetObjectOrNull("RoutingConfig")?.GetProperty("AdditionalVersionWeights") is { ValueKind: JsonValueKind.Array } given)
        {
            foreach (var weight in given.EnumerateArray())
            {
                weights[weight.GetStringOrNull("FunctionVersion") ?? ""] = Number(weight, "FunctionWeight") ?? 0;
            }
        }

        var function = store.Get(request.Stack.AccountId, request.Stack.Region, properties.GetStringOrNull("FunctionName") ?? "");
        store.PutAlias(function.AccountId, function.Region, function.Arn, name, create, existing => new LambdaAlias
        {
            Name = name,
            FunctionVersion = properties.GetStringOrNull("FunctionVersion") ?? "",
            Description = properties.GetStringOrNull("Description") ?? "",
            AdditionalVersionWeights = weights,
            PolicyStatements = existing?.PolicyStatements ?? new(StringComparer.Ordinal),
        });
        var arn = $"{function.Arn}:{name}";
        return Provisioned(arn, ("AliasArn", arn));
    }
}

/// <summary>
/// AWS::Lambda::Url: a function URL for $LATEST or an alias (TargetFunctionArn, optionally qualified, or Qualifier);
/// GetAtt FunctionUrl is https://&lt;url-id&gt;.lambda-url.&lt;region&gt;.on.aws/ and FunctionArn the target's ARN (also
/// Ref). A version number is refused: URLs serve $LATEST or an alias
/// (https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html). LocalCloud records the URL; no such host answers.
/// </summary>
internal sealed class LambdaUrlProvisioner(LambdaStore store, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var target = Target(request, properties);
        var url = store.PutUrl(target, Settings(properties), create: true);
        return Provisioned(target.QualifiedArn, ("FunctionArn", target.QualifiedArn), ("FunctionUrl", url.Url(target.Region)));
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        store.PutUrl(Target(request, properties), Settings(properties), create: false);
        return current;
    }

    protected override void Delete(ResourceRequest request, ProvisionedResource current)
    {
        if (store.FindByArn(current.PhysicalId) is { } target)
        {
            store.DeleteUrl(target);
        }
    }

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) =>
        store.FindByArn(current.PhysicalId) is { } target && store.FindUrl(target) is not null;

    private LambdaFunction Target(ResourceRequest request, JsonElement properties) =>
        store.UrlTarget(request.Stack.AccountId, request.Stack.Region, properties.GetStringOrNull("TargetFunctionArn") ?? "", properties.GetStringOrNull("Qualifier"));

    private LambdaFunctionUrl Settings(JsonElement properties) =>
        LambdaFunctionUrl.Checked(properties.GetStringOrNull("AuthType"), properties.GetStringOrNull("InvokeMode"), properties.GetObjectOrNull("Cors")?.GetRawText(), Now);
}
