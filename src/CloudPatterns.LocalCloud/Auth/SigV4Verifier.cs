using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CloudPatterns.LocalCloud.Identity;
using Microsoft.AspNetCore.Http.Features;

namespace CloudPatterns.LocalCloud.Auth;

/// <summary>What SigV4 verification found: the credential scope (when it could be read) and the caller, or why not.</summary>
internal sealed record SigV4Outcome(string? Service, string? Region, CallerIdentity? Caller, AuthFailure? Failure);

/// <summary>
/// Verifies AWS Signature Version 4 (header and presigned-query forms) as AWS's front ends do: recomputes the
/// canonical request and string to sign, and compares signatures. Chunked (STREAMING-…) payloads are accepted on
/// their seed signature over the headers; the chunk signatures are not checked.
/// </summary>
internal sealed class SigV4Verifier(CredentialStore credentials, TimeProvider credentialClock)
{
    private const string Algorithm = "AWS4-HMAC-SHA256";
    private const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    private const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";
    private static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(15);

    public SigV4Outcome Verify(HttpContext http, byte[] body)
    {
        var request = http.Request;
        var authorization = request.Headers.Authorization.ToString();
        var presigned = authorization.Length == 0 && request.Query.ContainsKey("X-Amz-Algorithm");
        if (authorization.Length == 0 && !presigned)
        {
            return Fail(new AuthFailure(AuthFailureKind.MissingAuthentication));
        }

        var signature = presigned ? ReadPresignedParameters(request) : ReadAuthorizationHeader(authorization);
        var missingDate = !TryReadRequestTime(request, presigned, out var amzDate, out var requestTime);
        var problems = signature.Problems;
        if (missingDate)
        {
            problems += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
        }

        if (problems.Length > 0)
        {
            return Fail(new AuthFailure(AuthFailureKind.MalformedAuthorization, $"{problems}Authorization={authorization}"));
        }

        var scope = signature.Credential!.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request" || scope[1].Length != 8)
        {
            return Fail(new AuthFailure(
                AuthFailureKind.MalformedAuthorization,
                $"Credential is malformed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\", got \"{signature.Credential}\"."));
        }

        var (accessKeyId, scopeDate, region, service) = (scope[0], scope[1], scope[2], scope[3]);
        SigV4Outcome Refuse(AuthFailure failure) => new(service, region, null, failure with { AccessKeyId = accessKeyId });

        if (Stale(request, presigned, amzDate, requestTime) is { } staleness)
        {
            return Refuse(staleness);
        }

        if (scopeDate != amzDate[..8])
        {
            return Refuse(new AuthFailure(
                AuthFailureKind.SignatureMismatch,
                $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scopeDate}' != '{amzDate[..8]}', from '{amzDate}'."));
        }

        var credential = credentials.Find(accessKeyId);
        var sessionToken = presigned ? request.Query["X-Amz-Security-Token"].ToString() : request.Headers["X-Amz-Security-Token"].ToString();
        if (credential is null || (credential.SessionToken ?? "") != sessionToken)
        {
            return Refuse(new AuthFailure(AuthFailureKind.UnknownAccessKey));
        }

        if (credential.Expiration <= credentialClock.GetUtcNow())
        {
            return Refuse(new AuthFailure(AuthFailureKind.ExpiredToken));
        }

        if (PayloadHash(request, body, presigned, service) is not { } payloadHash)
        {
            return Refuse(new AuthFailure(AuthFailureKind.ContentHashMismatch));
        }

        var canonicalRequest = CanonicalRequest(http, service, presigned, signature.SignedHeaders!, payloadHash);
        var credentialScope = $"{scopeDate}/{region}/{service}/aws4_request";
        var stringToSign = $"{Algorithm}\n{amzDate}\n{credentialScope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var expected = Hex(Sign(SigningKey(credential.SecretAccessKey, scopeDate, region, service), stringToSign));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature.Signature!)))
        {
            return Refuse(new AuthFailure(AuthFailureKind.SignatureMismatch, CanonicalRequest: Redacted(canonicalRequest, sessionToken), StringToSign: stringToSign));
        }

        return new SigV4Outcome(service, region, credential.Identity, null);
    }

    /// <summary>S3 echoes the canonical request in its refusal; LocalCloud leaves the session token out of it.</summary>
    private static string Redacted(string canonicalRequest, string sessionToken) => sessionToken.Length == 0
        ? canonicalRequest
        : canonicalRequest.Replace(sessionToken, "<session token>", StringComparison.Ordinal)
            .Replace(UriEncode(sessionToken, keepSlash: false), "<session token>", StringComparison.Ordinal);

    private static SigV4Outcome Fail(AuthFailure failure) => new(null, null, null, failure);

    private static SignatureParameters ReadAuthorizationHeader(string authorization)
    {
        if (!authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            var algorithm = authorization.Split(' ', 2)[0];
            return new SignatureParameters(null, null, null, $"Unsupported AWS 'algorithm': '{algorithm}'. ");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in authorization[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                return new SignatureParameters(null, null, null, $"'{part}' not a valid key=value pair (missing equal-sign) in Authorization header: '{authorization}'. ");
            }

            values[part[..equals]] = part[(equals + 1)..];
        }

        return Checked(values.GetValueOrDefault("Credential"), values.GetValueOrDefault("SignedHeaders"), values.GetValueOrDefault("Signature"));
    }

    private static SignatureParameters ReadPresignedParameters(HttpRequest request)
    {
        var query = request.Query;
        var algorithm = query["X-Amz-Algorithm"].ToString();
        return algorithm != Algorithm
            ? new SignatureParameters(null, null, null, $"Unsupported AWS 'algorithm': '{algorithm}'. ")
            : Checked(NullIfEmpty(query["X-Amz-Credential"]), NullIfEmpty(query["X-Amz-SignedHeaders"]), NullIfEmpty(query["X-Amz-Signature"]));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static SignatureParameters Checked(string? credential, string? signedHeaders, string? signature)
    {
        var problems = new StringBuilder();
        foreach (var (name, value) in new[] { ("Credential", credential), ("Signature", signature), ("SignedHeaders", signedHeaders) })
        {
            if (value is null)
            {
                problems.Append(CultureInfo.InvariantCulture, $"Authorization header requires '{name}' parameter. ");
            }
        }

        return new SignatureParameters(credential, signedHeaders, signature, problems.ToString());
    }

    private static bool TryReadRequestTime(HttpRequest request, bool presigned, out string amzDate, out DateTimeOffset requestTime)
    {
        amzDate = presigned ? request.Query["X-Amz-Date"].ToString() : request.Headers["X-Amz-Date"].ToString();
        if (DateTimeOffset.TryParseExact(amzDate, AmzDateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out requestTime))
        {
            return true;
        }

        if (!presigned && DateTimeOffset.TryParse(request.Headers.Date.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out requestTime))
        {
            amzDate = requestTime.UtcDateTime.ToString(AmzDateFormat, CultureInfo.InvariantCulture);
            return true;
        }

        return false;
    }

    /// <summary>
    /// AWS refuses signatures more than 15 minutes from its clock, and presigned URLs past X-Amz-Expires. Clients sign
    /// with the real time, so this uses the real clock, not LocalCloud's simulated one.
    /// </summary>
    private static AuthFailure? Stale(HttpRequest request, bool presigned, string amzDate, DateTimeOffset requestTime)
    {
        var now = TimeProvider.System.GetUtcNow();
        string Format(DateTimeOffset time) => time.UtcDateTime.ToString(AmzDateFormat, CultureInfo.InvariantCulture);
        if (presigned
            && int.TryParse(request.Query["X-Amz-Expires"], NumberStyles.None, CultureInfo.InvariantCulture, out var expiresSeconds)
            && requestTime.AddSeconds(expiresSeconds) < now)
        {
            return new AuthFailure(
                AuthFailureKind.PresignedUrlExpired,
                $"Signature expired: {Format(requestTime.AddSeconds(expiresSeconds))} is now earlier than {Format(now)}.",
                RequestTime: requestTime);
        }

        if (!presigned && requestTime < now - MaxSkew)
        {
            return new AuthFailure(
                AuthFailureKind.RequestTimeSkewed,
                $"Signature expired: {amzDate} is now earlier than {Format(now - MaxSkew)} ({Format(now)} - 15 min.)",
                RequestTime: requestTime);
        }

        if (requestTime > now + MaxSkew)
        {
            return new AuthFailure(
                AuthFailureKind.RequestTimeSkewed,
                $"Signature not yet current: {amzDate} is still later than {Format(now + MaxSkew)} ({Format(now)} + 15 min.)",
                RequestTime: requestTime);
        }

        return null;
    }

    /// <summary>
    /// The payload hash the client signed: x-amz-content-sha256 when sent (a hex hash must match the body;
    /// UNSIGNED-PAYLOAD and STREAMING-… values are signed as given), UNSIGNED-PAYLOAD for presigned S3 URLs,
    /// otherwise the body's SHA-256. Null when the declared hash does not match the body.
    /// </summary>
    private static string? PayloadHash(HttpRequest request, byte[] body, bool presigned, string service)
    {
        var declared = request.Headers["x-amz-content-sha256"].ToString();
        if (declared.Length == 0)
        {
            return presigned && service == "s3" ? UnsignedPayload : Hex(SHA256.HashData(body));
        }

        var isHexHash = declared.Length == 64 && declared.All(Uri.IsHexDigit);
        return !isHexHash || string.Equals(declared, Hex(SHA256.HashData(body)), StringComparison.OrdinalIgnoreCase) ? declared : null;
    }

    private static string CanonicalRequest(HttpContext http, string service, bool presigned, string signedHeaders, string payloadHash)
    {
        var request = http.Request;
        var rawTarget = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "/";
        var queryStart = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = queryStart < 0 ? rawTarget : rawTarget[..queryStart];
        var rawQuery = queryStart < 0 ? "" : rawTarget[(queryStart + 1)..];

        // S3 signs the path as sent; every other service signs it normalized and encoded once more.
        var canonicalPath = rawPath.Length == 0 ? "/" : service == "s3" ? rawPath : UriEncode(RemoveDotSegments(rawPath), keepSlash: true);

        var builder = new StringBuilder(512)
            .Append(request.Method).Append('\n')
            .Append(canonicalPath).Append('\n')
            .Append(CanonicalQuery(rawQuery, presigned)).Append('\n');
        foreach (var name in signedHeaders.Split(';'))
        {
            builder.Append(name).Append(':').Append(CanonicalHeaderValue(request.Headers[name])).Append('\n');
        }

        return builder.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash).ToString();
    }

    private static string CanonicalQuery(string rawQuery, bool presigned)
    {
        var pairs = new List<(string Name, string Value)>();
        foreach (var pair in rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = UriEncode(Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]), keepSlash: false);
            var value = equals < 0 ? "" : UriEncode(Uri.UnescapeDataString(pair[(equals + 1)..]), keepSlash: false);
            if (!(presigned && name == "X-Amz-Signature"))
            {
                pairs.Add((name, value));
            }
        }

