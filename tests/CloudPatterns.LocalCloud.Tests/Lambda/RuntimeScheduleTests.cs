using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Lambda;

namespace CloudPatterns.LocalCloud.Tests.Lambda;

/// <summary>Lambda's deprecation schedule on given dates: creating is blocked before updating, newer runtimes and unknown ones pass.</summary>
public sealed class RuntimeScheduleTests
{
    private static DateTimeOffset On(int year, int month, int day) => new(year, month, day, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void CreateIsBlockedFromTheBlockCreateDateAndUpdateFromTheBlockUpdateDate()
    {
        LambdaRuntimes.RequireCreatable("nodejs20.x", On(2027, 1, 31));
        var create = Assert.Throws<AwsServiceException>(() => LambdaRuntimes.RequireCreatable("nodejs20.x", On(2027, 2, 1)));
        Assert.Equal("InvalidParameterValueException", create.Code);
        Assert.Equal("The runtime parameter of nodejs20.x is no longer supported for creating or updating AWS Lambda functions. "
            + "We recommend you use the new runtime (nodejs24.x) while creating or updating functions.", create.Message);

        // Between the two dates existing functions can still be updated.
        LambdaRuntimes.RequireUpdatable("nodejs20.x", On(2027, 3, 2));
        Assert.Throws<AwsServiceException>(() => LambdaRuntimes.RequireUpdatable("nodejs20.x", On(2027, 3, 3)));

        LambdaRuntimes.RequireCreatable("python3.14", On(2029, 7, 30));
        Assert.Throws<AwsServiceException>(() => LambdaRuntimes.RequireCreatable("python3.14", On(2029, 7, 31)));
        LambdaRuntimes.RequireCreatable("dotnet10", On(2028, 12, 13));
        Assert.Throws<AwsServiceException>(() => LambdaRuntimes.RequireCreatable("dotnet10", On(2028, 12, 14)));
        LambdaRuntimes.RequireCreatable("an-unknown-runtime", On(2030, 1, 1));
    }

    /// <summary>
    /// AWS moved the block dates of the runtimes deprecated in 2024-2026 (python3.8 to 3.10, nodejs16.x to 20.x, dotnet6
    /// and 8, provided.al2, ruby3.2) to 2027-02-01 and 2027-03-03 (docs/localcloud-lambda.md): between the old and the
    /// new dates such functions are still created, as Quick Starts' python3.9 custom resources are.
    /// </summary>
    [Theory]
    [InlineData("python3.8")]
    [InlineData("python3.9")]
    [InlineData("python3.10")]
    [InlineData("nodejs16.x")]
    [InlineData("nodejs18.x")]
    [InlineData("dotnet6")]
    [InlineData("ruby3.2")]
    public void RuntimesWhoseBlockDatesAwsMovedTo2027AreCreatableUntilThen(string runtime)
    {
        LambdaRuntimes.RequireCreatable(runtime, On(2026, 12, 6));
        LambdaRuntimes.RequireCreatable(runtime, On(2027, 1, 31));
        Assert.Throws<AwsServiceException>(() => LambdaRuntimes.RequireCreatable(runtime, On(2027, 2, 1)));
        LambdaRuntimes.RequireUpdatable(runtime, On(2027, 3, 2));
        Assert.Throws<AwsServiceException>(() => LambdaRuntimes.RequireUpdatable(runtime, On(2027, 3, 3)));
    }

    [Fact]
    public void RuntimesRetiredForGoodStayRefusedAndTheirUpdatesFollowTheMovedDate()
    {
        Assert.Throws<AwsServiceException>(() => LambdaRuntimes.RequireCreatable("python3.7", On(2026, 12, 6)));
        LambdaRuntimes.RequireUpdatable("python3.7", On(2027, 3, 2));
        Assert.Throws<AwsServiceException>(() => LambdaRuntimes.RequireUpdatable("python3.7", On(2027, 3, 3)));
        Assert.Throws<AwsServiceException>(() => LambdaRuntimes.RequireCreatable("python3.6", On(2026, 12, 6)));
    }

    [Theory]
    [InlineData("python3.13", "Python")]
    [InlineData("nodejs24.x", "Node")]
    [InlineData("dotnet8", "Dotnet")]
    [InlineData("dotnetcore3.1", null)]
    [InlineData("java21", null)]
    [InlineData("provided.al2023", null)]
    public void EachRuntimeRunsInItsFamilyOrIsNotRun(string runtime, string? family) => Assert.Equal(family, LambdaRuntimes.Family(runtime)?.ToString());
}
