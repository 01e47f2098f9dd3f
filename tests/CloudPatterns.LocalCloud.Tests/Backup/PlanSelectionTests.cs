using System.Security.Cryptography;
using System.Text;
using CloudPatterns.LocalCloud.Tests.Support;

namespace CloudPatterns.LocalCloud.Tests.Backup;

/// <summary>
/// Backup plans select buckets and instances, through boto3 (python/backup_kinds_client.py "plans"): an hourly
/// continuous rule with a tag selection and NotResources keeps one continuous point per versioned bucket, brought up to
/// date by every run, snapshots (images) of the instance, copies of both; an unversioned bucket's jobs fail naming
/// versioning; an excluded or untagged bucket gets no job.
/// </summary>
public sealed class PlanSelectionTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task An_hourly_continuous_plan_backs_up_the_tagged_buckets_and_instance_and_copies_them()
    {
        var production = fixture.Organization.Accounts.Single(account => account.Name == "production");
        await fixture.MoveClockToNextMidnightAsync();
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.AdminOf(production.Id), "backup_kinds_client.py", "plans", production.Id);
        var instanceArn = $"arn:aws:ec2:{fixture.Organization.PrimaryRegion}:{production.Id}:instance/{results.Text("Instance")}";
        var jobs = results.GetProperty("Jobs").EnumerateArray().ToList();
        var points = results.GetProperty("Points").EnumerateArray().ToList();

        Assert.Equal(
            [instanceArn, "arn:aws:s3:::plan-orders", "arn:aws:s3:::plan-unversioned"],
            jobs.Select(job => job.Text("ResourceArn")!).Distinct().Order(StringComparer.Ordinal).ToList());
        Assert.True(jobs.Count(job => job.Text("ResourceArn") == instanceArn) >= 3, $"{jobs.Count} jobs");
        Assert.All(jobs.Where(job => job.Text("ResourceArn") != "arn:aws:s3:::plan-unversioned"), job => Assert.Equal("COMPLETED", job.Text("State")));
        Assert.All(jobs.Where(job => job.Text("ResourceArn") == "arn:aws:s3:::plan-unversioned"), job =>
        {
            Assert.Equal("FAILED", job.Text("State"));
            Assert.Contains("plan-unversioned has versioning never enabled", job.Text("StatusMessage"), StringComparison.Ordinal);
        });

        var bucketPoint = Assert.Single(points, point => point.Text("ResourceArn") == "arn:aws:s3:::plan-orders");
        Assert.Matches("^arn:aws:backup:[a-z0-9-]+:[0-9]{12}:recovery-point:continuous:plan-orders-[0-9a-f]{8}$", bucketPoint.Text("RecoveryPointArn"));
        Assert.Equal("S3", bucketPoint.Text("ResourceType"));
        var instancePoints = points.Where(point => point.Text("ResourceArn") == instanceArn).ToList();
        Assert.Equal(jobs.Count(job => job.Text("ResourceArn") == instanceArn), instancePoints.Count);
        Assert.All(instancePoints, point => Assert.DoesNotContain(":continuous:", point.Text("RecoveryPointArn"), StringComparison.Ordinal));

        var copies = results.GetProperty("Copies").EnumerateArray().Select(copy => copy.GetString()).ToList();
        Assert.Equal(instancePoints.Count, copies.Count(copy => copy == instanceArn));
        Assert.Equal(jobs.Count(job => job.Text("ResourceArn") == "arn:aws:s3:::plan-orders"), copies.Count(copy => copy == "arn:aws:s3:::plan-orders"));

        // The continuous point holds what the latest run saw: the object put after the first runs comes back.
        Assert.Equal("COMPLETED", results.Text("Restore", "Status"));
        Assert.Equal(
            new Dictionary<string, string> { ["orders/1.json"] = Sha256("""{"order": 1}"""), ["orders/2.json"] = Sha256("""{"order": 2}""") },
            results.GetProperty("Restored").EnumerateObject().ToDictionary(entry => entry.Name, entry => entry.Value.GetString()!));
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
