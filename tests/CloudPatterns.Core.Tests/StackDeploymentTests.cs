using CloudPatterns.Aws;
using CloudPatterns.Aws.CloudFormation;
using CloudPatterns.Core.Deployment;
using CloudPatterns.Tests;

namespace CloudPatterns.Core.Tests;

/// <summary>The change-set deployment engine against LocalCloud, with the bundled Multi-AZ template.</summary>
public sealed class StackDeploymentTests : IClassFixture<LocalCloudFixture>, IAsyncLifetime
{
    private static readonly string TemplateBody = File.ReadAllText(Path.Combine(RepositoryRoot(), "templates", "multi-az-web-app.yaml"));
    private readonly LocalCloudFixture cloud;
    private AwsSession session = null!;
    private StackDeployment deployment = null!;

    public StackDeploymentTests(LocalCloudFixture cloud) => this.cloud = cloud;

    public async Task InitializeAsync()
    {
        session = await AwsSession.CreateAsync(cloud.ManagementSettings());
        deployment = new StackDeployment(await session.GetTargetAsync(LocalCloudFixture.ProductionAccountId, LocalCloudFixture.PrimaryRegion));
    }

    public Task DisposeAsync()
    {
        session.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task CreatesThroughAChangeSetReportsEventsAndResolvesOutputs()
    {
        var events = new List<StackProgress>();

        var result = await deployment.DeployAsync(Request("web-create", azCount: 3), StackDeploymentMode.Create, new SynchronousProgress(events.Add));

        Assert.Equal("CREATE_COMPLETE", result.Stack.Status);
        Assert.Contains(result.Changes, c => c.LogicalResourceId == "NatGateway3" && c.Action == "Add");
        Assert.Equal(3, result.Stack.Outputs["PublicSubnetIds"].Split(',').Length);
        Assert.StartsWith("vpc-", result.Stack.Outputs["VpcId"]);
        Assert.False(string.IsNullOrEmpty(result.Stack.Outputs["DatabaseEndpoint"]));
        Assert.Contains(events, e => e.LogicalResourceId == "Database" && e.Status == "CREATE_COMPLETE");
        Assert.Equal("CREATE_COMPLETE", events[^1].Status);
        Assert.Equal("MultiAz", result.Stack.Pattern);
    }

    [Fact]
    public async Task PreviewOfANewStackListsTheResourcesInEffectWithoutMutatingAnything()
    {
        await cloud.ClearRequestsAsync();

        var preview = await deployment.PreviewAsync(Request("web-preview", azCount: 2), StackDeploymentMode.Create);

        Assert.Equal("Create", preview.Operation);
        Assert.All(preview.Changes, c => Assert.Equal("Add", c.Action));
        Assert.Contains(preview.Changes, c => c.LogicalResourceId == "NatGateway2");
        Assert.DoesNotContain(preview.Changes, c => c.LogicalResourceId == "NatGateway3" || c.LogicalResourceId == "DatabaseProxy");
        var operations = (await cloud.RequestsAsync()).Select(r => r.Operation).ToList();
        Assert.Equal(new[] { "DescribeStacks", "ValidateTemplate" }, operations.Where(o => o != "AssumeRole").ToArray());
        Assert.Null(await deployment.DescribeAsync("web-preview"));
    }

    [Fact]
    public async Task UpdatePreviewShowsInPlaceModifyAndUpdateAppliesIt()
    {
        await deployment.DeployAsync(Request("web-update", azCount: 2), StackDeploymentMode.Create);
        var larger = Request("web-update", azCount: 2);
        larger.Parameters["FrontendMinSize"] = "4";

        var preview = await deployment.PreviewAsync(larger, StackDeploymentMode.Update);
        var result = await deployment.DeployAsync(larger, StackDeploymentMode.Update);
        var again = await deployment.DeployAsync(larger, StackDeploymentMode.Update);

        var change = Assert.Single(preview.Changes, c => c.LogicalResourceId == "FrontendAutoScalingGroup");
        Assert.Equal("Modify", change.Action);
        Assert.Equal("False", change.Replacement);
        Assert.Equal("UPDATE_COMPLETE", result.Stack.Status);
        Assert.Equal("4", result.Stack.Parameters["FrontendMinSize"]);
        Assert.Empty(again.Changes);
    }

    [Fact]
    public async Task ASecondCreateWithTheSameNameIsRefusedBeforeAnyChangeSet()
    {
        await deployment.DeployAsync(Request("web-twice", azCount: 2), StackDeploymentMode.Create);
        await cloud.ClearRequestsAsync();

        var refusal = await Assert.ThrowsAsync<StackAlreadyExistsException>(() => deployment.DeployAsync(Request("web-twice", azCount: 2), StackDeploymentMode.Create));

        Assert.Contains("'web-twice' already exists", refusal.Message);
        Assert.DoesNotContain(await cloud.RequestsAsync(), r => r.Operation == "CreateChangeSet");
    }

    [Fact]
    public async Task AFailedCreateNamesTheFailingResourceAndItsReason()
    {
        var broken = new StackDeploymentRequest("web-broken", "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      NoSuchProperty: x\n");

        var failure = await Assert.ThrowsAsync<StackDeploymentFailedException>(() => deployment.DeployAsync(broken, StackDeploymentMode.Create));

        Assert.Equal("ROLLBACK_COMPLETE", failure.Status);
        var resource = Assert.Single(failure.Failures);
        Assert.Equal("Topic", resource.LogicalResourceId);
        Assert.Contains("NoSuchProperty", resource.Reason);
        Assert.Contains("Topic (AWS::SNS::Topic) CREATE_FAILED", failure.Message);
    }

    [Fact]
    public async Task DeleteRefusesWhileTerminationProtectionIsOnAndDeletesOnceOff()
    {
        var request = Request("web-protected", azCount: 2);
        request.Parameters["DbDeletionProtection"] = "false";
        await deployment.DeployAsync(request, StackDeploymentMode.Create);
        await deployment.SetTerminationProtectionAsync("web-protected", enabled: true);

        var refusal = await Assert.ThrowsAsync<StackTerminationProtectedException>(() => deployment.DeleteAsync("web-protected"));
        await deployment.SetTerminationProtectionAsync("web-protected", enabled: false);
        await deployment.DeleteAsync("web-protected");

        Assert.Contains("--no-enable-termination-protection", refusal.Message);
        Assert.Null(await deployment.DescribeAsync("web-protected"));
    }

    [Fact]
    public async Task DeleteRefusesWhileTheDatabaseIsProtectedAndDeletesOnceAnUpdateTurnsItOff()
    {
        var request = Request("web-db-protected", azCount: 2);
        await deployment.DeployAsync(request, StackDeploymentMode.Create);
        var database = (await deployment.GetResourcesAsync("web-db-protected")).Single(resource => resource.LogicalResourceId == "Database").PhysicalResourceId!;

        var refusal = await Assert.ThrowsAsync<StackDbDeletionProtectedException>(() => deployment.DeleteAsync("web-db-protected"));
        var untouched = await deployment.DescribeAsync("web-db-protected");
        request.Parameters["DbDeletionProtection"] = "false";
        await deployment.DeployAsync(request, StackDeploymentMode.Update);
        await deployment.DeleteAsync("web-db-protected");

        Assert.Equal([database], refusal.DbInstances);
        Assert.Contains($"its DB instance(s) or Aurora cluster(s) {database} have deletion protection on", refusal.Message);
        Assert.Contains("Update-MultiAzStack -StackName web-db-protected -AccountId 333333333333 -Region us-east-2 -DbDeletionProtection $false", refusal.Message);
        Assert.Equal("CREATE_COMPLETE", untouched!.Status);
        Assert.Null(await deployment.DescribeAsync("web-db-protected"));
    }

    [Fact]
    public void FailuresLeaveOutCancellationsAndTheStackItself()
    {
        var newestFirst = new[]
        {
            Event("web", "AWS::CloudFormation::Stack", "ROLLBACK_COMPLETE", null),
            Event("Queue", "AWS::SQS::Queue", "CREATE_FAILED", "Resource creation cancelled"),
            Event("web", "AWS::CloudFormation::Stack", "ROLLBACK_IN_PROGRESS", "The following resource(s) failed to create: [Topic]."),
            Event("Topic", "AWS::SNS::Topic", "CREATE_FAILED", "Topic name taken"),
        };

        var failure = Assert.Single(StackDeployment.FailuresFrom(newestFirst, "stack-id"));

        Assert.Equal("Topic (AWS::SNS::Topic) CREATE_FAILED: Topic name taken", failure.ToString());
    }

    private static StackEvent Event(string logicalId, string type, string status, string? reason) =>
        new() { LogicalResourceId = logicalId, ResourceType = type, ResourceStatus = status, ResourceStatusReason = reason, EventId = Guid.NewGuid().ToString() };

    private static StackDeploymentRequest Request(string stackName, int azCount)
    {
        var request = new StackDeploymentRequest(stackName, TemplateBody);
        request.Parameters["AzCount"] = azCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        request.Parameters["CertificateArn"] = "arn:aws:acm:us-east-2:333333333333:certificate/11111111-2222-3333-4444-555555555555";
        request.Tags["cloudpatterns:pattern"] = "MultiAz";
        request.Capabilities.Add("CAPABILITY_IAM");
        return request;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "CloudPatterns.sln")))
        {
            directory = directory.Parent ?? throw new InvalidOperationException("The tests run outside the repository.");
        }

        return directory.FullName;
    }

    // Progress<T> posts to the thread pool; the test wants the events in order by the time the call returns.
    private sealed class SynchronousProgress(Action<StackProgress> report) : IProgress<StackProgress>
    {
        public void Report(StackProgress value) => report(value);
    }
}
