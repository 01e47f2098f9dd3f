using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Ram;

/// <summary>
/// AWS Resource Access Manager (REST-JSON, signing name ram, 2018-01-04): resource shares of transit gateways with
/// accounts, the organization or its OUs, invitations, and organization sharing. Facts and limits: docs/localcloud-ram.md.
/// </summary>
internal sealed class RamService : RestJsonService
{
    private readonly RamStore store;

    public RamService(RamStore store)
        : base("ram", "ThrottlingException")
    {
        this.store = store;
        AddOperation("CreateResourceShare", mutating: true, "POST", "/createresourceshare", CreateResourceShare);
        AddOperation("AssociateResourceShare", mutating: true, "POST", "/associateresourceshare", (request, input) => Associations(input,
            store.Associate(request.AccountId, request.Region, Required(input, "resourceShareArn"), Strings(input, "resourceArns"), Strings(input, "principals")), associated: true));
        AddOperation("DisassociateResourceShare", mutating: true, "POST", "/disassociateresourceshare", (request, input) => Associations(input,
            store.Disassociate(request.AccountId, request.Region, Required(input, "resourceShareArn"), Strings(input, "resourceArns"), Strings(input, "principals")), associated: false));
        AddOperation("DeleteResourceShare", mutating: true, "DELETE", "/deleteresourceshare", DeleteResourceShare);
        AddOperation("GetResourceShares", mutating: false, "POST", "/getresourceshares", GetResourceShares);
        AddOperation("GetResourceShareAssociations", mutating: false, "POST", "/getresourceshareassociations", GetResourceShareAssociations);
        AddOperation("GetResourceShareInvitations", mutating: false, "POST", "/getresourceshareinvitations", GetResourceShareInvitations);
        AddOperation("AcceptResourceShareInvitation", mutating: true, "POST", "/acceptresourceshareinvitation", (request, input) => Answer(request, input, accept: true));
        AddOperation("RejectResourceShareInvitation", mutating: true, "POST", "/rejectresourceshareinvitation", (request, input) => Answer(request, input, accept: false));
        AddOperation("EnableSharingWithAwsOrganization", mutating: true, "POST", "/enablesharingwithawsorganization", (request, _) =>
        {
            store.EnableOrganizationSharing(request.AccountId);
            return new RestJsonResult(200, new JsonObject { ["returnValue"] = true });
        });
        AddOperation("ListResources", mutating: false, "POST", "/listresources", ListResources);
    }

    private RestJsonResult CreateResourceShare(AwsRequest request, RestJsonInput input)
    {
        var body = input.Body ?? default;
        var name = body.GetStringOrNull("name");
        if (string.IsNullOrEmpty(name))
        {
            throw new AwsServiceException(400, "MissingRequiredParameterException", "The request must contain the parameter name.");
        }

        var tags = body.GetArrayOrEmpty("tags").ToDictionary(tag => tag.GetStringOrNull("key") ?? "", tag => tag.GetStringOrNull("value") ?? "", StringComparer.Ordinal);
        var share = store.Create(request.AccountId, request.Region, name, body.GetBooleanOrNull("allowExternalPrincipals") ?? true,
            Strings(input, "resourceArns"), Strings(input, "principals"), tags);
        return Ok(input, new JsonObject { ["resourceShare"] = Share(share) });
    }

    private RestJsonResult DeleteResourceShare(AwsRequest request, RestJsonInput input)
    {
        store.Delete(request.AccountId, request.Region, Query(input, "resourceShareArn")
            ?? throw new AwsServiceException(400, "MissingRequiredParameterException", "The request must contain the parameter resourceShareArn."));
        return new RestJsonResult(200, new JsonObject { ["returnValue"] = true, ["clientToken"] = Query(input, "clientToken") });
    }

