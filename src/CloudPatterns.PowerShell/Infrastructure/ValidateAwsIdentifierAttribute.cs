using System;
using System.Management.Automation;
using CloudPatterns.Aws;

namespace CloudPatterns.PowerShell.Infrastructure;

/// <summary>
/// Checks a parameter (each element of an array) against the AWS identifier form Core checks settings against
/// (<see cref="AwsIdentifiers"/>): one rule for both, case-sensitive unlike ValidatePattern, and an error that names
/// the value and what is allowed. The kind is given as <c>nameof(AwsIdentifierKind.X)</c>: PowerShell reads the
/// attributes while it imports the module, before the engine assemblies can be resolved, so the attribute's own
/// signature names no engine type.
/// </summary>
public sealed class ValidateAwsIdentifierAttribute : ValidateEnumeratedArgumentsAttribute
{
    public ValidateAwsIdentifierAttribute(string kind) => Kind = kind;

    /// <summary>The name of an <see cref="AwsIdentifierKind"/>.</summary>
    public string Kind { get; }

    protected override void ValidateElement(object element)
    {
        var value = element is PSObject wrapped ? wrapped.BaseObject : element;
        if (AwsIdentifiers.Problem((AwsIdentifierKind)Enum.Parse(typeof(AwsIdentifierKind), Kind), value as string, "The value") is { } problem)
        {
            throw new ValidationMetadataException(problem);
        }
    }
}
