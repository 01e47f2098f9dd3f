using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.CloudFormation;

namespace CloudPatterns.LocalCloud.Services.Fis;

/// <summary>
/// AWS Fault Injection Service (REST-JSON, 2020-12-01, signing name fis): experiment templates and experiments run on
/// the sandbox clock with the actions of docs/localcloud-fis.md.
/// </summary>
internal sealed class FisService : RestJsonService
{
    private readonly FisStore store;

    public FisService(FisStore store)
        : base("fis", "ThrottlingException")
    {
        this.store = store;
        AddOperation("CreateExperimentTemplate", mutating: true, "POST", "/experimentTemplates", CreateExperimentTemplate);
        AddOperation("GetExperimentTemplate", mutating: false, "GET", "/experimentTemplates/{id}", (request, input) =>
            Template(store.GetTemplate(request.AccountId, request.Region, input.Path["id"])));
        AddOperation("ListExperimentTemplates", mutating: false, "GET", "/experimentTemplates", (request, input) =>
            Paged(input, "ListExperimentTemplates", "experimentTemplates", store.ListTemplates(request.AccountId, request.Region).Select(template => (JsonNode)template.ToSummary()).ToList()));
        AddOperation("DeleteExperimentTemplate", mutating: true, "DELETE", "/experimentTemplates/{id}", (request, input) =>
            Template(store.DeleteTemplate(request.AccountId, request.Region, input.Path["id"])));
        AddOperation("StartExperiment", mutating: true, "POST", "/experiments", StartExperiment);
        AddOperation("GetExperiment", mutating: false, "GET", "/experiments/{id}", (request, input) =>
            Experiment(store.Get(request.AccountId, request.Region, input.Path["id"])));
        AddOperation("ListExperiments", mutating: false, "GET", "/experiments", (request, input) =>
            Paged(input, "ListExperiments", "experiments", store.List(request.AccountId, request.Region).Select(experiment => (JsonNode)experiment.ToSummary()).ToList()));
        AddOperation("StopExperiment", mutating: true, "DELETE", "/experiments/{id}", (request, input) =>
            Experiment(store.Stop(request.AccountId, request.Region, input.Path["id"])));
    }

    /// <summary>For authorization: the template named by StartExperiment's body.</summary>
    protected override string? RequestParameter(RestJsonInput input, string name) => name == "experimentTemplateId"
        ? input.Body?.GetStringOrNull("experimentTemplateId")
        : base.RequestParameter(input, name);

    private RestJsonResult CreateExperimentTemplate(AwsRequest request, RestJsonInput input)
    {
        var body = input.Body ?? default;
        RequireMembers(body, "clientToken", "description", "stopConditions", "actions", "roleArn");
        return Template(store.CreateTemplate(request.AccountId, request.Region, body, body.GetStringOrNull("clientToken")));
    }

    private RestJsonResult StartExperiment(AwsRequest request, RestJsonInput input)
    {
        var body = input.Body ?? default;
        RequireMembers(body, "clientToken", "experimentTemplateId");
        return Experiment(store.Start(request.AccountId, request.Region, body.GetStringOrNull("experimentTemplateId")!, body.GetStringMapOrEmpty("tags"), body.GetStringOrNull("clientToken")));
    }

    private static void RequireMembers(JsonElement body, params string[] names)
    {
        var missing = names.Where(name => body.ValueKind != JsonValueKind.Object || !body.TryGetProperty(name, out _)).ToList();
        if (missing.Count > 0)
        {
            throw AwsServiceException.Validation("ValidationException", [.. missing.Select(name => $"Value null at '{name}' failed to satisfy constraint: Member must not be null")]);
        }
    }

    private static RestJsonResult Template(ExperimentTemplate template) => new(200, new JsonObject { ["experimentTemplate"] = template.ToJson() });

    private static RestJsonResult Experiment(Experiment experiment) => new(200, new JsonObject { ["experiment"] = experiment.ToJson() });

    private static RestJsonResult Paged(RestJsonInput input, string operation, string member, IReadOnlyList<JsonNode> items)
    {
        var violations = new List<string>();
        var limit = ModelConstraints.CheckInteger(violations, "maxResults", input.Query.TryGetValue("maxResults", out var max) ? max.ToString() : null, 1, 100);
        ModelConstraints.ThrowIfAny(violations, "ValidationException");
        var (page, next) = PageTokens.Page(items, operation, input.Query.TryGetValue("nextToken", out var token) ? token.ToString() : null, limit ?? 100,
            () => FisStore.Validation("The nextToken is not valid."));
        var output = new JsonObject { [member] = new JsonArray([.. page]) };
        if (next is not null)
        {
            output["nextToken"] = next;
        }

        return new RestJsonResult(200, output);
    }
}

/// <summary>AWS::FIS::ExperimentTemplate through CreateExperimentTemplate's own checks: Ref is the template id (GetAtt Id too).</summary>
internal sealed class ExperimentTemplateProvisioner(FisStore store, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var template = store.CreateTemplate(request.Stack.AccountId, request.Stack.Region, properties, clientToken: null);
        return Provisioned(template.Id, ("Id", template.Id));
    }

    /// <summary>An update replaces the template's content under the same id (UpdateExperimentTemplate keeps the id).</summary>
    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        var replacement = store.CreateTemplate(request.Stack.AccountId, request.Stack.Region, properties, clientToken: null);
        store.DeleteTemplate(request.Stack.AccountId, request.Stack.Region, replacement.Id);
        store.Replace(replacement with { Id = current.PhysicalId });
        return current;
    }

    protected override void Delete(ResourceRequest request, ProvisionedResource current)
    {
        if (Exists(request, current))
        {
            store.DeleteTemplate(request.Stack.AccountId, request.Stack.Region, current.PhysicalId);
        }
    }

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) =>
        store.ListTemplates(request.Stack.AccountId, request.Stack.Region).Any(template => template.Id == current.PhysicalId);
}
