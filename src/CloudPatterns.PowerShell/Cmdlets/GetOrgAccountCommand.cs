using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using CloudPatterns.Aws;
using CloudPatterns.Core.Organizations;
using CloudPatterns.PowerShell.Completion;
using CloudPatterns.PowerShell.Infrastructure;

namespace CloudPatterns.PowerShell.Cmdlets;

/// <summary>Get-OrgAccount: the organization's accounts with OU path and tags, streamed as they are listed.</summary>
[Cmdlet(VerbsCommon.Get, "OrgAccount")]
[OutputType(typeof(OrgAccount))]
public sealed class GetOrgAccountCommand : AwsCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("ParentId", "OuId")]
    [ArgumentCompleter(typeof(OrganizationalUnitCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.OrganizationalUnitId))]
    public string? OrganizationalUnitId { get; set; }

    [Parameter]
    public SwitchParameter Recurse { get; set; }

    [Parameter]
    [ValidateSet("ACTIVE", "SUSPENDED", "PENDING_CLOSURE", IgnoreCase = true)]
    public string[]? Status { get; set; }

    /// <summary>Tags every account must carry: @{ env = 'prod' }; an empty value only requires the key.</summary>
    [Parameter]
    public Hashtable? Tag { get; set; }

    /// <summary>The region to sign Organizations and STS calls for; Organizations itself is global.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(RegionCompleter))]
    [ValidateAwsIdentifier(nameof(AwsIdentifierKind.Region))]
    public string? Region { get; set; }

    /// <summary>How many tag look-ups run at once.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = OrgAccountFilter.DefaultThrottleLimit;

    protected override string? ConnectionRegion => Region;

    protected override void ProcessRecord()
    {
        var filter = new OrgAccountFilter
        {
            OrganizationalUnitId = OrganizationalUnitId,
            Recurse = Recurse,
            Status = Status ?? new string[0],
            Tag = Tag?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString() ?? string.Empty, e => e.Value?.ToString() ?? string.Empty) ?? new Dictionary<string, string>(),
            ThrottleLimit = ThrottleLimit,
        };
        RunAws(async (queue, session, cancellation) =>
        {
            await foreach (var account in OrgAccountQuery.RunAsync(session, filter, cancellation).ConfigureAwait(false))
            {
                queue.Output(account);
            }
        }, OrganizationalUnitId);
    }
}
