using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.Events;

/// <summary>
/// "AWS API Call via CloudTrail" events (python/cloudtrail_client.py): every write call LocalCloud serves reaches a rule
/// on the caller's default bus in the call's region, with eventSource, eventName, userIdentity and requestParameters as
/// CloudTrail records them; refused calls carry errorCode; reads, data events, other regions and secrets do not appear.
/// </summary>
public sealed class CloudTrailEventsTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private const string Production = "333333333333";

    [Fact]
    public async Task WriteCallsReachEventBridgeAsCloudTrailRecordsThem()
    {
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.AdminOf(Production), "cloudtrail_client.py", Production);
        await fixture.Server.State.EventDelivery.DrainAsync();
        var events = fixture.Server.State.Sns.Messages(results.Text("topic")).Select(message => JsonDocument.Parse(message.Message).RootElement).ToList();
        var calls = events.Select(item => $"{item.Text("source")} {item.At("detail", "eventName").GetString()}").Order(StringComparer.Ordinal).ToList();
        JsonElement Call(string name, bool failed = false) => events.Single(item => item.At("detail", "eventName").GetString() == name && item.GetProperty("detail").TryGetProperty("errorCode", out _) == failed).GetProperty("detail");

        // Deliveries run concurrently, so in name order. The rule's PutTargets came after the rule existed; PutRule before.
        Assert.Equal(
            ["aws.events PutTargets", "aws.logs CreateLogGroup", "aws.logs CreateLogStream", "aws.logs DeleteRetentionPolicy", "aws.logs PutRetentionPolicy", "aws.logs PutRetentionPolicy", "aws.ssm PutParameter"],
            calls);
        Assert.All(events, item =>
        {
            Assert.Equal("AWS API Call via CloudTrail", item.Text("detail-type"));
            Assert.Equal(Production, item.Text("account"));
            Assert.Equal("us-east-2", item.Text("region"));
            Assert.Equal("us-east-2", item.At("detail", "awsRegion").GetString());
            Assert.Equal("AwsApiCall", item.At("detail", "eventType").GetString());
            Assert.False(item.At("detail", "readOnly").GetBoolean());
        });

        var retention = Call("PutRetentionPolicy");
        Assert.Equal("logs.amazonaws.com", retention.Text("eventSource"));
        Assert.Equal("/app/orders", retention.At("requestParameters", "logGroupName").GetString());
        Assert.Equal(14, retention.At("requestParameters", "retentionInDays").GetInt32());
        Assert.Equal("IAMUser", retention.At("userIdentity", "type").GetString());
        Assert.Equal($"arn:aws:iam::{Production}:user/admin", retention.At("userIdentity", "arn").GetString());
        Assert.Equal("admin", retention.At("userIdentity", "userName").GetString());
        Assert.False(retention.TryGetProperty("errorCode", out _));

        var refused = Call("PutRetentionPolicy", failed: true);
        Assert.Equal("InvalidParameterException", refused.Text("errorCode"));
        Assert.Equal(results.Text("refused"), $"{refused.Text("errorCode")}: {refused.Text("errorMessage")}");

        var parameter = Call("PutParameter");
        Assert.Equal("HIDDEN_DUE_TO_SECURITY_REASONS", parameter.At("requestParameters", "value").GetString());
        Assert.DoesNotContain("s3cr3t-value", fixture.Server.State.Sns.Messages(results.Text("topic")).Select(message => message.Message), StringComparer.Ordinal);

        var operatorCall = Call("DeleteRetentionPolicy").GetProperty("userIdentity");
        Assert.Equal("AssumedRole", operatorCall.Text("type"));
        Assert.Equal($"arn:aws:sts::{Production}:assumed-role/operator/gitops", operatorCall.Text("arn"));
        Assert.Equal(results.Text("operatorKey"), operatorCall.Text("accessKeyId"));
        Assert.Equal($"arn:aws:iam::{Production}:role/operator", operatorCall.At("sessionContext", "sessionIssuer", "arn").GetString());
        Assert.Equal("operator", operatorCall.At("sessionContext", "sessionIssuer", "userName").GetString());
    }
}
