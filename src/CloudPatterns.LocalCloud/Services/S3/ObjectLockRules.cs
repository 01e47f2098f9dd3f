namespace CloudPatterns.LocalCloud.Services.S3;

/// <summary>
/// What Object Lock forbids (docs/aws-behaviour.md section 5): COMPLIANCE retention cannot be shortened, removed or
/// bypassed by anyone; GOVERNANCE yields only to a caller that sends <c>x-amz-bypass-governance-retention: true</c>
/// and holds <c>s3:BypassGovernanceRetention</c>; a legal hold blocks deletion whatever the retention.
/// </summary>
internal static class ObjectLockRules
{
    /// <summary>Throws AccessDenied when the version may not be deleted permanently.</summary>
    /// <param name="bypassGovernance">The caller asked for the bypass and is allowed it.</param>
    public static void EnsureDeletable(S3ObjectVersion version, bool bypassGovernance, DateTimeOffset now)
    {
        if (version.LegalHold == "ON" || IsLockedAgainst(version.Retention, bypassGovernance, now))
        {
            throw S3Errors.ProtectedByObjectLock();
        }
    }

    /// <summary>
    /// Throws AccessDenied when <paramref name="requested"/> would weaken active retention (earlier date, COMPLIANCE
    /// to GOVERNANCE, or removal) without the right to. Extending retention is always allowed.
    /// </summary>
    public static void EnsureRetentionChangeAllowed(ObjectRetention? current, ObjectRetention? requested, bool bypassGovernance, DateTimeOffset now)
    {
        var weakens = requested is null
            || requested.RetainUntilDate < current?.RetainUntilDate
            || (current?.Mode == RetentionModes.Compliance && requested.Mode == RetentionModes.Governance);
        if (weakens && IsLockedAgainst(current, bypassGovernance, now))
        {
            // Real AWS answers a COMPLIANCE shortening with the plain "Access Denied" (docs/aws-behaviour.md section 5).
            throw S3Errors.AccessDenied();
        }
    }

    private static bool IsLockedAgainst(ObjectRetention? retention, bool bypassGovernance, DateTimeOffset now) =>
        retention is not null
        && retention.RetainUntilDate > now
        && (retention.Mode == RetentionModes.Compliance || !bypassGovernance);
}
