using System;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;

namespace CloudPatterns.Aws.Credentials;

/// <summary>Credentials and region from the settings, or from the SDK's own chains; the source is described, never the secret.</summary>
internal static class CredentialResolver
{
    public static async Task<ResolvedCredentials> ResolveAsync(AwsConnectionSettings settings)
    {
        if (!string.IsNullOrEmpty(settings.AccessKey) || !string.IsNullOrEmpty(settings.SecretKey))
        {
            if (string.IsNullOrEmpty(settings.AccessKey) || string.IsNullOrEmpty(settings.SecretKey))
            {
                throw new AwsConnectionException("AccessKey and SecretKey must be given together.");
            }

            bool temporary = !string.IsNullOrEmpty(settings.SessionToken);
            AWSCredentials keys = temporary
                ? new SessionAWSCredentials(settings.AccessKey, settings.SecretKey, settings.SessionToken)
                : new BasicAWSCredentials(settings.AccessKey, settings.SecretKey);
            string source = temporary ? "parameters (AccessKey/SecretKey/SessionToken)" : "parameters (AccessKey/SecretKey)";
            return new ResolvedCredentials(keys, source, ResolveRegion(settings.Region, profile: null));
        }

        if (!string.IsNullOrEmpty(settings.ProfileName))
        {
            var profiles = new CredentialProfileStoreChain(settings.ProfileLocation);
            if (!profiles.TryGetProfile(settings.ProfileName, out CredentialProfile profile) ||
                !profiles.TryGetAWSCredentials(settings.ProfileName, out AWSCredentials profileCredentials))
            {
                throw new AwsConnectionException(
                    $"The AWS profile '{settings.ProfileName}' was not found or has no credentials in {settings.ProfileLocation ?? "~/.aws/credentials or ~/.aws/config"}. Check the name, or run 'aws configure --profile {settings.ProfileName}'.");
            }

            return new ResolvedCredentials(profileCredentials, $"profile '{settings.ProfileName}'", ResolveRegion(settings.Region, profile));
        }

        AWSCredentials credentials;
        try
        {
            credentials = await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync().ConfigureAwait(false);
        }
        catch (AmazonClientException exception)
        {
            throw new AwsConnectionException(
                "No AWS credentials were found. Pass -AccessKey and -SecretKey or -ProfileName, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE, or run where a container or instance role is available.",
                exception);
        }

        return new ResolvedCredentials(credentials, "default credential chain: " + DescribeDefaultSource(credentials), ResolveRegion(settings.Region, profile: null));
    }

    private static string DescribeDefaultSource(AWSCredentials credentials) => credentials switch
    {
        EnvironmentVariablesAWSCredentials => "environment variables",
        AssumeRoleWithWebIdentityCredentials => "web identity token (AWS_WEB_IDENTITY_TOKEN_FILE)",
        GenericContainerCredentials => "container credentials",
        InstanceProfileAWSCredentials => "EC2 instance profile",
        // The SDK's own instance-profile type is internal, so it is recognised by name.
        _ when credentials.GetType().Name.Contains("InstanceProfile") => "EC2 instance profile",
        _ => $"profile '{Environment.GetEnvironmentVariable("AWS_PROFILE") ?? "default"}'",
    };

    private static string ResolveRegion(string? explicitRegion, CredentialProfile? profile)
    {
        string? region = explicitRegion ?? profile?.Region?.SystemName ?? FallbackRegionFactory.GetRegionEndpoint()?.SystemName;
        return string.IsNullOrEmpty(region)
            ? throw new AwsConnectionException("No AWS region is configured. Pass -Region, set AWS_REGION, or set a region in the AWS profile.")
            : region!;
    }
}

internal sealed class ResolvedCredentials
{
    public ResolvedCredentials(AWSCredentials credentials, string source, string region)
    {
        Credentials = credentials;
        Source = source;
        Region = region;
    }

    public AWSCredentials Credentials { get; }

    public string Source { get; }

    public string Region { get; }
}
