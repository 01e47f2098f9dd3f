using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;

namespace CloudPatterns.Core.Sandbox;

/// <summary>A fault LocalCloud injects into matching calls (service/operation null = every one).</summary>
public sealed class SandboxFault
{
    public string? Service { get; set; }
    public string? Operation { get; set; }
    public int LatencyMs { get; set; }
    public double ThrottleRate { get; set; }
    public double ErrorRate { get; set; }
    public string? ErrorCode { get; set; }
}

/// <summary>How full LocalCloud's request log is (<c>GET /_localcloud/requests/status</c>, docs/localcloud-authorization.md).</summary>
/// <param name="Capacity">The most entries the log keeps.</param>
/// <param name="Held">Entries held now.</param>
/// <param name="Dropped">The oldest entries dropped to make room since the log was last cleared.</param>
public sealed record SandboxRequestLogStatus(int Capacity, int Held, long Dropped);

/// <summary>One call LocalCloud received, as its request log records it.</summary>
public sealed class SandboxRequest
{
    public string Service { get; set; } = string.Empty;
    public string Operation { get; set; } = string.Empty;
    public string AccountId { get; set; } = string.Empty;
    public string Region { get; set; } = string.Empty;
    public int StatusCode { get; set; }
    public bool Mutating { get; set; }
    public double DurationMs { get; set; }
    public DateTimeOffset Time { get; set; }

    /// <summary>The caller (IAM user or assumed-role session ARN); empty when authentication failed.</summary>
    [JsonPropertyName("callerArn")]
    public string? Principal { get; set; }

    /// <summary>The IAM action the request was authorized for, e.g. backup:DeleteRecoveryPoint.</summary>
    public string? Action { get; set; }

    /// <summary>Allow, ExplicitDeny or ImplicitDeny (empty when the request was not authorized, e.g. bad credentials).</summary>
    public string? Decision { get; set; }

    /// <summary>The deciding policy and statement (policy#Sid), or which policy type allowed nothing.</summary>
    public string? DecidedBy { get; set; }

    /// <summary>Every authorization the request needed: its own action first, then those checked inside it (iam:PassRole, SSE-KMS).</summary>
    public List<SandboxAuthorizationCheck> Checks { get; set; } = new List<SandboxAuthorizationCheck>();
}

/// <summary>One evaluation of the policies for one action on one resource, with the condition keys the request supplied.</summary>
public sealed class SandboxAuthorizationCheck
{
    public string Action { get; set; } = string.Empty;

    public string Resource { get; set; } = string.Empty;

    /// <summary>Allow, ExplicitDeny or ImplicitDeny.</summary>
    public string Decision { get; set; } = string.Empty;

    public string? DecidedBy { get; set; }

    /// <summary>The condition keys and their values, as IAM's policy simulator takes them (ContextEntries).</summary>
    public Dictionary<string, string[]> Context { get; set; } = new Dictionary<string, string[]>();
}

/// <summary>LocalCloud's simulated time: what scheduled backup rules, jobs and credential expiry follow.</summary>
public sealed class SandboxClock
{
    public SandboxClock(DateTimeOffset now, TimeSpan offset, int scale = 1, bool autoAdvance = false)
    {
        Now = now;
        Offset = offset;
        Scale = scale;
        AutoAdvance = autoAdvance;
    }

    public DateTimeOffset Now { get; }

    /// <summary>How far the simulated clock is ahead of real time.</summary>
    public TimeSpan Offset { get; }

    /// <summary>Simulated seconds per real second.</summary>
    public int Scale { get; }

    /// <summary>Whether the clock skips ahead to the next pending job while LocalCloud is idle; off once the clock was set.</summary>
    public bool AutoAdvance { get; }
}

/// <summary>The admin API of a running LocalCloud: faults, the request log and the simulated clock.</summary>
public static class SandboxAdmin
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true };

    public static Task SetFaultAsync(Uri url, SandboxFault fault, CancellationToken cancellationToken) =>
        SandboxHost.SendAsync(url, HttpMethod.Put, "faults", JsonSerializer.Serialize(fault, Json), cancellationToken);

    public static Task ClearFaultsAsync(Uri url, CancellationToken cancellationToken) =>
        SandboxHost.SendAsync(url, HttpMethod.Delete, "faults", null, cancellationToken);

    public static Task ClearRequestLogAsync(Uri url, CancellationToken cancellationToken) =>
        SandboxHost.SendAsync(url, HttpMethod.Delete, "requests", null, cancellationToken);

    public static async Task<SandboxClock> GetClockAsync(Uri url, CancellationToken cancellationToken)
    {
        using var document = await SandboxHost.GetJsonAsync(url, "clock", cancellationToken).ConfigureAwait(false);
        return ReadClock(document.RootElement);
    }

    /// <summary>Moves the clock forward by <paramref name="advance"/> or to <paramref name="to"/>; returns once what fell due has run.</summary>
    public static async Task<SandboxClock> MoveClockAsync(Uri url, TimeSpan? advance, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        var body = advance is { } by
            ? JsonSerializer.Serialize(new { advance = System.Xml.XmlConvert.ToString(by) })
            : JsonSerializer.Serialize(new { to = to!.Value.ToUniversalTime().ToString("o", System.Globalization.CultureInfo.InvariantCulture) });
        using var document = await SandboxHost.SendForJsonAsync(url, HttpMethod.Post, "clock", body, cancellationToken).ConfigureAwait(false);
        return ReadClock(document.RootElement);
    }

    private static SandboxClock ReadClock(JsonElement clock) =>
        new(clock.GetProperty("now").GetDateTimeOffset(), System.Xml.XmlConvert.ToTimeSpan(clock.GetProperty("offset").GetString() ?? "PT0S"),
            clock.TryGetProperty("scale", out var scale) ? scale.GetInt32() : 1,
            clock.TryGetProperty("autoAdvance", out var autoAdvance) && autoAdvance.GetBoolean());

    /// <summary>How full the request log is: its capacity, the entries held, and how many were dropped since the last clear.</summary>
    public static async Task<SandboxRequestLogStatus> GetRequestLogStatusAsync(Uri url, CancellationToken cancellationToken)
    {
        using var document = await SandboxHost.GetJsonAsync(url, "requests/status", cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize<SandboxRequestLogStatus>(document.RootElement.GetRawText(), Json)!;
    }

    public static async Task<IReadOnlyList<SandboxRequest>> GetRequestLogAsync(Uri url, CancellationToken cancellationToken)
    {
        using var document = await SandboxHost.GetJsonAsync(url, "requests", cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize<List<SandboxRequest>>(document.RootElement.GetRawText(), Json) ?? new List<SandboxRequest>();
    }
}
