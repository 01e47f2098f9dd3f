using System.Security.Cryptography;

namespace CloudPatterns.LocalCloud.Services.S3;

/// <summary>
/// Verifies what the client says the payload is: <c>Content-MD5</c> and every <c>x-amz-checksum-*</c> header or
/// aws-chunked trailer. A mismatch is BadDigest, as in S3.
/// </summary>
internal static class PayloadIntegrity
{
    /// <summary>The verified flexible checksums by algorithm name, and whether any checksum (MD5 included) was sent.</summary>
    public static (Dictionary<string, string> Checksums, bool AnySent) Verify(HttpRequest request, byte[] payload, IReadOnlyDictionary<string, string> trailers)
    {
        var contentMd5 = request.Headers.ContentMD5.ToString();
        if (contentMd5.Length > 0)
        {
            var given = new byte[16];
            if (!Convert.TryFromBase64String(contentMd5, given, out var length) || length != 16)
            {
                throw S3Errors.InvalidDigest();
            }

            var calculated = Convert.ToBase64String(MD5.HashData(payload));
            if (calculated != contentMd5)
            {
                throw S3Errors.BadDigest("The Content-MD5 you specified did not match what we received.", contentMd5, calculated);
            }
        }

        var checksums = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var algorithm in ChecksumAlgorithm.All)
        {
            var given = request.Headers[algorithm.HeaderName].ToString();
            if (given.Length == 0 && !trailers.TryGetValue(algorithm.HeaderName, out given))
            {
                continue;
            }

            var calculated = algorithm.Compute(payload);
            if (calculated != given)
            {
                throw S3Errors.BadDigest($"The {algorithm.Name} you specified did not match the calculated checksum.", given, calculated);
            }

            checksums[algorithm.Name] = calculated;
        }

        return (checksums, contentMd5.Length > 0 || checksums.Count > 0);
    }
}
