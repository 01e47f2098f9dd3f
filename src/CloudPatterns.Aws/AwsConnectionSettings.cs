using System;
using CloudPatterns.Aws.Diagnostics;

namespace CloudPatterns.Aws;

/// <summary>
/// How to reach AWS: the common parameters of every AWS cmdlet. Nothing set means the SDK's default chain
/// (environment, web identity, profile incl. SSO/process, container, instance) and its region lookup.
/// </summary>
public sealed class AwsConnectionSettings
{
    public const string DefaultRoleName = "OrganizationAccountAccessRole";

    /// <summary>The default region for targets that name none; without it AWS_REGION, AWS_DEFAULT_REGION or the profile's.</summary>
    public string? Region { get; set; }

    public string? ProfileName { get; set; }

    /// <summary>The shared credentials file holding <see cref="ProfileName"/>; null = the SDK's default files.</summary>
    public string? ProfileLocation { get; set; }

    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    public string? SessionToken { get; set; }

    /// <summary>One endpoint for every service (e.g. LocalCloud); wins over AWS_ENDPOINT_URL[_SERVICE].</summary>
    public string? EndpointUrl { get; set; }

    /// <summary>The role assumed in every target account other than the caller's own.</summary>
    public string RoleName { get; set; } = DefaultRoleName;

    public string? ExternalId { get; set; }

    /// <summary>
    /// The role assumed in the caller's own account (a job role there, e.g. the management account's GitOps publishing
    /// or stack-set administration role); null: the caller's own credentials are used there.
    /// </summary>
    public string? OwnAccountRoleName { get; set; }

    /// <summary>
    /// Called after every AWS call (service, operation, account, region, status, duration; never credentials).
    /// Calls come from worker threads but one at a time: queue them for the pipeline thread to write.
    /// </summary>
    public Action<AwsCallRecord>? AwsCallCompleted { get; set; }
}
