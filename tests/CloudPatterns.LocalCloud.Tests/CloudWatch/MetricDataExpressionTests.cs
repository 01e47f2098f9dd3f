namespace CloudPatterns.LocalCloud.Tests.CloudWatch;

/// <summary>
/// GetMetricData with Expression queries through boto3 (python/metric_data_client.py, docs/localcloud-cloudwatch.md,
/// "GetMetricData"): metric math over the request's metrics per period, results in the order asked, and the
/// documented refusals.
/// </summary>
public sealed class MetricDataExpressionTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private const string Account = "333333333333";

    [Fact]
    public async Task GetMetricDataEvaluatesExpressionsOverItsMetricsAndRefusesWhatItDoesNotEmulate()
    {
        var answer = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.AdminOf(Account), "metric_data_client.py");

        var results = answer.GetProperty("results");
        double[] Values(string id) => [.. results.GetProperty(id).GetProperty("values").EnumerateArray().Select(value => Math.Round(value.GetDouble(), 2))];
        int[] Minutes(string id) => [.. results.GetProperty(id).GetProperty("minutes").EnumerateArray().Select(value => value.GetInt32())];

        // Only the items with ReturnData, in the order asked; the MetricStat item as before.
        Assert.Equal(["r", "rate", "filled", "total", "average"], answer.GetProperty("order").EnumerateArray().Select(id => id.GetString()));
        Assert.Equal([100, 200, 400], Values("r"));
        // e / r * 100: no Errors in the second minute, so no point there; FILL gives it 0.
        Assert.Equal([5, 5], Values("rate"));
        Assert.Equal([0, 2], Minutes("rate"));
        Assert.Equal("Error rate", results.GetProperty("rate").Text("label"));
        Assert.Equal([5, 0, 5], Values("filled"));
        Assert.Equal([105, 200, 420], Values("total"));
        // A number (AVG of one series) is the same value at every period of the range.
        Assert.Equal([233.33, 233.33, 233.33], Values("average"));
        Assert.Equal([0, 1, 2], Minutes("average"));
        // The default order is newest first.
        Assert.Equal([40, 10], answer.GetProperty("descending").EnumerateArray().Select(value => value.GetDouble()));

        var refusals = answer.GetProperty("refusals");
        Assert.Equal("ValidationError: The expression of s is a SEARCH expression or a Metrics Insights query, which LocalCloud does not emulate; it evaluates metric math over the ids of MetricDataQueries.", refusals.Text("search"));
        Assert.Equal(refusals.Text("search"), refusals.Text("insights"));
        Assert.Equal("ValidationError: The expression of x reads nope, which is not an Id of MetricDataQueries (r, x).", refusals.Text("unknown_id"));
        Assert.Contains("depends on itself", refusals.Text("cycle"), StringComparison.Ordinal);
        Assert.Equal("ValidationError: The expression of x has 4097 characters; an expression has 1 to 2048.", refusals.Text("too_long"));
        Assert.Equal("ValidationError: The collection MetricDataQueries must not have a size greater than 500; it has 501.", refusals.Text("too_many"));
        Assert.StartsWith("ValidationError: An expression needs at least one MetricStat item", refusals.Text("no_metric"), StringComparison.Ordinal);
    }
}
