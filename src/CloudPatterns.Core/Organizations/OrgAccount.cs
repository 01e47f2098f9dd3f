using System;
using System.Collections.Generic;

namespace CloudPatterns.Core.Organizations;

/// <summary>An account of the organization, as Get-OrgAccount writes it.</summary>
public sealed class OrgAccount
{
    public OrgAccount(string accountId, string name, string email, string status, DateTimeOffset? joinedTimestamp, string organizationalUnitPath, string parentId, string arn, IReadOnlyDictionary<string, string> tags)
    {
        AccountId = accountId;
        Name = name;
        Email = email;
        Status = status;
        JoinedTimestamp = joinedTimestamp;
        OrganizationalUnitPath = organizationalUnitPath;
        ParentId = parentId;
        Arn = arn;
        Tags = tags;
    }

    public string AccountId { get; }

    public string Name { get; }

    public string Email { get; }

    /// <summary>ACTIVE, SUSPENDED or PENDING_CLOSURE.</summary>
    public string Status { get; }

    public DateTimeOffset? JoinedTimestamp { get; }

    /// <summary>The OU names from the root down, e.g. <c>Root/Workloads</c>.</summary>
    public string OrganizationalUnitPath { get; }

    /// <summary>The id of the root or OU the account sits in directly.</summary>
    public string ParentId { get; }

    public string Arn { get; }

    public IReadOnlyDictionary<string, string> Tags { get; }
}
