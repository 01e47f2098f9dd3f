using System.Net;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using CloudPatterns.Aws.Protocol;

namespace CloudPatterns.Aws.Tests;

/// <summary>The retry budget per kind of error, decided without waiting out the backoff between attempts.</summary>
public sealed class ThrottlingRetryPolicyTests
{
    private readonly AwsServiceConfig config = new(AwsServiceDescription.Organizations);

    [Theory]
    [InlineData("Throttling")]
    [InlineData("ThrottlingException")]
    [InlineData("TooManyRequestsException")]
    public void ThrottlingIsRetriedUpToTenAttempts(string errorCode)
    {
        var policy = new ThrottlingRetryPolicy(config);
        var throttled = new AmazonServiceException("Rate exceeded", null, ErrorType.Sender, errorCode, "request-1", HttpStatusCode.BadRequest);

        for (int retries = 0; retries < ThrottlingRetryPolicy.MaxThrottledAttempts - 1; retries++)
        {
            var context = ContextAfter(retries);
            Assert.False(policy.RetryLimitReached(context), $"after {retries} retries");
            Assert.True(policy.RetryForException(context, throttled), $"after {retries} retries");
        }

        Assert.True(policy.RetryLimitReached(ContextAfter(ThrottlingRetryPolicy.MaxThrottledAttempts - 1)));
    }

    [Theory]
    [InlineData("InternalFailure", HttpStatusCode.InternalServerError)]
    [InlineData("ServiceUnavailable", HttpStatusCode.ServiceUnavailable)]
    public void ServerErrorsAreRetriedLikeThrottling_EvenAfterThrottledAttempts(string errorCode, HttpStatusCode status)
    {
        var policy = new ThrottlingRetryPolicy(config);
        var failure = new AmazonServiceException("Server error", null, ErrorType.Receiver, errorCode, "request-1", status);

        // Throttled twice, then a server error: the standard budget of 3 attempts would end the call here.
        Assert.True(policy.RetryForException(ContextAfter(config.MaxErrorRetry), failure));
        Assert.True(policy.RetryForException(ContextAfter(ThrottlingRetryPolicy.MaxThrottledAttempts - 2), failure));
        Assert.True(policy.RetryLimitReached(ContextAfter(ThrottlingRetryPolicy.MaxThrottledAttempts - 1)));
    }

    [Fact]
    public void OtherRetryableErrorsKeepTheConfiguredAttempts()
    {
        var policy = new ThrottlingRetryPolicy(config);
        var timeout = new AmazonServiceException("Request timed out", null, ErrorType.Sender, "RequestTimeout", "request-1", HttpStatusCode.BadRequest);

        Assert.True(policy.RetryForException(ContextAfter(0), timeout));
        Assert.True(policy.RetryForException(ContextAfter(config.MaxErrorRetry - 1), timeout));
        Assert.False(policy.RetryForException(ContextAfter(config.MaxErrorRetry), timeout));
    }

    [Fact]
    public void AttemptsTheUserSetHoldForThrottlingToo()
    {
        config.MaxErrorRetry = 3;
        var policy = new ThrottlingRetryPolicy(config);

        Assert.False(policy.RetryLimitReached(ContextAfter(2)));
        Assert.True(policy.RetryLimitReached(ContextAfter(3)));
    }

    private Amazon.Runtime.Internal.ExecutionContext ContextAfter(int retries) =>
        new(new RequestContext(false) { ClientConfig = config, Retries = retries }, new ResponseContext());
}
