using System;
using System.Management.Automation;

namespace CloudPatterns.PowerShell.Infrastructure;

/// <summary>A TimeSpan parameter (an RPO or RTO target) must be longer than zero; the error names the value.</summary>
public sealed class ValidatePositiveDurationAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
        if (value is not TimeSpan duration || duration <= TimeSpan.Zero)
        {
            throw new ValidationMetadataException($"{value} is not a duration longer than zero: give one such as 01:00:00 (an hour) or 00:15:00.");
        }
    }
}
