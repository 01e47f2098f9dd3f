namespace CloudPatterns.LocalCloud.Tests.S3;

/// <summary>
/// CopyObject through boto3 (python/s3_copy_client.py): the source's data, content type and metadata arrive, or the
/// request's with REPLACE; a version id picks an older version; S3's refusals come back with S3's codes and nothing is
/// written. (Until the ninth session LocalCloud ignored x-amz-copy-source and stored an empty object.)
/// </summary>
public sealed class S3CopyObjectTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task CopyObjectCopiesTheSourceVersionAndRefusesAsS3()
    {
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "s3_copy_client.py");

        Assert.Equal("PK second version", results.Text("targetBody"));
        Assert.Equal("application/zip", results.Text("targetContentType"));
        Assert.Equal("42", results.At("targetMetadata", "build").GetString());
        Assert.Equal(results.Text("targetETag"), results.Text("copyETag"));
        Assert.Equal("\"" + Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData("PK second version"u8.ToArray())) + "\"", results.Text("copyETag"));
        Assert.Equal(results.Text("sourceVersionId"), results.Text("copySourceVersionId"));

        Assert.Equal("PK first version", results.Text("oldBody"));
        Assert.Equal(results.Text("firstVersionId"), results.Text("oldSourceVersionId"));

        Assert.Equal("text/plain", results.Text("replacedContentType"));
        Assert.Equal("corpus", results.At("replacedMetadata", "owner").GetString());
        Assert.False(results.At("replacedMetadata").TryGetProperty("build", out _));
        Assert.Equal(results.Text("copyETag"), results.Text("replacedETag"));

        Assert.Equal("NoSuchKey: The specified key does not exist.", results.Text("missingKey"));
        Assert.StartsWith("NoSuchBucket: ", results.Text("missingBucket"), StringComparison.Ordinal);
        Assert.Equal("InvalidArgument: Invalid copy source object key", results.Text("noKey"));
        Assert.Equal("InvalidRequest: This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, "
            + "storage class, website redirect location or encryption attributes.", results.Text("ontoItself"));
        Assert.Equal("InvalidArgument: Unknown metadata directive.", results.Text("badDirective"));
        Assert.StartsWith("404", results.Text("notCreatedOnFailure"), StringComparison.Ordinal);
    }
}
