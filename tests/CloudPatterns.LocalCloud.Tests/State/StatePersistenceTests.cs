using System.Net;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using CloudPatterns.LocalCloud.Services.CloudWatch;
using CloudPatterns.LocalCloud.Services.Efs;

namespace CloudPatterns.LocalCloud.Tests.State;

/// <summary>--state: what one LocalCloud run holds is there again after a restart with the same file.</summary>
public sealed class StatePersistenceTests : IDisposable
{
    private readonly string statePath = Path.Combine(Path.GetTempPath(), $"localcloud-state-{Guid.NewGuid():N}", "state.json");

    [Fact]
    public async Task Restart_WithTheSameStateFile_KeepsBucketsLocksTopicsMessagesAlarmsFileSystemsAndTheClock()
    {
        string versionId;
        await using (var first = await LocalCloudServer.StartAsync(new LocalCloudOptions { StatePath = statePath }))
        {
            first.Clock.Advance(TimeSpan.FromDays(3));
            using var s3 = Client(first);
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = "kept", BucketRegion = S3Region.USEast2, ObjectLockEnabledForBucket = true });
            versionId = (await s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = "kept",
                Key = "evidence.json",
                ContentBody = "{}",
                ObjectLockMode = ObjectLockMode.Compliance,
                ObjectLockRetainUntilDate = first.Clock.GetUtcNow().AddDays(30).UtcDateTime,
                ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
            })).VersionId;

            var state = first.State;
            var topic = state.Sns.CreateTopic("111111111111", "us-east-2", "kept-topic", new Dictionary<string, string>());
            state.Sns.Publish("111111111111", topic, "subject", "kept message", new Dictionary<string, string>());
            state.CloudWatch.PutMetricAlarm(new MetricAlarm
            {
                AlarmName = "kept-alarm",
                AlarmArn = "arn:aws:cloudwatch:us-east-2:111111111111:alarm:kept-alarm",
                AccountId = "111111111111",
                Region = "us-east-2",
                MetricName = "Failures",
                Namespace = "CloudPatterns",
                Statistic = "Sum",
                Period = 60,
                EvaluationPeriods = 1,
                Threshold = 1,
                ComparisonOperator = "GreaterThanOrEqualToThreshold",
                AlarmConfigurationUpdatedTimestamp = first.Clock.GetUtcNow(),
            });
            var fileSystem = state.Efs.CreateFileSystem("111111111111", "us-east-2", new FileSystemRequest("kept-files", null, null, null, true, null, null, true, [new EfsTag("Name", "kept")]), waited: true);
            state.Efs.Store.Change("111111111111", "us-east-2", fileSystem.Id, kept => kept.Files["/kept.txt"] = "kept file"u8.ToArray());
        }

        await using var second = await LocalCloudServer.StartAsync(new LocalCloudOptions { StatePath = statePath });

        Assert.InRange(second.Clock.Offset, TimeSpan.FromDays(3), TimeSpan.FromDays(3.01));
        using var client = Client(second);
        var retention = await client.GetObjectRetentionAsync(new GetObjectRetentionRequest { BucketName = "kept", Key = "evidence.json", VersionId = versionId });
        Assert.Equal(ObjectLockRetentionMode.Compliance, retention.Retention.Mode);
        var refusal = await Assert.ThrowsAsync<AmazonS3Exception>(() =>
            client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = "kept", Key = "evidence.json", VersionId = versionId }));
        Assert.Equal("AccessDenied", refusal.ErrorCode);
        using var read = await client.GetObjectAsync(new GetObjectRequest { BucketName = "kept", Key = "evidence.json", ChecksumMode = ChecksumMode.ENABLED });
        Assert.Equal("{}", await new StreamReader(read.ResponseStream).ReadToEndAsync());

        Assert.Equal("kept message", Assert.Single(second.State.Sns.Messages("arn:aws:sns:us-east-2:111111111111:kept-topic")).Message);
        Assert.Equal("kept-alarm", Assert.Single(second.State.CloudWatch.DescribeAlarms("111111111111", "us-east-2").Alarms).AlarmName);
        var keptFileSystem = Assert.Single(second.State.Efs.Store.List("111111111111", "us-east-2", null, "kept-files")).FileSystem;
        Assert.Equal(("available", "kept", "ENABLED"), (keptFileSystem.LifeCycleState(second.Clock.GetUtcNow()), keptFileSystem.Name, keptFileSystem.BackupPolicy));
        Assert.Equal("kept file"u8.ToArray(), keptFileSystem.Files["/kept.txt"]);
    }

    [Fact]
    public async Task SaveEndpoint_WritesTheFileWhileRunning_AndWithoutStateIsAConflict()
    {
        await using var server = await LocalCloudServer.StartAsync(new LocalCloudOptions { StatePath = statePath });
        server.State.S3.CreateBucket("111111111111", "us-east-2", "saved-bucket", objectLockEnabled: false);
        using var http = new HttpClient { BaseAddress = server.Url };

        var saved = await http.PostAsync("/_localcloud/state/save", null);

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var document = JsonNode.Parse(await File.ReadAllTextAsync(statePath))!;
        // Beside the seed's production bucket.
        Assert.Contains("saved-bucket", document["parts"]!["s3"]!.AsArray().Select(bucket => bucket!["name"]!.GetValue<string>()));

        await using var stateless = await LocalCloudServer.StartAsync(new LocalCloudOptions());
        using var statelessHttp = new HttpClient { BaseAddress = stateless.Url };
        Assert.Equal(HttpStatusCode.Conflict, (await statelessHttp.PostAsync("/_localcloud/state/save", null)).StatusCode);
    }

    [Fact]
    public async Task StateFile_WithAPartNoServiceRegisters_IsRefusedAtStart()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(statePath)!);
        await File.WriteAllTextAsync(statePath, """{"format":"cloudpatterns-localcloud-state/1","parts":{"quantum":{}}}""");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => LocalCloudServer.StartAsync(new LocalCloudOptions { StatePath = statePath }));

        Assert.Contains("'quantum'", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        // A test that failed before anything was written leaves no directory to clean up.
        var directory = Path.GetDirectoryName(statePath)!;
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static AmazonS3Client Client(LocalCloudServer server)
    {
        var key = server.Organization.ManagementCredentials;
        return new AmazonS3Client(
            new BasicAWSCredentials(key.AccessKeyId, key.SecretAccessKey),
            new AmazonS3Config { ServiceURL = server.Url.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-2", MaxErrorRetry = 0 });
    }
}
