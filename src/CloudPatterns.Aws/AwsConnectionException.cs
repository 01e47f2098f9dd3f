using System;

namespace CloudPatterns.Aws;

/// <summary>No usable credentials, profile, region or endpoint: the invocation cannot reach AWS at all.</summary>
public sealed class AwsConnectionException : Exception
{
    public AwsConnectionException(string message)
        : base(message)
    {
    }

    public AwsConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
