using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Organizations;

namespace CloudPatterns.LocalCloud.Services.Ram;

/// <summary>A resource share: the resources it holds and the principals it is shared with.</summary>
internal sealed class ResourceShare(string arn, string name, string ownerId, string region, bool allowExternalPrincipals, DateTimeOffset created)
{
    public string Arn { get; } = arn;

    public string Name { get; } = name;

    public string OwnerId { get; } = ownerId;

    public string Region { get; } = region;

    public bool AllowExternalPrincipals { get; } = allowExternalPrincipals;

    public DateTimeOffset CreationTime { get; } = created;

    public DateTimeOffset LastUpdatedTime { get; set; } = created;

    public string Status { get; set; } = "ACTIVE";

    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Resource ARN → its RAM type (ec2:TransitGateway) and when it joined the share.</summary>
    public Dictionary<string, (string Type, DateTimeOffset Since)> Resources { get; } = new(StringComparer.Ordinal);

    /// <summary>Principal (account id, organization or OU ARN) → ASSOCIATING until its invitation is accepted, then ASSOCIATED.</summary>
    public Dictionary<string, ShareAssociation> Principals { get; } = new(StringComparer.Ordinal);
}

internal sealed record ShareAssociation(string Status, bool External, DateTimeOffset Since);

/// <summary>An invitation to a share, for an account outside the organization or when organization sharing is off.</summary>
internal sealed class ShareInvitation(string arn, ResourceShare share, string receiverId, DateTimeOffset sent)
{
    public string Arn { get; } = arn;

    public ResourceShare Share { get; } = share;

    public string ReceiverId { get; } = receiverId;

    public DateTimeOffset Sent { get; } = sent;

    public string Status { get; set; } = "PENDING";
}

/// <summary>
/// AWS RAM's shares and invitations (docs/localcloud-ram.md). Sharing with the organization or an OU needs
/// EnableSharingWithAwsOrganization (trusted access for ram.amazonaws.com); then accounts of the organization get
/// shares without invitations. Thread-safe.
/// </summary>
internal sealed class RamStore(SeedOrganization organization, OrganizationTree tree, OrganizationServiceAccess serviceAccess, TimeProvider clock)
{
    public const string ServicePrincipal = "ram.amazonaws.com";

    private readonly Lock gate = new();
    private readonly Dictionary<string, ResourceShare> shares = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ShareInvitation> invitations = new(StringComparer.Ordinal);

    /// <summary>The RAM type (ec2:TransitGateway) of a resource the account owns in the region, or null when there is none.</summary>
    public Func<string, string, string, string?> ResourceType { get; set; } = (_, _, _) => null;

    public bool OrganizationSharingEnabled => serviceAccess.IsEnabled(ServicePrincipal);

    /// <summary>EnableSharingWithAwsOrganization: from the management account only.</summary>
    public void EnableOrganizationSharing(string accountId)
    {
        if (accountId != organization.ManagementAccountId)
        {
            throw new AwsServiceException(400, "OperationNotPermittedException", "Sharing with your AWS organization can be enabled only from the organization's management account.");
        }

        serviceAccess.Enable(ServicePrincipal, clock.GetUtcNow());
    }

    public ResourceShare Create(string accountId, string region, string name, bool allowExternal, IReadOnlyList<string> resourceArns, IReadOnlyList<string> principals, Dictionary<string, string> tags)
    {
        var resources = Resolve(accountId, region, resourceArns);
        lock (gate)
        {
            var share = new ResourceShare($"arn:aws:ram:{region}:{accountId}:resource-share/{Guid.NewGuid()}", name, accountId, region, allowExternal, clock.GetUtcNow()) { Tags = tags };
            Add(share, resources, principals);
            shares[share.Arn] = share;
            return share;
        }
    }

    /// <summary>AssociateResourceShare: adds resources and principals to an owned share, with the same checks as a new share.</summary>
    public ResourceShare Associate(string accountId, string region, string shareArn, IReadOnlyList<string> resourceArns, IReadOnlyList<string> principals)
    {
        var resources = Resolve(accountId, region, resourceArns);
        lock (gate)
        {
            var share = Owned(accountId, region, shareArn);
            Add(share, resources, principals);
            return share;
        }
    }

