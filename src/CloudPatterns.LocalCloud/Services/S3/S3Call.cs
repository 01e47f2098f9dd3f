using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.S3;

/// <summary>One authenticated S3 request: the bucket and key from the path, and the payload after aws-chunked decoding.</summary>
internal sealed class S3Call(AwsRequest request, string bucket, string key, byte[] payload, Dictionary<string, string> checksums, bool checksumSent)
{
    public AwsRequest Request { get; } = request;

    public string AccountId => Request.AccountId;

    public string Bucket { get; } = bucket;

    public string Key { get; } = key;

    public byte[] Payload { get; } = payload;

    /// <summary>Verified flexible checksums by algorithm name.</summary>
    public Dictionary<string, string> Checksums { get; } = checksums;

    /// <summary>Whether Content-MD5 or an x-amz-checksum-* value came with the request (and matched).</summary>
    public bool ChecksumSent { get; } = checksumSent;

    public HttpResponse Response => Request.Http.Response;

    public string? Header(string name) => Request.Http.Request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;

    public string? Query(string name) => Request.Http.Request.Query.TryGetValue(name, out var value) ? value.ToString() : null;

    public int QueryInt(string name, int fallback) => Query(name) switch
    {
        null => fallback,
        var text when int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) => value,
        _ => throw S3Errors.InvalidArgument($"Provided {name} not an integer or within integer range"),
    };
}
