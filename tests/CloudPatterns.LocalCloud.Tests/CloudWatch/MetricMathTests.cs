using CloudPatterns.LocalCloud.Services.CloudWatch;

namespace CloudPatterns.LocalCloud.Tests.CloudWatch;

/// <summary>The metric math evaluator alone (docs/localcloud-cloudwatch.md): precedence, IF without a false value, FILL's modes.</summary>
public sealed class MetricMathTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
    private static readonly List<DateTimeOffset> Minutes = [.. Enumerable.Range(0, 5).Select(minute => Start.AddMinutes(minute))];

    private static MathValue.Series Series(params (int Minute, double Value)[] points) =>
        new(new SortedDictionary<DateTimeOffset, double>(points.ToDictionary(point => Start.AddMinutes(point.Minute), point => point.Value)));

    private static MathValue Evaluate(string expression, Dictionary<string, MathValue> values) =>
        MetricMath.Evaluate(MetricMath.Parse(expression), new MathContext(id => values[id], Minutes, 60));

    private static List<double> Points(MathValue value) => [.. Assert.IsType<MathValue.Series>(value).Points.Values];

    [Fact]
    public void Precedence_ArithmeticBeforeComparisonBeforeNotBeforeAndBeforeOr()
    {
        var values = new Dictionary<string, MathValue>();
        Assert.Equal(7, Assert.IsType<MathValue.Scalar>(Evaluate("1 + 2 * 3", values)).Value);
        Assert.Equal(-8, Assert.IsType<MathValue.Scalar>(Evaluate("-2 ^ 3", values)).Value);
        Assert.Equal(1, Assert.IsType<MathValue.Scalar>(Evaluate("1 + 1 == 2 AND NOT 0 > 1 || 0", values)).Value);
        Assert.Equal(0, Assert.IsType<MathValue.Scalar>(Evaluate("0 OR 1 AND 0", values)).Value);
    }

    [Fact]
    public void SeriesCombineAtSharedTimestamps_AndIfWithoutAFalseValueDropsPoints()
    {
        var values = new Dictionary<string, MathValue> { ["a"] = Series((0, 10), (1, 20), (2, 30)), ["b"] = Series((1, 0), (2, 3)) };
        // 20 / 0 is not a number: no point at minute 1.
        Assert.Equal([10.0], Points(Evaluate("a / b", values)));
        Assert.Equal([20.0, 30.0], Points(Evaluate("IF(a > 15, a)", values)));
        // Across an array: per timestamp, over the series that have a point there; over one series: a number.
        Assert.Equal([10.0, 20, 33], Points(Evaluate("SUM([a, b])", values)));
        Assert.Equal(60, Assert.IsType<MathValue.Scalar>(Evaluate("SUM(a)", values)).Value);
    }

    [Fact]
    public void Fill_TakesAValue_TheLastValue_OrTheLineBetweenNeighbours()
    {
        var values = new Dictionary<string, MathValue> { ["m"] = Series((1, 10), (3, 30)) };
        Assert.Equal([0.0, 10, 0, 30, 0], Points(Evaluate("FILL(m, 0)", values)));
        Assert.Equal([10.0, 10, 30, 30], Points(Evaluate("FILL(m, REPEAT)", values)));
        Assert.Equal([10.0, 20, 30], Points(Evaluate("FILL(m, LINEAR)", values)));
    }

    [Theory]
    [InlineData("m +", "ends too early")]
    [InlineData("(m", "Expected ')'")]
    [InlineData("m $ 2", "Unexpected character '$'")]
    [InlineData("RATE(m)", "Unknown function RATE")]
    [InlineData("IF(m)", "IF takes 2 or 3 arguments, not 1")]
    public void MalformedExpressions_AreRefusedWithWhatIsWrong(string expression, string message)
    {
        var values = new Dictionary<string, MathValue> { ["m"] = Series((0, 1)) };
        var error = Assert.Throws<MetricMathException>(() => Evaluate(expression, values));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
