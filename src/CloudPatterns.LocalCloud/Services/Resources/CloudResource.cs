namespace CloudPatterns.LocalCloud.Services.Resources;

/// <summary>
/// A resource that Backup can protect and restore (RDS DB instance, EBS volume, DynamoDB table). Immutable: a
/// change replaces the record in <see cref="CloudResourceStore"/>.
/// </summary>
/// <param name="Name">DB instance identifier, volume id or table name.</param>
/// <param name="Attributes">Kind-specific properties (engine, size, availability zone, key schema…) as the describe calls and restore metadata report them.</param>
internal sealed record CloudResource(
    ResourceKind Kind,
    string AccountId,
    string Region,
    string Name,
    DateTimeOffset CreationTime,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyDictionary<string, string> Attributes)
{
    public string Arn { get; } = Kind.Arn(Region, AccountId, Name);
}
