namespace CloudPatterns.LocalCloud.Services.Ssm;

/// <summary>One version of a Parameter Store parameter. Immutable; a new PutParameter makes a new version.</summary>
internal sealed record SsmParameterVersion(
    string Name,
    string Type,
    string Value,
    long Version,
    DateTimeOffset LastModifiedDate,
    string LastModifiedUser,
    string? Description,
    string? KeyId,
    string? AllowedPattern,
    string Tier,
    string DataType);

/// <summary>A parameter of one account and region: its versions (oldest first), labels per version and tags.</summary>
internal sealed class SsmParameter(string arn)
{
    public string Arn { get; } = arn;

    public List<SsmParameterVersion> Versions { get; } = [];

    /// <summary>Label -> version; a label names one version at a time (LabelParameterVersion moves it).</summary>
    public Dictionary<string, long> Labels { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);

    public SsmParameterVersion Latest => Versions[^1];

    public IReadOnlyList<string> LabelsOf(long version) =>
        Labels.Where(label => label.Value == version).Select(label => label.Key).Order(StringComparer.Ordinal).ToList();
}

/// <summary>What a parameter reference (name, name:version, name:label) resolves to, with the selector it used.</summary>
internal sealed record SsmSelection(SsmParameterVersion Parameter, string Arn, string? Selector);

/// <summary>A parameter as listed: its latest version, every label it has, and its tags.</summary>
internal sealed record SsmListing(SsmParameterVersion Latest, IReadOnlyList<string> Labels, IReadOnlyDictionary<string, string> Tags);
