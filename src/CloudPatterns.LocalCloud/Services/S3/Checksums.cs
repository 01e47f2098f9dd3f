using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CloudPatterns.LocalCloud.Services.S3;

/// <summary>
/// The flexible checksums S3 accepts in <c>x-amz-checksum-*</c> headers and aws-chunked trailers, each computed as
/// the base64 of its big-endian digest.
/// </summary>
internal sealed class ChecksumAlgorithm
{
    private static readonly ChecksumAlgorithm[] Supported =
    [
        new("CRC32", new ReflectedCrc(0xEDB88320UL, 32).Compute),
        new("CRC32C", new ReflectedCrc(0x82F63B78UL, 32).Compute),
        new("CRC64NVME", new ReflectedCrc(0x9A6C9329AC4BC9B5UL, 64).Compute),
        new("SHA1", SHA1.HashData),
        new("SHA256", SHA256.HashData),
    ];

    private readonly Func<byte[], byte[]> digest;

    private ChecksumAlgorithm(string name, Func<byte[], byte[]> digest)
    {
        Name = name;
        HeaderName = "x-amz-checksum-" + name.ToLowerInvariant();
        this.digest = digest;
    }

    /// <summary>The algorithm as S3 names it in x-amz-sdk-checksum-algorithm and ChecksumAlgorithm, e.g. CRC32.</summary>
    public string Name { get; }

    public string HeaderName { get; }

    public static IReadOnlyList<ChecksumAlgorithm> All => Supported;

    public string Compute(byte[] data) => Convert.ToBase64String(digest(data));
}

/// <summary>A table-driven reflected CRC (init and final XOR all ones), as CRC32, CRC32C and CRC64/NVME use.</summary>
internal sealed class ReflectedCrc
{
    private readonly ulong[] table = new ulong[256];
    private readonly ulong mask;
    private readonly int width;

    public ReflectedCrc(ulong reflectedPolynomial, int width)
    {
        this.width = width;
        mask = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
        for (var index = 0; index < table.Length; index++)
        {
            var value = (ulong)index;
            for (var bit = 0; bit < 8; bit++)
            {
                value = (value & 1) != 0 ? (value >> 1) ^ reflectedPolynomial : value >> 1;
            }

            table[index] = value;
        }
    }

    /// <summary>The CRC of <paramref name="data"/> as big-endian bytes (4 for CRC32, 8 for CRC64).</summary>
    public byte[] Compute(byte[] data)
    {
        var crc = mask;
        foreach (var value in data)
        {
            crc = table[(crc ^ value) & 0xFF] ^ (crc >> 8);
        }

        crc ^= mask;
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, crc);
        return bytes[(8 - (width / 8))..];
    }
}
