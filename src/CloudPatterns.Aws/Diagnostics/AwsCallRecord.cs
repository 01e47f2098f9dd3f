using System;
using System.Globalization;

namespace CloudPatterns.Aws.Diagnostics;

/// <summary>One completed AWS API call (after the SDK's retries), for verbose output. Never carries credentials.</summary>
public sealed class AwsCallRecord
{
    public AwsCallRecord(string service, string operation, string? accountId, string region, int? statusCode, string? errorCode, int retries, TimeSpan duration)
    {
        Service = service;
        Operation = operation;
        AccountId = accountId;
        Region = region;
        StatusCode = statusCode;
        ErrorCode = errorCode;
        Retries = retries;
        Duration = duration;
    }

    public string Service { get; }

    public string Operation { get; }

    /// <summary>The account the call was made in; null only for the first GetCallerIdentity, before it is known.</summary>
    public string? AccountId { get; }

    public string Region { get; }

    /// <summary>The HTTP status of the last attempt; null when no response arrived (network failure, cancellation).</summary>
    public int? StatusCode { get; }

    /// <summary>The AWS error code, or the exception type when no AWS answer came; null on success.</summary>
    public string? ErrorCode { get; }

    public int Retries { get; }

    public TimeSpan Duration { get; }

    public override string ToString()
    {
        string outcome = ErrorCode is null ? (StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "no response") : $"{StatusCode} {ErrorCode}";
        string retries = Retries > 0 ? $", {Retries} retries" : string.Empty;
        return $"{Service} {Operation} in {AccountId ?? "caller account"} {Region}: {outcome} ({Duration.TotalMilliseconds:0} ms{retries})";
    }
}
