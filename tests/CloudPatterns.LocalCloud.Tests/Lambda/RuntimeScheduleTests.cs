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
        LambdaRuntimes.RequireCreatable("nodejs20.x", On(2026, 5, 31));
        var create = Assert.Throws<AwsServiceException>(() => LambdaRuntimes.RequireCreatable("nodejs20.x", On(2026, 6, 1)));
        Assert.Equal("InvalidParameterValueException", create.Code);
        Assert.Equal("The runtime parameter of nodejs20.x is no longer supported for creating or updating AWS Lambda functions. "
            + "We recommend you use the new runtime (nodejs24.x) while creating or updating functions.", create.Message);

        // Between the two dates existing functions can still be updated.
        LambdaRuntimes.RequireUpdatable("nodejs20.x", On(2026, 6, 30));
        Assert.Throws<AwsServiceException>(() => LambdaRuntimes.RequireUpdatable("nodejs20.x", On(2026, 7, 1)));

        LambdaRuntimes.RequireCreatable("python3.14", On(2029, 7, 30));
        Assert.Throws<AwsServiceException>(() => LambdaRuntimes.RequireCreatable("python3.14", On(2029, 7, 31)));
        LambdaRuntimes.RequireCreatable("dotnet10", On(2030, 1, 1));
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
