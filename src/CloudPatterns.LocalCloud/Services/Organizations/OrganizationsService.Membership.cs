using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Organizations;

/// <summary>
/// Moving accounts between OUs, trusted access for AWS services and delegated administrators (management account
/// only). Refusals: docs/localcloud-stacksets.md.
/// </summary>
internal sealed partial class OrganizationsService
{
    /// <summary>Set by LocalCloudState: the clock that dates trusted access and delegation.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    private void AddMembershipOperations()
    {
        AddOperation("MoveAccount", mutating: true, ManagementOnly(MoveAccount));
        AddOperation("EnableAWSServiceAccess", mutating: true, ManagementOnly(input =>
            Empty(() => serviceAccess.Enable(RequiredString(input, "ServicePrincipal", ServicePrincipalPattern()), Clock.GetUtcNow()))));
        AddOperation("ListAWSServiceAccessForOrganization", mutating: false, ManagementOnly(input =>
            Page("ListAWSServiceAccessForOrganization", "EnabledServicePrincipals", input, serviceAccess.Enabled(), entry => new JsonObject
            {
                ["ServicePrincipal"] = entry.ServicePrincipal,
                ["DateEnabled"] = ResponseBodies.EpochSeconds(entry.DateEnabled),
            })));
        AddOperation("RegisterDelegatedAdministrator", mutating: true, ManagementOnly(RegisterDelegatedAdministrator));
        AddOperation("ListDelegatedAdministrators", mutating: false, ManagementOnly(input =>
        {
            var principal = input.TryGetProperty("ServicePrincipal", out _) ? RequiredString(input, "ServicePrincipal", ServicePrincipalPattern()) : null;
            return Page("ListDelegatedAdministrators", "DelegatedAdministrators", input, serviceAccess.DelegatedAdministrators(principal), entry =>
            {
                var account = Account(organization.FindAccount(entry.AccountId)!);
                account["DelegationEnabledDate"] = ResponseBodies.EpochSeconds(entry.Since);
                return account;
            });
        }));
    }

    private JsonObject MoveAccount(JsonElement input)
    {
        var account = RequireAccount(input);
        var source = RequiredString(input, "SourceParentId", ParentIdPattern());
        var destination = RequiredString(input, "DestinationParentId", ParentIdPattern());
        if (!tree.IsParent(source))
        {
            throw Error("SourceParentNotFoundException", "We can't find a source root or OU with the ParentId that you specified.");
        }

        if (!tree.IsParent(destination))
        {
            throw Error("DestinationParentNotFoundException", "We can't find the destination container (a root or OU) with the ParentId that you specified.");
        }

        if (tree.ParentOfAccount(account.Id) == destination)
        {
            throw Error("DuplicateAccountException", "That account is already present in the specified destination.");
        }

        // Inferred (no AWS quote found): an account that is not in the source parent is not found there.
        return tree.Move(account.Id, source, destination)
            ? []
            : throw Error("AccountNotFoundException", "You specified an account that doesn't exist.");
    }

    private JsonObject RegisterDelegatedAdministrator(JsonElement input)
    {
        var account = RequireAccount(input);
        var principal = RequiredString(input, "ServicePrincipal", ServicePrincipalPattern());
        if (account.IsManagementAccount)
        {
            throw ConstraintViolation("CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR",
                "You attempted to register the management account of the organization as a delegated administrator for an AWS service integrated with Organizations. You can designate only a member account as a delegated administrator.");
        }

        if (!serviceAccess.IsEnabled(principal))
        {
            throw ConstraintViolation("SERVICE_ACCESS_NOT_ENABLED",
                "You attempted to register a delegated administrator before you enabled service access. Call the EnableAWSServiceAccess API first.");
        }

        return serviceAccess.Register(account.Id, principal, Clock.GetUtcNow())
            ? []
            : throw Error("AccountAlreadyRegisteredException", "The specified account is already a delegated administrator for this AWS service.");
    }

    private static AwsServiceException ConstraintViolation(string reason, string message) =>
        new(400, "ConstraintViolationException", message) { JsonMessageMember = "Message", Fields = [new("Reason", reason)] };

    [GeneratedRegex(@"^[\w+=,.@-]{1,128}$")]
    private static partial Regex ServicePrincipalPattern();
}
