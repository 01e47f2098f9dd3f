using System.Text;
using CloudPatterns.LocalCloud.CloudFormation;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.CloudFormation.Templates;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.S3;

namespace CloudPatterns.LocalCloud.Services.CloudFormation;

/// <summary>
/// Templates named by a TemplateURL, read from LocalCloud's S3 as CloudFormation reads them from S3:
/// https://BUCKET.s3[.REGION].amazonaws.com/KEY, https://s3[.REGION].amazonaws.com/BUCKET/KEY, or LocalCloud's own
/// endpoint (path-style, http://127.0.0.1:PORT/BUCKET/KEY). Used for CreateStack's TemplateURL and for nested stacks.
/// </summary>
internal sealed class S3TemplateSource(S3Store s3) : ITemplateSource
{
    /// <summary>A nested stack's template, read in its stack's account; refusals fail the resource.</summary>
    public string Read(StackIdentity stack, string templateUrl)
    {
        try
        {
            return Read(stack.AccountId, templateUrl, ownAuthority: null);
        }
        catch (AwsServiceException error)
        {
            throw new ResourceFailedException(error.Message);
        }
    }

    /// <summary>The template's text, or ValidationError with CloudFormation's message.</summary>
    /// <param name="ownAuthority">The host:port the request came to, which names LocalCloud itself (path-style).</param>
    public string Read(string accountId, string templateUrl, string? ownAuthority) =>
        Encoding.UTF8.GetString(ReadBytes(accountId, S3ObjectUrl.Parse(templateUrl, ownAuthority)
            ?? throw new AwsServiceException(400, "ValidationError", "TemplateURL must be an Amazon S3 URL.")));

    /// <summary>An object's bytes (a module package for RegisterType), or ValidationError with CloudFormation's S3 message.</summary>
    public byte[] ReadBytes(string accountId, (string Bucket, string Key) location)
    {
        var (bucket, key) = location;
        try
        {
            var version = s3.GetVersion(accountId, bucket, key, versionId: null);
            return version.IsDeleteMarker ? throw S3Errors.NoSuchKey(key) : version.Data;
        }
        catch (AwsServiceException error)
        {
            throw new AwsServiceException(400, "ValidationError", error.Code == "AccessDenied"
                ? "S3 error: Access Denied\nFor more information check http://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html"
                : $"S3 error: {error.Message}");
        }
    }
}
