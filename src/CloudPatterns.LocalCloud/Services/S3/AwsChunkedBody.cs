using System.Text;

namespace CloudPatterns.LocalCloud.Services.S3;

/// <summary>
/// Decodes <c>aws-chunked</c> bodies (<c>x-amz-content-sha256: STREAMING-…</c>): chunks of
/// <c>hex-size[;chunk-signature=…]\r\n data \r\n</c>, a zero-size chunk, then trailer lines such as
/// <c>x-amz-checksum-crc32:…</c>. Chunk signatures are not verified (see SigV4Verifier).
/// </summary>
internal static class AwsChunkedBody
{
    public static bool IsChunked(HttpRequest request) =>
        request.Headers["x-amz-content-sha256"].ToString().StartsWith("STREAMING-", StringComparison.Ordinal)
        || request.Headers.ContentEncoding.ToString().Contains("aws-chunked", StringComparison.OrdinalIgnoreCase);

    /// <summary>The payload and the trailers (names lower-case).</summary>
    public static (byte[] Payload, Dictionary<string, string> Trailers) Decode(byte[] body)
    {
        var payload = new MemoryStream(body.Length);
        var position = 0;
        while (true)
        {
            var header = ReadLine(body, ref position);
            var sizeText = header.Split(';', 2)[0].Trim();
            if (!int.TryParse(sizeText, System.Globalization.NumberStyles.HexNumber, null, out var size) || size < 0 || position + size > body.Length)
            {
                throw S3Errors.InvalidRequest("The aws-chunked request body is malformed.");
            }

            if (size == 0)
            {
                break;
            }

            payload.Write(body, position, size);
            position += size;
            ReadLine(body, ref position);
        }

        var trailers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (position < body.Length && ReadLine(body, ref position) is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                trailers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
            }
        }

        return (payload.ToArray(), trailers);
    }

    private static string ReadLine(byte[] body, ref int position)
    {
        var end = Array.IndexOf(body, (byte)'\n', position);
        var stop = end < 0 ? body.Length : end;
        var line = Encoding.ASCII.GetString(body, position, stop - position).TrimEnd('\r');
        position = end < 0 ? body.Length : end + 1;
        return line;
    }
}
