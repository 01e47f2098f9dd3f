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
        return
        [
            Element("TemplateBody", template?.Body ?? ""),
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
            Element("DeclaredTransforms", null),
        ];
    }

    private Template TemplateFrom(AwsRequest request, QueryParameters parameters) =>
        TemplateBody(request, parameters) is null && parameters.Get("StackName") is { } stackName
            ? engine.GetStack(request.AccountId, request.Region, stackName).Template
                ?? throw new AwsServiceException(400, "ValidationError", $"Stack {stackName} has no template yet")
            : engine.ValidateTemplate(TemplateBody(request, parameters));

    /// <summary>TemplateBody, or the object TemplateURL names in LocalCloud's S3, read with the caller's access.</summary>
    private string? TemplateBody(AwsRequest request, QueryParameters parameters)
    {
        var body = parameters.Get("TemplateBody");
        if (parameters.Get("TemplateURL") is not { } url)
        {
            return body;
        }

        return body is null
            ? templates.Read(request.AccountId, url, request.Http.Request.Host.Value)
            : throw new AwsServiceException(400, "ValidationError", "You must specify either TemplateBody or TemplateURL, but not both.");
    }
}
