using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace CloudPatterns.Core.Sandbox;

/// <summary>What a running sandbox holds: its URL, accounts and regions. The secret key stays out of ToString and output.</summary>
public sealed class SandboxOrganization
{
    public SandboxOrganization(Uri url, string organizationId, string managementAccountId, IReadOnlyList<string> regions,
        IReadOnlyList<SandboxAccount> accounts, string managementAccessKeyId, string managementSecretAccessKey, string? executionRoleExternalId)
    {
        Url = url;
        OrganizationId = organizationId;
        ManagementAccountId = managementAccountId;
        Regions = regions;
        Accounts = accounts;
        ManagementAccessKeyId = managementAccessKeyId;
        ManagementSecretAccessKey = managementSecretAccessKey;
        ExecutionRoleExternalId = executionRoleExternalId;
    }

    public Uri Url { get; }
    public string OrganizationId { get; }
    public string ManagementAccountId { get; }
    public IReadOnlyList<string> Regions { get; }
    public IReadOnlyList<SandboxAccount> Accounts { get; }
    public string ManagementAccessKeyId { get; }
    internal string ManagementSecretAccessKey { get; }
    public string? ExecutionRoleExternalId { get; }

    internal static SandboxOrganization FromJson(JsonElement root, Uri url)
    {
        var credentials = root.GetProperty("managementCredentials");
        var accounts = root.GetProperty("accounts").EnumerateArray().Select(SandboxAccount.FromJson).ToList();
        var regions = root.GetProperty("regions").EnumerateArray().Select(r => r.GetString() ?? string.Empty).ToList();
        return new SandboxOrganization(
            url,
            root.GetProperty("id").GetString() ?? string.Empty,
            root.GetProperty("managementAccountId").GetString() ?? string.Empty,
            regions,
            accounts,
            credentials.GetProperty("accessKeyId").GetString() ?? string.Empty,
            credentials.GetProperty("secretAccessKey").GetString() ?? string.Empty,
            root.TryGetProperty("executionRoleExternalId", out var externalId) ? externalId.GetString() : null);
    }
}

public sealed class SandboxAccount
{
    public SandboxAccount(string accountId, string name, string email, string organizationalUnitPath)
    {
        AccountId = accountId;
        Name = name;
        Email = email;
        OrganizationalUnitPath = organizationalUnitPath;
    }

    public string AccountId { get; }
    public string Name { get; }
    public string Email { get; }
    public string OrganizationalUnitPath { get; }

    internal static SandboxAccount FromJson(JsonElement element) => new(
        element.GetProperty("id").GetString() ?? string.Empty,
        element.GetProperty("name").GetString() ?? string.Empty,
        element.GetProperty("email").GetString() ?? string.Empty,
        element.TryGetProperty("organizationalUnitPath", out var path) ? path.GetString() ?? string.Empty : string.Empty);
}
