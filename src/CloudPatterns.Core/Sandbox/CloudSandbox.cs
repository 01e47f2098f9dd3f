using System;
using System.Collections.Generic;

namespace CloudPatterns.Core.Sandbox;

/// <summary>The output of Start-CloudSandbox: where the sandbox listens and what it holds. Carries no secret.</summary>
public sealed class CloudSandbox
{
    public CloudSandbox(SandboxOrganization organization, int processId, string region)
    {
        Url = organization.Url.GetLeftPart(UriPartial.Authority);
        OrganizationId = organization.OrganizationId;
        ManagementAccountId = organization.ManagementAccountId;
        AccountId = organization.ManagementAccountId;
        Region = region;
        Regions = organization.Regions;
        Accounts = organization.Accounts;
        ExecutionRoleExternalId = organization.ExecutionRoleExternalId;
        ProcessId = processId;
    }

    public string Url { get; }
    public string OrganizationId { get; }
    public string ManagementAccountId { get; }
    /// <summary>The account the session now acts as (the management account).</summary>
    public string AccountId { get; }
    public string Region { get; }
    public IReadOnlyList<string> Regions { get; }
    public IReadOnlyList<SandboxAccount> Accounts { get; }
    public string? ExecutionRoleExternalId { get; }
    public int ProcessId { get; }
}
