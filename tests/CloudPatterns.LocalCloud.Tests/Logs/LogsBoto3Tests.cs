using System.Globalization;
using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.Logs;

/// <summary>CloudWatch Logs through boto3 (python/logs_client.py): groups, retention, PutLogEvents' rules, reading, filter patterns.</summary>
public sealed class LogsBoto3Tests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task LogGroupsStreamsAndEvents_BehaveAsCloudWatchLogsDocuments()
    {
        var now = fixture.Server.State.Clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "logs_client.py", now);

        Assert.StartsWith("ResourceAlreadyExistsException:", results.Text("duplicateGroup"), StringComparison.Ordinal);
        Assert.Contains("Member must satisfy regular expression pattern", results.Text("badGroupName"), StringComparison.Ordinal);
        Assert.StartsWith("InvalidParameterException: 1 validation error detected: Value '2' at 'retentionInDays'", results.Text("badRetention"), StringComparison.Ordinal);
        Assert.Equal("ResourceNotFoundException: The specified log group does not exist.", results.Text("retentionMissingGroup"));
        Assert.StartsWith("ResourceAlreadyExistsException:", results.Text("duplicateStream"), StringComparison.Ordinal);
        Assert.Equal("ResourceNotFoundException: The specified log group does not exist.", results.Text("streamMissingGroup"));

        Assert.Equal(JsonValueKind.Null, results.GetProperty("putRejected").ValueKind);
        Assert.Equal("InvalidParameterException: Log events in a single PutLogEvents request must be in chronological order.", results.Text("outOfOrder"));
        Assert.StartsWith("InvalidParameterException: Upload too large", results.Text("tooLarge"), StringComparison.Ordinal);
        Assert.Equal("ResourceNotFoundException: The specified log stream does not exist.", results.Text("missingStream"));
        var rejected = results.GetProperty("edgesRejected");
        Assert.Equal(1, rejected.GetProperty("tooOldLogEventEndIndex").GetInt32());
        Assert.Equal(2, rejected.GetProperty("expiredLogEventEndIndex").GetInt32());
        Assert.Equal(3, rejected.GetProperty("tooNewLogEventStartIndex").GetInt32());
        Assert.Equal(["kept"], Strings(results.GetProperty("edgesKept")));

        var pages = results.GetProperty("pages").EnumerateArray().Select(Strings).ToList();
        Assert.Equal(["START run", "{\"level\":", "{\"level\":", "ERROR cop"], pages[0]);
        Assert.Equal(["WARN slow", "END run-1"], pages[1]);
        Assert.Empty(pages[2]);
        Assert.True(results.GetProperty("endTokenRepeats").GetBoolean());
        Assert.Equal(["WARN slow restore", "END run-1"], Strings(results.GetProperty("tail")));
        Assert.Equal(6, results.GetProperty("byArn").GetInt32());

        var filter = results.GetProperty("filter");
        Assert.Equal(["ERROR copy failed fo"], Strings(filter.GetProperty("terms")));
        Assert.Equal(["WARN slow restore"], Strings(filter.GetProperty("quoted")));
        Assert.Equal(["END run-1"], Strings(filter.GetProperty("excluded")));
        Assert.Equal(["START run-1", "WARN slow restore"], Strings(filter.GetProperty("anyOf")));
        Assert.Equal(["{\"level\": \"ERROR\", \""], Strings(filter.GetProperty("jsonString")));
        Assert.Equal(["{\"level\": \"ERROR\", \""], Strings(filter.GetProperty("jsonNumber")));
        Assert.Equal(["{\"level\": \"ERROR\", \"", "{\"level\": \"INFO\", \"j"], Strings(filter.GetProperty("jsonOr")));
        Assert.Empty(Strings(filter.GetProperty("jsonAnd")));
        Assert.Equal(["{\"level\": \"INFO\", \"j"], Strings(filter.GetProperty("notExists")));
        Assert.Equal(["END run-1"], Strings(filter.GetProperty("prefix")));
        Assert.Empty(Strings(filter.GetProperty("none")));
        Assert.Equal(2, results.GetProperty("filterPaged")[0].GetInt32());
        Assert.True(results.GetProperty("filterPaged")[1].GetBoolean());
        Assert.Equal("InvalidParameterException: Invalid filter pattern", results.Text("invalidPattern"));
        Assert.Equal("InvalidParameterException: Invalid filter pattern", results.Text("regexTerm"));

        var groups = results.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal("/app/orchestrator", groups[0][0].GetString());
        Assert.Equal(7, groups[0][1].GetInt32());
        Assert.Equal("arn:aws:logs:us-east-2:111111111111:log-group:/app/orchestrator:*", groups[0][2].GetString());
        Assert.Equal("/app/other", groups[1][0].GetString());
        Assert.Equal(JsonValueKind.Null, groups[1][1].ValueKind);
        Assert.Equal(["edges", "2026/12/05/run-1", "2026/12/05/run-2"], Strings(results.GetProperty("streams")));
        Assert.Equal("InvalidParameterException: Cannot order by LastEventTime with a logStreamNamePrefix.", results.Text("orderWithPrefix"));
        Assert.False(results.GetProperty("retentionAfterDelete").GetBoolean());
        Assert.Equal("ResourceNotFoundException: The specified log group does not exist.", results.Text("deleteMissing"));
    }

    private static List<string?> Strings(JsonElement array) => array.EnumerateArray().Select(item => item.GetString()).ToList();
}
