using System.Text.Json;
using CloudPatterns.LocalCloud.Tests.Lambda;

namespace CloudPatterns.LocalCloud.Tests.Events;

/// <summary>
/// EventBridge through boto3 (python/events_client.py): a rule's Lambda target runs only once the function's policy lets
/// events.amazonaws.com invoke it for that rule; PutEvents refuses entries as AWS does; AWS Backup's copy job reaches
/// a rule on the default bus with the detail AWS documents.
/// </summary>
public sealed class EventBridgeBoto3Tests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private const string Production = "333333333333";

    [Fact]
    public async Task RulesDeliverCustomAndBackupEventsToLambdaThatAllowsEventBridge()
    {
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.AdminOf(Production), "events_client.py", TestFunctionPackage.ZipPath, Production);

        Assert.Equal($"arn:aws:events:us-east-2:{Production}:rule/big-orders", results.Text("ruleArn"));
        Assert.StartsWith("InvalidEventPatternException: Event pattern is not valid. Reason: ", results.Text("badPattern"), StringComparison.Ordinal);
        Assert.Equal("ValidationException: Parameter(s) EventPattern or ScheduleExpression must be specified.", results.Text("noPatternNorSchedule"));
        Assert.Equal(0, results.GetProperty("put1").GetInt32());
        Assert.Equal(1, results.GetProperty("failedInvocations").GetDouble());
        Assert.Equal(3, results.At("put2", "failed").GetInt32());
        Assert.Equal(["ok", "ok", "NotAuthorizedForSourceException", "MalformedDetail", "InvalidArgument"],
            results.At("put2", "entries").EnumerateArray().Select(entry => entry.GetString()).ToList());
        Assert.Equal("Parameter Source is not valid. Reason: Source is a required argument.", results.At("put2", "messages")[4].GetString());

        var delivered = results.GetProperty("events").EnumerateArray().ToList();
        // Order 1 came before the permission, order 3 does not match: only order 2 and the completed copy arrive.
        var order = Assert.Single(delivered, item => item.Text("source") == "app.orders");
        Assert.Equal(2, order.At("detail", "n").GetInt32());
        Assert.Equal("Order Placed", order.Text("detail-type"));
        Assert.Equal(Production, order.Text("account"));
        Assert.Equal("0", order.Text("version"));

        var copy = Assert.Single(delivered, item => item.Text("source") == "aws.backup");
        Assert.Equal("Copy Job State Change", copy.Text("detail-type"));
        Assert.Equal("us-east-2", copy.Text("region"));
        Assert.Equal([results.Text("recoveryPointArn")], copy.GetProperty("resources").EnumerateArray().Select(item => item.GetString()).ToList());
        var detail = copy.GetProperty("detail");
        Assert.Equal(results.Text("copyJobId"), detail.Text("copyJobId"));
        Assert.Equal("COMPLETED", detail.Text("state"));
        Assert.Equal(results.Text("copyJob"), detail.Text("destinationRecoveryPointArn"));
        Assert.Equal($"arn:aws:backup:us-east-2:{Production}:backup-vault:events-source", detail.Text("sourceBackupVaultArn"));
        Assert.Equal($"arn:aws:backup:us-east-2:{Production}:backup-vault:events-copies", detail.Text("destinationBackupVaultArn"));
        Assert.Equal($"arn:aws:rds:us-east-2:{Production}:db:production-db", detail.Text("resourceArn"));
        Assert.Equal("RDS", detail.Text("resourceType"));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", detail.Text("completionDate"));
        Assert.Equal(JsonValueKind.Number, detail.GetProperty("backupSizeInBytes").ValueKind);
    }
}
