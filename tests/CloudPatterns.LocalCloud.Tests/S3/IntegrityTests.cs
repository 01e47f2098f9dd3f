using System.Text;
using CloudPatterns.LocalCloud.Services.S3;

namespace CloudPatterns.LocalCloud.Tests.S3;

/// <summary>The checksum algorithms against their published check values, and aws-chunked decoding.</summary>
public sealed class IntegrityTests
{
    private static readonly byte[] CheckInput = Encoding.ASCII.GetBytes("123456789");

    [Theory]
    [InlineData("x-amz-checksum-crc32", "CBF43926")]
    [InlineData("x-amz-checksum-crc32c", "E3069283")]
    [InlineData("x-amz-checksum-crc64nvme", "AE8B14860A799888")]
    [InlineData("x-amz-checksum-sha256", "15E2B0D3C33891EBB0F1EF609EC419420C20E320CE94C65FBC8C3312448EB225")]
    public void Checksum_OfTheStandardCheckInput_IsThePublishedCheckValue(string header, string expectedHex)
    {
        var algorithm = ChecksumAlgorithm.All.Single(candidate => candidate.HeaderName == header);

        Assert.Equal(Convert.ToBase64String(Convert.FromHexString(expectedHex)), algorithm.Compute(CheckInput));
    }

    [Fact]
    public void AwsChunked_SignedChunksAndTrailer_DecodeToThePayloadAndTrailers()
    {
        var body = Encoding.ASCII.GetBytes(
            "5;chunk-signature=aaaa\r\nhello\r\n6;chunk-signature=bbbb\r\n world\r\n0;chunk-signature=cccc\r\n" +
            "x-amz-checksum-crc32:DUoRhQ==\r\nx-amz-trailer-signature:dddd\r\n\r\n");

        var (payload, trailers) = AwsChunkedBody.Decode(body);

        Assert.Equal("hello world", Encoding.ASCII.GetString(payload));
        Assert.Equal("DUoRhQ==", trailers["x-amz-checksum-crc32"]);
        Assert.Equal(ChecksumAlgorithm.All.Single(candidate => candidate.Name == "CRC32").Compute(payload), trailers["x-amz-checksum-crc32"]);
    }

    [Fact]
    public void AwsChunked_ChunkLongerThanTheBody_IsRefused()
    {
        var error = Assert.Throws<Protocols.AwsServiceException>(() => AwsChunkedBody.Decode(Encoding.ASCII.GetBytes("ff\r\nshort\r\n")));

        Assert.Equal("InvalidRequest", error.Code);
    }
}