    private RestJsonResult GetResourceShares(AwsRequest request, RestJsonInput input)
    {
        var body = input.Body ?? default;
        var arns = Strings(input, "resourceShareArns");
        var status = body.GetStringOrNull("resourceShareStatus");
        var name = body.GetStringOrNull("name");
        var selected = store.Shares(request.AccountId, request.Region, Owner(input))
            .Where(share => (arns.Count == 0 || arns.Contains(share.Arn)) && (status is null || share.Status == status) && (name is null || share.Name == name));
        return new RestJsonResult(200, new JsonObject { ["resourceShares"] = new JsonArray([.. selected.Select(share => (JsonNode)Share(share))]) });
    }

    private RestJsonResult GetResourceShareAssociations(AwsRequest request, RestJsonInput input)
    {
        var body = input.Body ?? default;
        var type = body.GetStringOrNull("associationType");
        if (type is not ("PRINCIPAL" or "RESOURCE"))
        {
            throw new AwsServiceException(400, "InvalidParameterException", $"associationType '{type}' is not valid: give PRINCIPAL or RESOURCE.");
        }

        var arns = Strings(input, "resourceShareArns");
        var entity = type == "PRINCIPAL" ? body.GetStringOrNull("principal") : body.GetStringOrNull("resourceArn");
        var status = body.GetStringOrNull("associationStatus");
        var associations = store.Shares(request.AccountId, request.Region, owned: true)
            .Where(share => arns.Count == 0 || arns.Contains(share.Arn))
            .SelectMany(share => Entries(share, type))
            .Where(entry => (entity is null || entry["associatedEntity"]!.GetValue<string>() == entity) && (status is null || entry["status"]!.GetValue<string>() == status));
        return new RestJsonResult(200, new JsonObject { ["resourceShareAssociations"] = new JsonArray([.. associations]) });
    }

    private RestJsonResult GetResourceShareInvitations(AwsRequest request, RestJsonInput input)
    {
        var invitationArns = Strings(input, "resourceShareInvitationArns");
        var shareArns = Strings(input, "resourceShareArns");
        var invitations = store.Invitations(request.AccountId, request.Region);
        if (invitationArns.FirstOrDefault(arn => invitations.All(invitation => invitation.Arn != arn)) is { } missing)
        {
            throw new AwsServiceException(400, "ResourceShareInvitationArnNotFoundException", $"ResourceShareInvitation {missing} could not be found.");
        }

        var selected = invitations.Where(invitation => (invitationArns.Count == 0 || invitationArns.Contains(invitation.Arn)) && (shareArns.Count == 0 || shareArns.Contains(invitation.Share.Arn)));
        return new RestJsonResult(200, new JsonObject { ["resourceShareInvitations"] = new JsonArray([.. selected.Select(invitation => (JsonNode)Invitation(invitation))]) });
    }

    private RestJsonResult Answer(AwsRequest request, RestJsonInput input, bool accept) =>
        Ok(input, new JsonObject { ["resourceShareInvitation"] = Invitation(store.Answer(request.AccountId, request.Region, Required(input, "resourceShareInvitationArn"), accept)) });

    private RestJsonResult ListResources(AwsRequest request, RestJsonInput input)
    {
        var body = input.Body ?? default;
        var type = body.GetStringOrNull("resourceType");
        var arns = Strings(input, "resourceArns");
        var shareArns = Strings(input, "resourceShareArns");
        var resources = store.Shares(request.AccountId, request.Region, Owner(input))
            .Where(share => shareArns.Count == 0 || shareArns.Contains(share.Arn))
            .SelectMany(share => share.Resources.Select(resource => (Share: share, Arn: resource.Key, resource.Value.Type, resource.Value.Since)))
            .Where(resource => (type is null || string.Equals(resource.Type, type, StringComparison.OrdinalIgnoreCase)) && (arns.Count == 0 || arns.Contains(resource.Arn)))
            .Select(resource => (JsonNode)new JsonObject
            {
                ["arn"] = resource.Arn,
                ["type"] = resource.Type,
                ["resourceShareArn"] = resource.Share.Arn,
                ["status"] = "AVAILABLE",
                ["creationTime"] = Epoch(resource.Since),
                ["lastUpdatedTime"] = Epoch(resource.Since),
                ["resourceRegionScope"] = "REGIONAL",
            });
        return new RestJsonResult(200, new JsonObject { ["resources"] = new JsonArray([.. resources]) });
    }

