using CloudPatterns.LocalCloud.Services.CloudWatch;

namespace CloudPatterns.LocalCloud.Tests.CloudWatch;

/// <summary>Extended statistics' names and values over raw samples (docs/localcloud-cloudwatch.md, "Percentiles and other extended statistics").</summary>
public sealed class ExtendedStatisticTests
{
    // The values 1 to 10, once each.
    private static readonly Sample[] OneToTen = [.. Enumerable.Range(1, 10).Select(value => new Sample(value, 1))];

    [Theory]
    [InlineData("p0", 1)]
    [InlineData("p10", 1)]
    [InlineData("p50", 5)]
    [InlineData("p90", 9)]
    [InlineData("p95.5", 10)]
    [InlineData("p100", 10)]
    [InlineData("tm80", 4.5)]
    [InlineData("TM(10%:90%)", 5.5)]
    [InlineData("IQM", 5.5)]
    [InlineData("tc80", 8)]
    [InlineData("ts80", 36)]
    [InlineData("TS(3:6)", 15)]
    [InlineData("TM(3:)", 7)]
    [InlineData("wm80", 5.2)]
    [InlineData("PR(:3)", 30)]
    [InlineData("PR(2.5:5)", 30)]
    public void Compute_GivesTheStatisticOfTheRawValues(string name, double expected)
    {
        var statistic = ExtendedStatistic.Parse(name);

        Assert.NotNull(statistic);
        Assert.Equal(expected, statistic.Compute(OneToTen)!.Value, 9);
    }

    [Theory]
    [InlineData("p101")]
    [InlineData("p")]
    [InlineData("q99")]
    [InlineData("tm0")]
    [InlineData("TM(90%:10%)")]
    [InlineData("TM(10%:90)")]
    [InlineData("PR(10%:90%)")]
    [InlineData("WM(1:2)")]
    [InlineData("TM(:)")]
    [InlineData("Average")]
    public void Parse_RefusesWhatIsNoExtendedStatistic(string name) => Assert.Null(ExtendedStatistic.Parse(name));

    [Fact]
    public void Percentile_OfANegativeValue_IsUnavailable() =>
        Assert.Null(ExtendedStatistic.Parse("p50")!.Compute([new Sample(-1, 1), new Sample(3, 1)]));

    [Fact]
    public void Datapoint_StatisticSetOfUnequalValues_HasNoPercentile_AndOfEqualValuesHasOne()
    {
        var now = DateTimeOffset.UnixEpoch;

        Assert.Null(new Datapoint(now, 3, 6, 1, 3, null).Value("p50"));
        Assert.Equal(2, new Datapoint(now, 3, 6, 2, 2, null).Value("p50"));
        Assert.Equal(2, Datapoint.Combine(now, [new Datapoint(now, 1, 1, 1, 1, null), new Datapoint(now, 1, 2, 2, 2, null), new Datapoint(now, 1, 3, 3, 3, null)]).Value("p50"));
    }

    [Theory]
    [InlineData("p99", 999, true)]
    [InlineData("p99", 1000, false)]
    [InlineData("p10", 99, true)]
    [InlineData("p50", 20, false)]
    [InlineData("tm99", 1, false)]
    public void TooFewSamples_FollowsCloudWatchsLowSampleRule(string name, double samples, bool expected) =>
        Assert.Equal(expected, ExtendedStatistic.Parse(name)!.TooFewSamples(samples));
}