    /// <summary>DisassociateResourceShare: removes resources and principals (and their pending invitations).</summary>
    public ResourceShare Disassociate(string accountId, string region, string shareArn, IReadOnlyList<string> resourceArns, IReadOnlyList<string> principals)
    {
        lock (gate)
        {
            var share = Owned(accountId, region, shareArn);
            foreach (var missing in resourceArns.Where(arn => !share.Resources.ContainsKey(arn)).Concat(principals.Where(principal => !share.Principals.ContainsKey(principal))))
            {
                throw new AwsServiceException(400, "UnknownResourceException", $"{missing} is not associated with resource share {shareArn}.");
            }

            foreach (var arn in resourceArns)
            {
                share.Resources.Remove(arn);
            }

            foreach (var principal in principals)
            {
                share.Principals.Remove(principal);
                foreach (var invitation in invitations.Values.Where(invitation => invitation.Share == share && invitation.ReceiverId == principal).ToList())
                {
                    invitations.Remove(invitation.Arn);
                }
            }

            share.LastUpdatedTime = clock.GetUtcNow();
            return share;
        }
    }

    public void Delete(string accountId, string region, string shareArn)
    {
        lock (gate)
        {
            var share = Owned(accountId, region, shareArn);
            share.Status = "DELETED";
            shares.Remove(shareArn);
            foreach (var invitation in invitations.Values.Where(invitation => invitation.Share == share).ToList())
            {
                invitations.Remove(invitation.Arn);
            }
        }
    }

    /// <summary>The shares the account owns (SELF) or that are shared with it and in effect (OTHER-ACCOUNTS).</summary>
    public IReadOnlyList<ResourceShare> Shares(string accountId, string region, bool owned)
    {
        lock (gate)
        {
            return shares.Values.Where(share => share.Region == region && (owned ? share.OwnerId == accountId : Reaches(share, accountId)))
                .OrderBy(share => share.CreationTime).ToList();
        }
    }

    /// <summary>The account's own share by ARN; another account's share is unknown to it.</summary>
    public ResourceShare Owned(string accountId, string region, string shareArn)
    {
        Arn(shareArn);
        lock (gate)
        {
            return shares.TryGetValue(shareArn, out var share) && share.OwnerId == accountId && share.Region == region
                ? share
                : throw new AwsServiceException(400, "UnknownResourceException", $"ResourceShare {shareArn} could not be found.");
        }
    }

    /// <summary>Invitations the account sent or received in the region.</summary>
    public IReadOnlyList<ShareInvitation> Invitations(string accountId, string region)
    {
        lock (gate)
        {
            return invitations.Values.Where(invitation => invitation.Share.Region == region && (invitation.ReceiverId == accountId || invitation.Share.OwnerId == accountId))
                .OrderBy(invitation => invitation.Sent).ToList();
        }
    }

    /// <summary>The receiver accepts (the share takes effect) or rejects (its principal leaves the share) a pending invitation.</summary>
    public ShareInvitation Answer(string accountId, string region, string invitationArn, bool accept)
    {
        Arn(invitationArn);
        lock (gate)
        {
            if (!invitations.TryGetValue(invitationArn, out var invitation) || invitation.ReceiverId != accountId || invitation.Share.Region != region)
            {
                throw new AwsServiceException(400, "ResourceShareInvitationArnNotFoundException", $"ResourceShareInvitation {invitationArn} could not be found.");
            }

            switch (invitation.Status)
            {
                case "ACCEPTED":
                    throw new AwsServiceException(400, "ResourceShareInvitationAlreadyAcceptedException", $"ResourceShareInvitation {invitationArn} has already been accepted.");
                case "REJECTED":
                    throw new AwsServiceException(400, "ResourceShareInvitationAlreadyRejectedException", $"ResourceShareInvitation {invitationArn} has already been rejected.");
            }

            invitation.Status = accept ? "ACCEPTED" : "REJECTED";
            var association = invitation.Share.Principals[accountId];
            if (accept)
            {
                invitation.Share.Principals[accountId] = association with { Status = "ASSOCIATED", Since = clock.GetUtcNow() };
            }
            else
            {
                invitation.Share.Principals.Remove(accountId);
            }

            return invitation;
        }
    }

    /// <summary>Whether an active share of the resource's owner reaches the account (what lets EC2 show it a shared transit gateway).</summary>
    public bool SharedWith(string accountId, string resourceArn)
    {
        lock (gate)
        {
            return shares.Values.Any(share => share.Status == "ACTIVE" && share.OwnerId != accountId && share.Resources.ContainsKey(resourceArn) && Reaches(share, accountId));
        }
    }

    /// <summary>Whether a principal of the share covers the account and is associated.</summary>
    private bool Reaches(ResourceShare share, string accountId) =>
        share.OwnerId != accountId && share.Principals.Any(principal => principal.Value.Status == "ASSOCIATED" && Covers(principal.Key, accountId));