        pairs.Sort((left, right) => left.Name == right.Name
            ? string.CompareOrdinal(left.Value, right.Value)
            : string.CompareOrdinal(left.Name, right.Name));
        return string.Join('&', pairs.Select(pair => $"{pair.Name}={pair.Value}"));
    }

    /// <summary>Header values are trimmed, runs of spaces collapse to one, repeated headers join with commas.</summary>
    private static string CanonicalHeaderValue(IEnumerable<string?> values) =>
        string.Join(',', values.Select(value => string.Join(' ', (value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))));

    private static string RemoveDotSegments(string path)
    {
        var output = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment == "..")
            {
                if (output.Count > 1)
                {
                    output.RemoveAt(output.Count - 1);
                }
            }
            else if (segment != ".")
            {
                output.Add(segment);
            }
        }

        var normalized = string.Join('/', output);
        return normalized.StartsWith('/') ? normalized : "/" + normalized;
    }

    /// <summary>RFC 3986 encoding as SigV4 defines it: everything but unreserved characters (and '/' in paths) as %XX.</summary>
    private static string UriEncode(string value, bool keepSlash)
    {
        var builder = new StringBuilder(value.Length + 16);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (keepSlash && c == '/'))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static byte[] SigningKey(string secret, string date, string region, string service)
    {
        var key = Sign(Encoding.UTF8.GetBytes("AWS4" + secret), date);
        key = Sign(key, region);
        key = Sign(key, service);
        return Sign(key, "aws4_request");
    }

    private static byte[] Sign(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>The signature parameters of a request, and what is missing or malformed in them.</summary>
    private sealed record SignatureParameters(string? Credential, string? SignedHeaders, string? Signature, string Problems);
}
