using System.Collections.Generic;
using System.Linq;

namespace CloudPatterns.Core.Deployment;

/// <summary>A property of a drifted resource: what the template says and what the resource has.</summary>
public sealed class PropertyDrift
{
    internal PropertyDrift(string propertyPath, string? expectedValue, string? actualValue, string differenceType)
    {
        PropertyPath = propertyPath;
        ExpectedValue = expectedValue;
        ActualValue = actualValue;
        DifferenceType = differenceType;
    }

    /// <summary>JSON pointer into the resource's properties, e.g. /RetentionInDays.</summary>
    public string PropertyPath { get; }

    public string? ExpectedValue { get; }

    public string? ActualValue { get; }

    /// <summary>ADD, REMOVE or NOT_EQUAL.</summary>
    public string DifferenceType { get; }

    public override string ToString() => $"{PropertyPath}: expected {ExpectedValue ?? "(none)"}, actual {ActualValue ?? "(none)"}";
}

/// <summary>A resource changed outside git.</summary>
public sealed class DriftedResource
{
    internal DriftedResource(string logicalResourceId, string resourceType, string? physicalResourceId, string driftStatus, IReadOnlyList<PropertyDrift> properties)
    {
        LogicalResourceId = logicalResourceId;
        ResourceType = resourceType;
        PhysicalResourceId = physicalResourceId;
        DriftStatus = driftStatus;
        Properties = properties;
    }

    public string LogicalResourceId { get; }

    public string ResourceType { get; }

    public string? PhysicalResourceId { get; }

    /// <summary>MODIFIED or DELETED.</summary>
    public string DriftStatus { get; }

    public IReadOnlyList<PropertyDrift> Properties { get; }

    public override string ToString() => DriftStatus == "DELETED"
        ? $"{LogicalResourceId} deleted"
        : $"{LogicalResourceId} {string.Join("; ", Properties.Select(p => p.ToString()))}";
}
