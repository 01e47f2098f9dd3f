using System.Text.Json;
using static CloudPatterns.LocalCloud.Tests.CloudFormation.EngineFixture;

namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>
/// Stacks whose resources LocalCloud creates in its own services (S3, SNS, CloudWatch, DynamoDB, EC2, RDS, KMS):
/// created from a TemplateURL, seen through each service's API, drifted through those APIs, updated and deleted,
/// all with boto3 over HTTP; and the paginated lists through boto3's paginators and the AWS CLI v1.
/// </summary>
public sealed class ServiceProvisioningApiTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private string AccountId => fixture.Organization.ManagementAccountId;

    private string Region => fixture.Organization.PrimaryRegion;

    [Fact]
    public async Task StackResourcesLiveInTheirServicesDriftThroughThemAndGoWithTheStack()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "provisioning_client.py", "services",
            "services", Path.Combine(TemplatesDirectory, "valid/service-resources.yaml"), "cfn-templates-111111111111");

        Assert.Equal("One resource of each type LocalCloud provisions in its own services.", result.GetProperty("validated").GetString());
        Assert.Equal(10, result.GetProperty("summaryTypes").GetInt32());
        Assert.Equal("ValidationError: S3 error: The specified key does not exist.", result.GetProperty("missingObject").GetString());
        Assert.Equal("ValidationError: TemplateURL must be an Amazon S3 URL.", result.GetProperty("notS3").GetString());
        Assert.Equal("CREATE_COMPLETE", result.GetProperty("status").GetString());

        var ids = result.GetProperty("ids");
        string Id(string logicalId) => ids.GetProperty(logicalId).GetString()!;
        Assert.Matches("^services-databucket-[0-9a-z]{13}$", Id("DataBucket"));
        var outputs = result.GetProperty("outputs");
        Assert.Equal($"arn:aws:s3:::{Id("DataBucket")}", outputs.GetProperty("DataBucketArn").GetString());
        Assert.Equal($"{Id("DataBucket")}.s3.{Region}.amazonaws.com", outputs.GetProperty("DataBucketDomain").GetString());
        Assert.Equal(Id("AlertTopic").Split(':')[^1], outputs.GetProperty("TopicName").GetString());
        // A topic's GetAtt returns its properties too (docs/localcloud-cloudformation-validation.md, "GetAtt of a property").
        Assert.Equal("Alerts", outputs.GetProperty("TopicDisplayName").GetString());
        Assert.Equal($"arn:aws:dynamodb:{Region}:{AccountId}:table/{Id("Orders")}", outputs.GetProperty("TableArn").GetString());
        Assert.StartsWith(Id("Database") + ".", outputs.GetProperty("DatabaseEndpoint").GetString());

        var s3 = result.GetProperty("s3");
        Assert.Equal([Id("DataBucket"), Id("LockedBucket"), Id("LogBucket")], s3.GetProperty("buckets").EnumerateArray().Select(name => name.GetString()).Order(StringComparer.Ordinal));
        Assert.Equal("Enabled", s3.GetProperty("versioning").GetString());
        Assert.Equal("aws:kms", s3.GetProperty("encryption").GetProperty("SSEAlgorithm").GetString());
        Assert.Equal($"arn:aws:kms:{Region}:{AccountId}:key/{Id("DataKey")}", s3.GetProperty("encryption").GetProperty("KMSMasterKeyID").GetString());
        Assert.True(s3.GetProperty("publicAccessBlock").GetBoolean());
        Assert.Equal((Id("LogBucket"), "data/"), (s3.GetProperty("logging").GetProperty("TargetBucket").GetString(), s3.GetProperty("logging").GetProperty("TargetPrefix").GetString()));
        Assert.Equal("evidence", s3.GetProperty("tags")[0].GetProperty("Value").GetString());
        Assert.Equal("DenyInsecureTransport", s3.GetProperty("policy").GetString());
        Assert.Equal(("GOVERNANCE", 7), (s3.GetProperty("objectLock").GetProperty("Mode").GetString(), s3.GetProperty("objectLock").GetProperty("Days").GetInt32()));

        var sns = result.GetProperty("sns");
        Assert.Equal("Alerts", sns.GetProperty("displayName").GetString());
        Assert.Equal("CloudWatchPublishes", sns.GetProperty("policy").GetString());
        Assert.Equal("[[\"email\", \"oncall@example.com\", true]]", sns.GetProperty("subscriptions").GetRawText());
        var alarm = result.GetProperty("alarm");
        Assert.Equal(80, alarm.GetProperty("threshold").GetDouble());
        Assert.Equal(Id("AlertTopic"), alarm.GetProperty("actions")[0].GetString());
        Assert.Equal(Id("Orders"), result.GetProperty("table")[0].GetString());
        Assert.Equal("orderId", result.GetProperty("table")[1].GetString());
        Assert.Equal($"[\"{Region}a\", 20, \"gp3\", true, [{{\"Key\": \"backup\", \"Value\": \"daily\"}}]]", result.GetProperty("volume").GetRawText());
        Assert.Equal("[\"postgres\", \"db.t4g.medium\", 20]", result.GetProperty("database").GetRawText());

        Assert.Equal(
            $"[[\"ROLLBACK_COMPLETE\", \"{Id("DataBucket")} already exists\"], [\"ROLLBACK_COMPLETE\", \"Resource of type 'AWS::SNS::Topic' with identifier '{Id("AlertTopic")}' already exists.\"]]",
            result.GetProperty("clashes").GetRawText());
        Assert.Equal("[\"DRIFTED\", 2]", result.GetProperty("drift").GetRawText());
        Assert.Equal(
            ["DataBucket/VersioningConfiguration/Status:Enabled->Suspended:NOT_EQUAL", "ErrorAlarm/Threshold:80->95:NOT_EQUAL"],
            result.GetProperty("differences").EnumerateArray().Select(difference => difference.GetString()));
        Assert.Equal("ValidationError: No updates are to be performed.", result.GetProperty("sameTemplate").GetString());
        Assert.Equal(
            ["DataBucket:Modify:MODIFIED:VersioningConfiguration", "ErrorAlarm:Modify:MODIFIED:Threshold"],
            result.GetProperty("revertChanges").EnumerateArray().Select(change => change.GetString()));
        Assert.Equal("REVERT_DRIFT", result.GetProperty("deploymentMode").GetString());
        Assert.Equal("UPDATE_COMPLETE", result.GetProperty("revertStatus").GetString());
        Assert.Equal("[\"Enabled\", 80]", result.GetProperty("reverted").GetRawText());
        Assert.Equal("UPDATE_COMPLETE", result.GetProperty("updated").GetString());
        Assert.Equal("[\"Too many errors in a minute\", 80]", result.GetProperty("updatedAlarm").GetRawText());

        var blocked = result.GetProperty("deleteBlocked");
        Assert.Equal("DELETE_FAILED", blocked[0].GetString());
        Assert.Matches(@"^The bucket you tried to delete is not empty\. You must delete all versions in the bucket\. \(Service: Amazon S3; Status Code: 409; Error Code: BucketNotEmpty; Request ID: [0-9A-F]{16}; S3 Extended Request ID: \S+; Proxy: null\)$", blocked[1].GetString());
        Assert.Equal("DELETE_COMPLETE", result.GetProperty("deleted").GetString());
        Assert.Equal(
            $"[\"404: Not Found\", \"ResourceNotFoundException: Requested resource not found: Table: {Id("Orders")} not found\", \"InvalidVolume.NotFound: The volume '{Id("Scratch")}' does not exist.\", \"DBInstanceNotFound: DBInstance {Id("Database")} not found.\", 0, false]",
            result.GetProperty("gone").GetRawText());
    }

    [Fact]
    public async Task ListsArePagedAsCloudFormationPagesThem()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "provisioning_client.py", "pagination", "us-west-2", "101");

        Assert.Equal("[100, 2]", result.GetProperty("describeStacks").GetRawText());
        Assert.Equal("[100, 2]", result.GetProperty("listStacks").GetRawText());
        Assert.Equal("[100, 10]", result.GetProperty("resources").GetRawText());
        Assert.Equal("[100, 10]", result.GetProperty("exports").GetRawText());
        var events = result.GetProperty("events").EnumerateArray().Select(count => count.GetInt32()).ToList();
        Assert.Equal(332, events.Sum());
        Assert.All(events.SkipLast(1), count => Assert.Equal(100, count));
        Assert.Equal("ValidationError: Invalid NextToken", result.GetProperty("badToken").GetString());

        var cli = await AwsClients.RunCliAsync(AwsCli.V1, fixture.Server, fixture.Management, "cloudformation", "describe-stacks", "--region", "us-west-2");
        Assert.Equal(102, cli.Json.GetProperty("Stacks").GetArrayLength());
        var stacks = cli.Json.GetProperty("Stacks").EnumerateArray().Select(stack => stack.GetProperty("StackName").GetString()).ToList();
        Assert.Equal(stacks.Count, stacks.Distinct().Count());
        var cliEvents = await AwsClients.RunCliAsync(AwsCli.V1, fixture.Server, fixture.Management, "cloudformation", "describe-stack-events", "--stack-name", "many", "--region", "us-west-2");
        Assert.Equal(events.Sum(), cliEvents.Json.GetProperty("StackEvents").GetArrayLength());
        Assert.Equal(events.Sum(), cliEvents.Json.GetProperty("StackEvents").EnumerateArray().Select(stackEvent => stackEvent.GetProperty("EventId").GetString()).Distinct().Count());
    }
}
