using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Templates;
using CloudPatterns.LocalCloud.CloudFormation.Templates.Modules;
using CloudPatterns.LocalCloud.CloudFormation.Templates.Transforms;

namespace CloudPatterns.LocalCloud.CloudFormation.Stacks;

/// <summary>Values CloudFormation reads from other services: Parameter Store and Secrets Manager.</summary>
public sealed partial class CloudFormationEngine
{
    /// <summary>The Serverless Application Repository's public applications that AWS::Serverless::Application deploys.</summary>
    public ServerlessApplicationCatalogue ServerlessApplications { get; } = new();

    /// <summary>The modules registered in each account and region (RegisterType with Type MODULE).</summary>
    public ModuleRegistry Modules { get; } = new();

    /// <summary>Registers a new version of a module from its package (RegisterType), at the engine's clock.</summary>
    public ModuleVersion RegisterModule(string accountId, string region, string typeName, byte[] package) =>
        Modules.Register(accountId, region, typeName, package, _clock.GetUtcNow());

    /// <summary>Parameter Store for SSM parameter types and dynamic references; none means every lookup fails.</summary>
    public IParameterStore? ParameterStore { get; set; }

    /// <summary>Secrets Manager for secretsmanager dynamic references; none means every lookup fails.</summary>
    public ISecretStore? SecretStore { get; set; }

    /// <summary>An S3 object's text (account, bucket, key), null when absent: AWS::Include reads its snippets here.</summary>
    public Func<string, string, string, string?>? ObjectReader { get; set; }

    /// <summary>The path of an AWS-managed policy by name (IAM's catalogue), for SAM's Policies; null when unknown.</summary>
    public Func<string, string?>? ManagedPolicyPath { get; set; }

    private Func<string, ParameterStoreValue?> ParameterLookup(StackIdentity stack) =>
        reference => ParameterStore?.Find(stack.AccountId, stack.Region, reference);

    /// <summary>
    /// The request a provisioner gets: dynamic references replaced by their values, read now (at create or update,
    /// as CloudFormation does). Recorded-only resources keep secure references literal, since their properties are
    /// what the API shows.
    /// </summary>
    private ResourceRequest WithDynamicValues(ResourceRequest request)
    {
        if (!DynamicReferences.HasReferences(request.Properties))
        {
            return request;
        }
        var stack = request.Stack;
        var properties = DynamicReferences.Substitute(
            request.Properties,
            secureToo: Provisioners.For(request.ResourceType) != Provisioners.Generic,
            ParameterLookup(stack),
            (secretId, stage, versionId) => SecretStore?.SecretString(stack.AccountId, stack.Region, secretId, stage, versionId));
        return request with { Properties = properties };
    }

    /// <summary>What the transforms of a template read: parameter values (supplied, else defaults), S3 and macros.</summary>
    private TransformContext TransformContextFor(StackIdentity identity, JsonObject root, IReadOnlyDictionary<string, string> supplied)
    {
        var definitions = ParameterParser.Parse(root["Parameters"]);
        var values = ParameterParser.ResolveValues(
            definitions.Where(pair => supplied.ContainsKey(pair.Key) || pair.Value.Default is not null).ToDictionary(),
            supplied.Where(pair => definitions.ContainsKey(pair.Key)).ToDictionary(),
            AvailabilityZones(identity.Region),
            ParameterLookup(identity));
        return new TransformContext(identity, values, AvailabilityZones,
            (bucket, key) => ObjectReader?.Invoke(identity.AccountId, bucket, key),
            name => MacroFunction(identity, name) is not null)
        {
            RunMacro = (name, macroEvent) => RunMacro(identity, name, macroEvent),
            ServerlessApplicationUrl = ServerlessApplications.TemplateUrl,
            ModuleFragment = typeName => Modules.Find(identity.AccountId, identity.Region, typeName)?.Fragment,
            ManagedPolicyPath = ManagedPolicyPath,
        };
    }
}
