using System.Collections.Generic;

namespace CloudPatterns.Core.Organizations;

/// <summary>What Get-OrgAccount selects. Nothing set: every account of the organization.</summary>
public sealed class OrgAccountFilter
{
    public const int DefaultThrottleLimit = 8;

    /// <summary>Only accounts directly in this OU (or root), or anywhere below it with <see cref="Recurse"/>.</summary>
    public string? OrganizationalUnitId { get; set; }

    public bool Recurse { get; set; }

    /// <summary>Accepted statuses (ACTIVE, SUSPENDED, PENDING_CLOSURE), compared case-insensitively; empty = all.</summary>
    public IReadOnlyCollection<string> Status { get; set; } = new string[0];

    /// <summary>Tags every returned account must carry; an empty value only requires the key.</summary>
    public IReadOnlyDictionary<string, string> Tag { get; set; } = new Dictionary<string, string>();

    /// <summary>How many ListTagsForResource calls run at once.</summary>
    public int ThrottleLimit { get; set; } = DefaultThrottleLimit;
}
