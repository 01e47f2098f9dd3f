using System;
using System.Collections.Generic;

namespace CloudPatterns.Core.Sandbox;

/// <summary>Points the current process at a sandbox (so cmdlets and the AWS CLI target it) and puts everything back after.</summary>
public sealed class SandboxEnvironment
{
    /// <summary>Every variable that decides where AWS calls go and as whom; saved, replaced or cleared together.</summary>
    public static readonly IReadOnlyList<string> VariableNames = new[]
    {
        "AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION",
        "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
    };

    private readonly Dictionary<string, string?> _saved = new(StringComparer.Ordinal);

    private SandboxEnvironment() { }

    public static SandboxEnvironment Apply(SandboxOrganization organization, string region)
    {
        var environment = new SandboxEnvironment();
        foreach (var name in VariableNames)
        {
            environment._saved[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, null);
        }
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL", organization.Url.GetLeftPart(UriPartial.Authority));
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", organization.ManagementAccessKeyId);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", organization.ManagementSecretAccessKey);
        Environment.SetEnvironmentVariable("AWS_REGION", region);
        Environment.SetEnvironmentVariable("AWS_DEFAULT_REGION", region);
        return environment;
    }

    public void Restore()
    {
        foreach (var pair in _saved)
        {
            Environment.SetEnvironmentVariable(pair.Key, pair.Value);
        }
    }
}