    private static RestJsonResult Associations(RestJsonInput input, ResourceShare share, bool associated)
    {
        var resources = Strings(input, "resourceArns");
        var principals = Strings(input, "principals");
        var entries = resources.Select(arn => Entry(share, arn, "RESOURCE", associated ? "ASSOCIATED" : "DISASSOCIATING", false, share.LastUpdatedTime))
            .Concat(principals.Select(principal => share.Principals.TryGetValue(principal, out var association) && associated
                ? Entry(share, principal, "PRINCIPAL", association.Status, association.External, association.Since)
                : Entry(share, principal, "PRINCIPAL", "DISASSOCIATING", false, share.LastUpdatedTime)));
        return Ok(input, new JsonObject { ["resourceShareAssociations"] = new JsonArray([.. entries]) });
    }

    private static IEnumerable<JsonObject> Entries(ResourceShare share, string type) => type == "RESOURCE"
        ? share.Resources.Select(resource => Entry(share, resource.Key, type, "ASSOCIATED", false, resource.Value.Since))
        : share.Principals.Select(principal => Entry(share, principal.Key, type, principal.Value.Status, principal.Value.External, principal.Value.Since));

    private static JsonObject Entry(ResourceShare share, string entity, string type, string status, bool external, DateTimeOffset since) => new()
    {
        ["resourceShareArn"] = share.Arn,
        ["resourceShareName"] = share.Name,
        ["associatedEntity"] = entity,
        ["associationType"] = type,
        ["status"] = status,
        ["creationTime"] = Epoch(since),
        ["lastUpdatedTime"] = Epoch(since),
        ["external"] = external,
    };

    private static JsonObject Share(ResourceShare share) => new()
    {
        ["resourceShareArn"] = share.Arn,
        ["name"] = share.Name,
        ["owningAccountId"] = share.OwnerId,
        ["allowExternalPrincipals"] = share.AllowExternalPrincipals,
        ["status"] = share.Status,
        ["tags"] = new JsonArray([.. share.Tags.Select(tag => (JsonNode)new JsonObject { ["key"] = tag.Key, ["value"] = tag.Value })]),
        ["creationTime"] = Epoch(share.CreationTime),
        ["lastUpdatedTime"] = Epoch(share.LastUpdatedTime),
        ["featureSet"] = "STANDARD",
    };

    private static JsonObject Invitation(ShareInvitation invitation) => new()
    {
        ["resourceShareInvitationArn"] = invitation.Arn,
        ["resourceShareName"] = invitation.Share.Name,
        ["resourceShareArn"] = invitation.Share.Arn,
        ["senderAccountId"] = invitation.Share.OwnerId,
        ["receiverAccountId"] = invitation.ReceiverId,
        ["invitationTimestamp"] = Epoch(invitation.Sent),
        ["status"] = invitation.Status,
    };

    /// <summary>resourceOwner: SELF or OTHER-ACCOUNTS (required).</summary>
    private static bool Owner(RestJsonInput input) => (input.Body ?? default).GetStringOrNull("resourceOwner") switch
    {
        "SELF" => true,
        "OTHER-ACCOUNTS" => false,
        var other => throw new AwsServiceException(400, "InvalidParameterException", $"resourceOwner '{other}' is not valid: give SELF or OTHER-ACCOUNTS."),
    };

    private static RestJsonResult Ok(RestJsonInput input, JsonObject output)
    {
        if ((input.Body ?? default).GetStringOrNull("clientToken") is { } token)
        {
            output["clientToken"] = token;
        }

        return new RestJsonResult(200, output);
    }

    private static string Required(RestJsonInput input, string name) =>
        (input.Body ?? default).GetStringOrNull(name) ?? throw new AwsServiceException(400, "MissingRequiredParameterException", $"The request must contain the parameter {name}.");

    private static IReadOnlyList<string> Strings(RestJsonInput input, string name) => (input.Body ?? default).GetStringsOrEmpty(name);

    private static string? Query(RestJsonInput input, string name) => input.Query.TryGetValue(name, out var value) ? value.ToString() : null;

    private static double Epoch(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;
}
