using System.Text;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Hosting;

/// <summary>
/// The table of emulated services and operations in docs/localcloud-operations.md, rendered from the registration
/// tables so the documentation cannot drift from the code (a test compares the committed file with this output).
/// Regenerate with <c>dotnet CloudPatterns.LocalCloud.dll --operations-table &gt; docs/localcloud-operations.md</c>.
/// </summary>
internal static class OperationsTable
{
    public static string Render()
    {
        var clock = new LocalCloudClock();
        var catalog = new ServiceCatalog(new LocalCloudState(Seed.SeedLoader.Load(null, 0, clock.GetUtcNow()), clock));
        var text = new StringBuilder()
            .AppendLine("# LocalCloud: emulated services and operations")
            .AppendLine()
            .AppendLine("Generated from LocalCloud's service registrations by `dotnet CloudPatterns.LocalCloud.dll --operations-table`;")
            .AppendLine("a test fails when this file differs from the code. Every operation listed is exercised by the AWS CLI v1,")
            .AppendLine("the AWS CLI v2 and boto3 in tests/CloudPatterns.LocalCloud.Tests.")
            .AppendLine()
            .AppendLine("| Service | Signing name | Protocol | Operations |")
            .AppendLine("|---|---|---|---|");
        foreach (var service in catalog.Services.OrderBy(Title, StringComparer.Ordinal))
        {
            text.AppendLine($"| {Title(service)} | `{service.SigningName}` | {ProtocolName(service)} | {string.Join(", ", service.OperationNames.Order(StringComparer.Ordinal))} |");
        }

        return text.ToString();
    }

    /// <summary>The service's class name without "Service"; short names are acronyms (Sns -> SNS).</summary>
    private static string Title(IAwsService service)
    {
        var name = service.GetType().Name;
        name = name.EndsWith("Service", StringComparison.Ordinal) ? name[..^"Service".Length] : name;
        return name.Length <= 3 ? name.ToUpperInvariant() : name;
    }

    private static string ProtocolName(IAwsService service) => service switch
    {
        QueryCompatibleJsonService => "JSON 1.0 (awsQueryCompatible) and Query",
        { Protocol: AwsProtocol.Query } => "Query",
        { Protocol: AwsProtocol.Json } => "JSON 1.1",
        { Protocol: AwsProtocol.RestJson } => "REST-JSON",
        _ => "REST-XML",
    };
}
