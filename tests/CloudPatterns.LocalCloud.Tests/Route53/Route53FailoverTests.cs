namespace CloudPatterns.LocalCloud.Tests.Route53;

/// <summary>
/// Failover to a load balancer LocalCloud runs (python/route53_failover_client.py, boto3): the SECONDARY alias with
/// EvaluateTargetHealth takes traffic only once the ALB's targets are healthy on the sandbox clock.
/// </summary>
public sealed class Route53FailoverTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task Traffic_moves_to_the_dr_load_balancer_only_once_it_has_a_healthy_target()
    {
        var result = await AwsClients.RunPythonScriptAsync(cloud.Server, cloud.Management, "route53_failover_client.py", "dns-failover");

        Assert.Equal("CREATE_COMPLETE", result.GetProperty("status").GetString());
        var balancer = result.GetProperty("balancer").GetString()!.ToLowerInvariant() + ".";
        Assert.Equal("[\"PRIMARY\", [\"198.51.100.80\"]]", result.GetProperty("healthy").GetRawText());
        Assert.Equal("[\"PRIMARY\", [\"198.51.100.80\"]]", result.GetProperty("primaryDownTargetsRegistering").GetRawText());
        Assert.Equal($"[\"SECONDARY\", [\"{balancer}\"]]", result.GetProperty("primaryDownTargetsHealthy").GetRawText());
        Assert.Equal("[\"PRIMARY\", [\"198.51.100.80\"]]", result.GetProperty("primaryBack").GetRawText());
    }
}
