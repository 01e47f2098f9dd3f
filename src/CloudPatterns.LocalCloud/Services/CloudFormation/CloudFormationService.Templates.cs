using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;
using CloudPatterns.LocalCloud.CloudFormation.Templates;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.S3;

namespace CloudPatterns.LocalCloud.Services.CloudFormation;

internal sealed partial class CloudFormationService
{
    // ---------------------------------------------------------------- templates

    private IEnumerable<XElement?> GetTemplate(AwsRequest request, QueryParameters parameters)
    {
        var changeSetName = parameters.Get("ChangeSetName");
        var stackName = parameters.Get("StackName");
        var template = changeSetName is not null
            ? engine.GetChangeSet(request.AccountId, request.Region, changeSetName, stackName).Template
            : engine.GetStack(request.AccountId, request.Region, stackName
                ?? throw new AwsServiceException(400, "ValidationError", "Either StackName or ChangeSetName must be specified.")).Template;
        var processed = parameters.Get("TemplateStage") switch
        {
            null or "Original" => false,
            "Processed" => true,
            var stage => throw new AwsServiceException(400, "ValidationError",
                $"1 validation error detected: Value '{stage}' at 'templateStage' failed to satisfy constraint: Member must satisfy enum value set: [Original, Processed]"),
        };
        return
        [
            Element("TemplateBody", (processed ? template?.ProcessedBody : template?.Body) ?? ""),
            Element("StagesAvailable", new[] { Element("member", "Original"), Element("member", "Processed") }),
        ];
    }

    private IEnumerable<XElement?> ValidateTemplate(AwsRequest request, QueryParameters parameters)
    {
        var template = TemplateFrom(request, parameters);
        return
        [
            Element("Parameters", template.Parameters.Values.Select(parameter => Member(
                Element("ParameterKey", parameter.Name),
                Optional("DefaultValue", parameter.Default),
                Element("NoEcho", Bool(parameter.NoEcho)),
                Optional("Description", parameter.Description)))),
            .. CommonSummary(template),
        ];
    }

    private IEnumerable<XElement?> GetTemplateSummary(AwsRequest request, QueryParameters parameters)
    {
        var template = TemplateFrom(request, parameters);
        return
        [
            Element("Parameters", template.Parameters.Values.Select(parameter => Member(
                Element("ParameterKey", parameter.Name),
                Optional("DefaultValue", parameter.Default),
                Element("ParameterType", parameter.Type),
                Element("NoEcho", Bool(parameter.NoEcho)),
                Optional("Description", parameter.Description),
                Element("ParameterConstraints", Element("AllowedValues", parameter.AllowedValues.Select(value => Element("member", value))))))),
            .. CommonSummary(template),
            Element("ResourceTypes", template.Resources.Values.Select(resource => resource.Type).Distinct().Select(type => Element("member", type))),
            Element("Version", "2010-09-09"),
            Optional("Metadata", template.Root["Metadata"]?.ToJsonString()),
        ];
    }

    private IEnumerable<XElement?> CommonSummary(Template template)
    {
        var capabilities = template.RequiredCapabilities();
        return
        [
            Optional("Description", template.Description),
            Element("Capabilities", capabilities.Select(capability => Element("member", capability))),
            capabilities.Count > 0 ? Element("CapabilitiesReason", CloudFormationEngine.CapabilitiesReason(template)) : null,
            Element("DeclaredTransforms", template.DeclaredTransforms.Select(name => Element("member", name))),
        ];
    }

    private Template TemplateFrom(AwsRequest request, QueryParameters parameters) =>
        TemplateBody(request, parameters) is null && parameters.Get("StackName") is { } stackName
            ? engine.GetStack(request.AccountId, request.Region, stackName).Template
                ?? throw new AwsServiceException(400, "ValidationError", $"Stack {stackName} has no template yet")
            : engine.ValidateTemplate(TemplateBody(request, parameters), request.AccountId, request.Region);

    /// <summary>
    /// TemplateBody, or the object TemplateURL names in LocalCloud's S3, read with the caller's access as
    /// CloudFormation reads it: https://BUCKET.s3[.REGION].amazonaws.com/KEY, https://s3[.REGION].amazonaws.com/BUCKET/KEY,
    /// or LocalCloud's own endpoint (path-style, http://127.0.0.1:PORT/BUCKET/KEY).
    /// </summary>
    private string? TemplateBody(AwsRequest request, QueryParameters parameters)
    {
        var body = parameters.Get("TemplateBody");
        if (parameters.Get("TemplateURL") is not { } url)
        {
            return body;
        }

        if (body is not null)
        {
            throw new AwsServiceException(400, "ValidationError", "You must specify either TemplateBody or TemplateURL, but not both.");
        }

        var (bucket, key) = S3Location(request, url) ?? throw new AwsServiceException(400, "ValidationError", "TemplateURL must be an Amazon S3 URL.");
        try
        {
            var version = s3.GetVersion(request.AccountId, bucket, key, versionId: null);
            return version.IsDeleteMarker ? throw S3Errors.NoSuchKey(key) : Encoding.UTF8.GetString(version.Data);
        }
        catch (AwsServiceException error)
        {
            throw new AwsServiceException(400, "ValidationError", error.Code == "AccessDenied"
                ? "S3 error: Access Denied\nFor more information check http://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html"
                : $"S3 error: {error.Message}");
        }
    }

    private static (string Bucket, string Key)? S3Location(AwsRequest request, string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return null;
        }

        var path = uri.AbsolutePath.TrimStart('/');
        if (VirtualHostedS3Host().Match(uri.Host) is { Success: true } virtualHosted)
        {
            return path.Length > 0 ? (virtualHosted.Groups["bucket"].Value, Uri.UnescapeDataString(path)) : null;
        }

        var pathStyle = PathStyleS3Host().IsMatch(uri.Host)
            || uri.IsLoopback
            || string.Equals(uri.Authority, request.Http.Request.Host.Value, StringComparison.OrdinalIgnoreCase);
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return pathStyle && slash > 0 && slash < path.Length - 1
            ? (Uri.UnescapeDataString(path[..slash]), Uri.UnescapeDataString(path[(slash + 1)..]))
            : null;
    }

    [GeneratedRegex(@"^(?<bucket>[a-z0-9][a-z0-9.-]*)\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com$")]
    private static partial Regex VirtualHostedS3Host();

    [GeneratedRegex(@"^s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com$")]
    private static partial Regex PathStyleS3Host();
}
