using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CloudPatterns.LocalCloud.Hosting;
using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Sts;

/// <summary>AWS STS (Query protocol, 2011-06-15): GetCallerIdentity and AssumeRole with trust policies.</summary>
internal sealed partial class StsService : QueryService
{
    private const int DefaultDurationSeconds = 3600;
    private const int RoleChainingLimitSeconds = 3600;
    private readonly LocalCloudState state;

    public StsService(LocalCloudState state)
        : base("sts", "2011-06-15", "https://sts.amazonaws.com/doc/2011-06-15/")
    {
        this.state = state;
        AddOperation("GetCallerIdentity", mutating: false, GetCallerIdentity);

        // AssumeRole creates credentials but changes no resource, so -WhatIf runs may call it.
        AddOperation("AssumeRole", mutating: false, AssumeRole);
    }

    private IEnumerable<XElement> GetCallerIdentity(AwsRequest request, QueryParameters parameters) =>
    [
        Element("UserId", request.Caller.UserId),
        Element("Account", request.AccountId),
        Element("Arn", request.Caller.Arn),
    ];

    private IEnumerable<XElement> AssumeRole(AwsRequest request, QueryParameters parameters)
    {
        var roleArn = parameters.Get("RoleArn");
        var sessionName = parameters.Get("RoleSessionName");
        var externalId = parameters.Get("ExternalId");
        var durationText = parameters.Get("DurationSeconds");
        var violations = new List<string>();
        CheckString(violations, "roleArn", roleArn, 20, 2048, pattern: null);
        CheckString(violations, "roleSessionName", sessionName, 2, 64, SessionNamePattern());
        if (externalId is not null)
        {
            CheckString(violations, "externalId", externalId, 2, 1224, ExternalIdPattern());
        }

        var duration = DefaultDurationSeconds;
        if (durationText is not null)
        {
            duration = int.TryParse(durationText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : -1;
            if (duration < 900)
            {
                violations.Add($"Value '{durationText}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900");
            }
            else if (duration > 43200)
            {
                violations.Add($"Value '{durationText}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200");
            }
        }

        if (violations.Count > 0)
        {
            throw AwsServiceException.Validation("ValidationError", violations);
        }

        var caller = request.Caller;
        var role = FindRole(roleArn!);
        var context = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["aws:principalaccount"] = caller.AccountId,
            ["aws:principalarn"] = caller.RoleArn ?? caller.Arn,
        };
        if (externalId is not null)
        {
            context[TrustPolicy.ExternalIdKey] = externalId;
        }

        // AWS gives the same answer for a missing role as for a trust policy that does not admit the caller.
        if (role is null || !role.TrustPolicy.Allows(caller, "sts:AssumeRole", context))
        {
            throw new AwsServiceException(403, "AccessDenied", $"User: {caller.Arn} is not authorized to perform: sts:AssumeRole on resource: {roleArn}");
        }

        if (caller.IsRoleSession && duration > RoleChainingLimitSeconds)
        {
            throw new AwsServiceException(400, "ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
        }

        if (duration > role.MaxSessionDurationSeconds)
        {
            throw new AwsServiceException(400, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }

        var roleId = CredentialStore.UniqueId("AROA", role.Arn);
        var session = new CallerIdentity(
            role.AccountId,
            $"arn:aws:sts::{role.AccountId}:assumed-role/{role.Name}/{sessionName}",
            $"{roleId}:{sessionName}",
            role.Arn);
        var credentials = state.Credentials.IssueTemporary(session, state.Clock.GetUtcNow().AddSeconds(duration));
        return
        [
            Element("Credentials", new object[]
            {
                Element("AccessKeyId", credentials.AccessKeyId),
                Element("SecretAccessKey", credentials.SecretAccessKey),
                Element("SessionToken", credentials.SessionToken),
                Element("Expiration", Timestamp(credentials.Expiration!.Value)),
            }),
            Element("AssumedRoleUser", new object[]
            {
                Element("AssumedRoleId", session.UserId),
                Element("Arn", session.Arn),
            }),
        ];
    }

    private SeedRole? FindRole(string roleArn)
    {
        var match = RoleArnPattern().Match(roleArn);
        return match.Success
            ? state.Organization.FindAccount(match.Groups["account"].Value)?.FindRole(match.Groups["name"].Value)
            : null;
    }

    /// <summary>The model's length and pattern constraints, worded as AWS's "1 validation error detected" messages.</summary>
    private static void CheckString(List<string> violations, string member, string? value, int minLength, int maxLength, Regex? pattern)
    {
        if (value is null)
        {
            violations.Add($"Value null at '{member}' failed to satisfy constraint: Member must not be null");
        }
        else if (value.Length < minLength)
        {
            violations.Add($"Value '{value}' at '{member}' failed to satisfy constraint: Member must have length greater than or equal to {minLength}");
        }
        else if (value.Length > maxLength)
        {
            violations.Add($"Value '{value}' at '{member}' failed to satisfy constraint: Member must have length less than or equal to {maxLength}");
        }
        else if (pattern is not null && !pattern.IsMatch(value))
        {
            violations.Add($"Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern.ToString()[1..^1]}");
        }
    }

    [GeneratedRegex(@"^[\w+=,.@-]*$")]
    private static partial Regex SessionNamePattern();

    [GeneratedRegex(@"^[\w+=,.@:\/-]*$")]
    private static partial Regex ExternalIdPattern();

    [GeneratedRegex(@"^arn:aws:iam::(?<account>\d{12}):role/(?:[\w+=,.@-]+/)*(?<name>[\w+=,.@-]+)$")]
    private static partial Regex RoleArnPattern();
}
