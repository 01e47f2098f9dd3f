using System.Collections.Concurrent;
using System.Xml.Linq;
using CloudPatterns.LocalCloud.CloudFormation;
using CloudPatterns.LocalCloud.CloudFormation.Templates;
using CloudPatterns.LocalCloud.CloudFormation.Templates.Modules;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.CloudFormation;

/// <summary>
/// The CloudFormation registry for modules (docs/localcloud-cloudformation-modules.md): RegisterType with Type MODULE
/// and the package <c>cfn submit</c> uploads (an S3 object), DescribeTypeRegistration, DescribeType and
/// DeregisterType. Resource types and hooks run handler code that LocalCloud does not host: refused as a LocalCloud
/// limit.
/// </summary>
internal sealed partial class CloudFormationService
{
    private sealed record Registration(string Status, string Description, string? TypeArn, string? TypeVersionArn);

    private readonly ConcurrentDictionary<(string Account, string Token), Registration> registrations = new();

    private void AddRegistryOperations()
    {
        Add("RegisterType", mutating: true, RegisterType);
        Add("DescribeTypeRegistration", mutating: false, DescribeTypeRegistration);
        Add("DescribeType", mutating: false, DescribeType);
        Add("DeregisterType", mutating: true, DeregisterType);
    }

    private IEnumerable<XElement?> RegisterType(AwsRequest request, QueryParameters parameters)
    {
        var typeName = Required(parameters, "TypeName");
        var packageUrl = Required(parameters, "SchemaHandlerPackage");
        RequireModuleType(parameters.Get("Type") ?? "RESOURCE");
        if (!ModuleRegistry.IsValidTypeName(typeName))
        {
            throw AwsServiceException.Validation("ValidationError", [$"Value '{typeName}' at 'typeName' failed to satisfy constraint: Member must satisfy regular expression pattern: {ModuleRegistry.TypeNamePattern} (a module's name: Organization::Service::Name::MODULE)"]);
        }
        var location = S3ObjectUrl.Parse(packageUrl, allowS3Scheme: true)
            ?? throw new AwsServiceException(400, "CFNRegistryException", $"SchemaHandlerPackage '{packageUrl}' is not an S3 URL (s3://BUCKET/KEY).");
        var package = templates.ReadBytes(request.AccountId, location);
        var token = Guid.NewGuid().ToString();
        Registration registration;
        try
        {
            var version = engine.RegisterModule(request.AccountId, request.Region, typeName, package);
            registration = new Registration("COMPLETE", "Deployment is currently in DEPLOY_STAGE of status COMPLETED; ", version.TypeArn, version.Arn);
        }
        catch (CloudFormationException error)
        {
            // The registration runs after the call returns: a package it cannot use fails the registration.
            registration = new Registration("FAILED", error.Message, null, null);
        }
        registrations[(request.AccountId, token)] = registration;
        return [Element("RegistrationToken", token)];
    }

    private IEnumerable<XElement?> DescribeTypeRegistration(AwsRequest request, QueryParameters parameters)
    {
        var token = Required(parameters, "RegistrationToken");
        var registration = registrations.GetValueOrDefault((request.AccountId, token))
            ?? throw new AwsServiceException(400, "CFNRegistryException", $"Registration token {token} not found.");
        return
        [
            Element("ProgressStatus", registration.Status),
            Element("Description", registration.Description),
            registration.TypeArn is null ? null : Element("TypeArn", registration.TypeArn),
            registration.TypeVersionArn is null ? null : Element("TypeVersionArn", registration.TypeVersionArn),
        ];
    }

    private IEnumerable<XElement?> DescribeType(AwsRequest request, QueryParameters parameters)
    {
        var (typeName, versionId) = TypeOf(request, parameters);
        var version = engine.Modules.Find(request.AccountId, request.Region, typeName, versionId) ?? throw TypeNotFound(typeName);
        var isDefault = engine.Modules.Find(request.AccountId, request.Region, typeName)?.VersionId == version.VersionId;
        return
        [
            Element("Arn", versionId is null ? version.TypeArn : version.Arn),
            Element("Type", "MODULE"),
            Element("TypeName", version.TypeName),
            Element("DefaultVersionId", engine.Modules.Find(request.AccountId, request.Region, typeName)?.VersionId),
            Element("IsDefaultVersion", isDefault ? "true" : "false"),
            Element("Description", $"Schema for Module Fragment of type {version.TypeName}"),
            Element("Schema", version.Schema),
            Element("DeprecatedStatus", "LIVE"),
            Element("Visibility", "PRIVATE"),
            Element("LastUpdated", Timestamp(version.Registered)),
            Element("TimeCreated", Timestamp(version.Registered)),
        ];
    }

    private IEnumerable<XElement?> DeregisterType(AwsRequest request, QueryParameters parameters)
    {
        var (typeName, versionId) = TypeOf(request, parameters);
        return engine.Modules.Deregister(request.AccountId, request.Region, typeName, versionId) ? [] : throw TypeNotFound(typeName);
    }

    /// <summary>The module named by Arn (a type or type-version ARN), or by Type and TypeName with an optional VersionId.</summary>
    private static (string TypeName, string? VersionId) TypeOf(AwsRequest request, QueryParameters parameters)
    {
        if (parameters.Get("Arn") is { } arn)
        {
            var prefix = $"arn:aws:cloudformation:{request.Region}:{request.AccountId}:type/module/";
            var parts = arn.StartsWith(prefix, StringComparison.Ordinal) ? arn[prefix.Length..].Split('/') : [];
            return parts.Length is 1 or 2 && parts[0].Length > 0
                ? (parts[0].Replace("-", "::", StringComparison.Ordinal), parts.Length == 2 ? parts[1] : null)
                : throw TypeNotFound(arn);
        }
        RequireModuleType(parameters.Get("Type") ?? throw new AwsServiceException(400, "CFNRegistryException", "Either Arn, or Type and TypeName, must be given."));
        return (Required(parameters, "TypeName"), parameters.Get("VersionId"));
    }

    private static void RequireModuleType(string type)
    {
        if (type != "MODULE")
        {
            throw new AwsServiceException(400, "CFNRegistryException",
                $"LocalCloud's registry holds modules only (Type MODULE); Type {type} runs handler code LocalCloud does not host.");
        }
    }

    private static AwsServiceException TypeNotFound(string name) =>
        new(404, "TypeNotFoundException", $"The type '{name}' cannot be found.");
}