    private bool Covers(string principal, string accountId) =>
        principal == accountId
        || (principal == organization.Arn && organization.FindAccount(accountId) is not null)
        || (principal.StartsWith($"arn:aws:organizations::{organization.ManagementAccountId}:ou/{organization.Id}/", StringComparison.Ordinal)
            && tree.IsWithin(accountId, principal[(principal.LastIndexOf('/') + 1)..]));

    /// <summary>
    /// Each resource's RAM type, looked up before the store's lock is taken: the owning service's store asks this one
    /// whether its resources are shared while holding its own lock.
    /// </summary>
    private List<(string Arn, string Type)> Resolve(string accountId, string region, IReadOnlyList<string> resourceArns) =>
        resourceArns.Select(arn => (Arn(arn), ResourceType(accountId, region, arn)
            ?? throw new AwsServiceException(400, "UnknownResourceException", $"ResourceArn {arn} could not be found. LocalCloud shares transit gateways and IPAM pools of the calling account and region (docs/localcloud-ram.md).")))
            .ToList();

    private void Add(ResourceShare share, List<(string Arn, string Type)> resources, IReadOnlyList<string> principals)
    {
        var associations = principals.Select(principal => (Principal: principal, Association: Principal(share, principal))).ToList();
        var now = clock.GetUtcNow();
        foreach (var (arn, type) in resources)
        {
            share.Resources.TryAdd(arn, (type, now));
        }

        foreach (var (principal, association) in associations.Where(entry => !share.Principals.ContainsKey(entry.Principal)))
        {
            share.Principals[principal] = association;
            if (association.Status == "ASSOCIATING")
            {
                var invitation = new ShareInvitation($"arn:aws:ram:{share.Region}:{share.OwnerId}:resource-share-invitation/{Guid.NewGuid()}", share, principal, now);
                invitations[invitation.Arn] = invitation;
            }
        }

        share.LastUpdatedTime = now;
    }

    /// <summary>
    /// How a principal joins: the organization and its OUs only with organization sharing on; an account of the
    /// organization directly when it is on, else by invitation; an outside account by invitation, and only when the
    /// share allows external principals.
    /// </summary>
    private ShareAssociation Principal(ResourceShare share, string principal)
    {
        var now = clock.GetUtcNow();
        if (principal.Length == 12 && principal.All(char.IsAsciiDigit))
        {
            var member = organization.FindAccount(principal) is not null;
            if (principal == share.OwnerId)
            {
                throw new AwsServiceException(400, "InvalidParameterException", $"Principal ID {principal} is the account that owns the resource share; share with other accounts.");
            }

            if (!member && !share.AllowExternalPrincipals)
            {
                throw NotInOrganization();
            }

            return new ShareAssociation(member && OrganizationSharingEnabled ? "ASSOCIATED" : "ASSOCIATING", !member, now);
        }

        if (principal.StartsWith("arn:aws:organizations::", StringComparison.Ordinal))
        {
            var parts = principal.Split(':', 6);
            var path = parts.Length == 6 ? parts[5].Split('/') : [];
            var known = path switch
            {
                ["organization", var id] => id == organization.Id,
                ["ou", var id, var unit] => id == organization.Id && tree.IsUnit(unit),
                _ => throw Malformed(principal),
            };
            if (!known)
            {
                throw new AwsServiceException(400, "UnknownResourceException", $"{(path[0] == "ou" ? "OrganizationalUnit " + path[2] : "Organization " + path[1])} could not be found.");
            }

            if (!OrganizationSharingEnabled)
            {
                throw NotInOrganization();
            }

            return new ShareAssociation("ASSOCIATED", false, now);
        }

        throw Malformed(principal);
    }

    private static AwsServiceException Malformed(string principal) =>
        new(400, "InvalidParameterException", $"Principal ID {principal} is malformed. Verify the ID and try again. Give a 12-digit account id, or the ARN of the organization or of one of its OUs.");

    private static AwsServiceException NotInOrganization() =>
        new(400, "OperationNotPermittedException", "The resource you are attempting to share can only be shared within your AWS Organization. This error may also occur if you have not enabled sharing with your AWS organization, or that onboarding process is still in progress.");

    private static string Arn(string value) =>
        value.StartsWith("arn:aws:", StringComparison.Ordinal) && value.Split(':').Length >= 6
            ? value
            : throw new AwsServiceException(400, "MalformedArnException", $"The specified ARN {value} is not valid. Verify the ARN and try again.");
}
