using Amazon.Runtime;
using CloudPatterns.Aws.CloudFormation;
using CloudPatterns.Aws.Protocol;
using CloudPatterns.Aws.Diagnostics;
using CloudPatterns.Aws.Routing;
using CloudPatterns.Tests;

namespace CloudPatterns.Aws.Tests;

/// <summary>
/// The module's Route 53 client (the records a DR failover switches) under LocalCloud's request faults
/// (docs/localcloud-faults.md): throttled and 5xx calls are retried until they get through; a 5xx that persists fails
/// the change after the transient budget, and the record is as it was.
/// </summary>
public sealed class Route53FaultTests : IClassFixture<LocalCloudFixture>, IAsyncLifetime
{
    private const string RecordName = "www.faults.example.com.";
    private readonly LocalCloudFixture cloud;
    private readonly List<AwsCallRecord> calls = new();
    private AwsSession session = null!;
    private Route53Client route53 = null!;
    private string zoneId = "";

    public Route53FaultTests(LocalCloudFixture cloud) => this.cloud = cloud;

    public async Task InitializeAsync()
    {
        AwsConnectionSettings settings = cloud.ManagementSettings();
        settings.AwsCallCompleted = calls.Add;
        session = await AwsSession.CreateAsync(settings);
        AwsTarget target = await session.GetTargetAsync(session.CallerAccountId);
        route53 = target.Route53;
        zoneId = await CreateZoneAsync(target.CloudFormation);
    }

    public async Task DisposeAsync()
    {
        await cloud.ClearFaultsAsync();
        session.Dispose();
    }

    [Fact]
    public async Task Throttled_and_5xx_reads_are_retried_until_they_get_through()
    {
        await cloud.SetFaultAsync(new { service = "route53", operation = "ListResourceRecordSets", throttleRate = 0.3 });
        await AllReadsGetThroughAsync("Throttling");
        await cloud.ClearFaultsAsync();
        await cloud.SetFaultAsync(new { service = "route53", operation = "ListResourceRecordSets", errorRate = 0.3, errorCode = "InternalFailure" });
        await AllReadsGetThroughAsync("InternalFailure");
    }

    [Fact]
    public async Task A_change_that_keeps_failing_with_5xx_fails_after_the_transient_budget_and_moves_nothing()
    {
        await cloud.SetFaultAsync(new { service = "route53", operation = "ChangeResourceRecordSets", errorRate = 1.0, errorCode = "ServiceUnavailable" });
        await cloud.ClearRequestsAsync();
        var change = new ChangeResourceRecordSetsRequest
        {
            HostedZoneId = zoneId,
            ChangeBatch = new ChangeBatch
            {
                Changes =
                {
                    new Routing.Change { Action = "UPSERT", ResourceRecordSet = new ResourceRecordSet { Name = RecordName, Type = "A", TTL = 60, ResourceRecords = new() { new ResourceRecord { Value = "198.51.100.20" } } } },
                },
            },
        };

        var error = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => route53.ChangeResourceRecordSetsAsync(change));

        Assert.Equal("ServiceUnavailable", error.ErrorCode);
        Assert.Equal(ThrottlingRetryPolicy.MaxThrottledAttempts, (await cloud.RequestsAsync()).Count(r => r.Operation == "ChangeResourceRecordSets"));
        await cloud.ClearFaultsAsync();
        var record = Assert.Single(await route53.ListAllResourceRecordSetsAsync(zoneId), r => r.Name == RecordName && r.Type == "A");
        Assert.Equal("198.51.100.10", Assert.Single(record.ResourceRecords!).Value);
    }

    private async Task AllReadsGetThroughAsync(string fault)
    {
        await cloud.ClearRequestsAsync();
        calls.Clear();
        for (int read = 0; read < 30; read++)
        {
            Assert.Contains(await route53.ListAllResourceRecordSetsAsync(zoneId), r => r.Name == RecordName);
        }

        var requests = (await cloud.RequestsAsync()).Where(r => r.Operation == "ListResourceRecordSets").ToList();
        Assert.Equal(30, requests.Count(r => r.StatusCode == 200));
        Assert.True(requests.Count > 30, $"No {fault} answer in {requests.Count} requests: the fault did not reach the client.");
        Assert.Equal(requests.Count - 30, calls.Where(c => c.Operation == "ListResourceRecordSets").Sum(c => c.Retries));
    }

    /// <summary>A public zone with one A record (198.51.100.10), made by a CloudFormation stack; returns its id.</summary>
    private static async Task<string> CreateZoneAsync(CloudFormationClient cloudFormation)
    {
        string stack = "route53-faults-" + Guid.NewGuid().ToString("N")[..8];
        const string template = """
            Resources:
              Zone:
                Type: AWS::Route53::HostedZone
                Properties:
                  Name: faults.example.com
              Record:
                Type: AWS::Route53::RecordSet
                Properties:
                  HostedZoneId: !Ref Zone
                  Name: www.faults.example.com
                  Type: A
                  TTL: '60'
                  ResourceRecords: ['198.51.100.10']
            Outputs:
              ZoneId:
                Value: !Ref Zone
            """;
        await cloudFormation.CreateChangeSetAsync(new CreateChangeSetRequest { StackName = stack, ChangeSetName = "create", ChangeSetType = "CREATE", TemplateBody = template });
        for (int attempt = 0; attempt < 200; attempt++)
        {
            var changeSet = await cloudFormation.DescribeChangeSetAsync(new DescribeChangeSetRequest { StackName = stack, ChangeSetName = "create" });
            if (changeSet.Status == "CREATE_COMPLETE")
            {
                break;
            }

            await Task.Delay(50);
        }

        await cloudFormation.ExecuteChangeSetAsync(new ExecuteChangeSetRequest { StackName = stack, ChangeSetName = "create" });
        for (int attempt = 0; attempt < 200; attempt++)
        {
            Stack found = (await cloudFormation.DescribeStacksAsync(new DescribeStacksRequest { StackName = stack })).Stacks.Single();
            if (found.StackStatus == "CREATE_COMPLETE")
            {
                return found.Outputs.Single(o => o.OutputKey == "ZoneId").OutputValue!;
            }

            Assert.DoesNotContain("FAILED", found.StackStatus ?? "", StringComparison.Ordinal);
            await Task.Delay(50);
        }

        throw new TimeoutException($"Stack {stack} was not created.");
    }
}
