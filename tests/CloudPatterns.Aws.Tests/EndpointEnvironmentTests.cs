using CloudPatterns.Aws.Organizations;
using CloudPatterns.Tests;

namespace CloudPatterns.Aws.Tests;

[CollectionDefinition(nameof(EndpointEnvironmentTests), DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
}

/// <summary>Settings that come from the process environment: credential sources, profiles, and the SDK's AWS_ENDPOINT_URL[_SERVICE] handling reaches our clients and STS; an explicit EndpointUrl wins.</summary>
[Collection(nameof(EndpointEnvironmentTests))]
public sealed class EndpointEnvironmentTests : IClassFixture<LocalCloudFixture>, IDisposable
{
    // Nothing listens here: a client that used it would fail to connect.
    private const string DeadEndpoint = "http://127.0.0.1:9";

    private static readonly string[] Variables =
    {
        "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_ORGANIZATIONS",
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_PROFILE",
    };

    private readonly LocalCloudFixture cloud;
    private readonly string profileDirectory = Directory.CreateTempSubdirectory("cloudpatterns-profiles-").FullName;
    private readonly Dictionary<string, string?> saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);

    public EndpointEnvironmentTests(LocalCloudFixture cloud) => this.cloud = cloud;

    public void Dispose()
    {
        foreach ((string name, string? value) in saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        Directory.Delete(profileDirectory, recursive: true);
    }

    [Fact]
    public async Task ANamedProfileGivesCredentialsAndRegion()
    {
        string credentialsFile = Path.Combine(profileDirectory, "credentials");
        File.WriteAllText(credentialsFile, $"""
            [sandbox]
            aws_access_key_id = {cloud.Server.Organization.ManagementCredentials.AccessKeyId}
            aws_secret_access_key = {cloud.Server.Organization.ManagementCredentials.SecretAccessKey}
            region = {LocalCloudFixture.DrRegion}
            """);

        using AwsSession session = await AwsSession.CreateAsync(new AwsConnectionSettings
        {
            ProfileName = "sandbox",
            ProfileLocation = credentialsFile,
            EndpointUrl = cloud.Server.Url.ToString(),
        });

        Assert.Equal("profile 'sandbox'", session.CredentialSource);
        Assert.Equal(LocalCloudFixture.DrRegion, session.Region);
        Assert.Equal(LocalCloudFixture.ManagementAccountId, session.CallerAccountId);
    }

    [Fact]
    public async Task AMissingProfileIsAConnectionErrorThatSaysWhatToDo()
    {
        string credentialsFile = Path.Combine(profileDirectory, "credentials");
        File.WriteAllText(credentialsFile, "[other]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = other\n");

        var error = await Assert.ThrowsAsync<AwsConnectionException>(() => AwsSession.CreateAsync(new AwsConnectionSettings
        {
            ProfileName = "nowhere",
            ProfileLocation = credentialsFile,
            Region = LocalCloudFixture.PrimaryRegion,
        }));

        Assert.Contains("'nowhere'", error.Message);
        Assert.Contains("aws configure", error.Message);
    }

    [Fact]
    public async Task TheDefaultChainAndTheGlobalEndpointVariableNeedNoParameters()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", cloud.Server.Organization.ManagementCredentials.AccessKeyId);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", cloud.Server.Organization.ManagementCredentials.SecretAccessKey);
        Environment.SetEnvironmentVariable("AWS_REGION", LocalCloudFixture.PrimaryRegion);
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL", cloud.Server.Url.ToString());

        using AwsSession session = await AwsSession.CreateAsync(new AwsConnectionSettings());
        AwsTarget target = await session.GetTargetAsync(LocalCloudFixture.ProductionAccountId);
        DescribeOrganizationResponse organization = await target.Organizations.DescribeOrganizationAsync(new DescribeOrganizationRequest());

        Assert.Equal("default credential chain: environment variables", session.CredentialSource);
        Assert.Equal(LocalCloudFixture.ManagementAccountId, session.CallerAccountId);
        Assert.Equal(LocalCloudFixture.PrimaryRegion, session.Region);
        Assert.Equal("o-lc0example01", organization.Organization!.Id);
    }

    [Fact]
    public async Task ServiceSpecificVariablesWinOverTheGlobalOne()
    {
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL", DeadEndpoint);
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_STS", cloud.Server.Url.ToString());
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_ORGANIZATIONS", cloud.Server.Url.ToString());
        AwsConnectionSettings settings = cloud.ManagementSettings();
        settings.EndpointUrl = null;

        using AwsSession session = await AwsSession.CreateAsync(settings);
        AwsTarget target = await session.GetTargetAsync(LocalCloudFixture.StagingAccountId);
        DescribeOrganizationResponse organization = await target.Organizations.DescribeOrganizationAsync(new DescribeOrganizationRequest());

        Assert.Equal("o-lc0example01", organization.Organization!.Id);
    }

    [Fact]
    public async Task AnExplicitEndpointWinsOverTheVariables()
    {
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL", DeadEndpoint);
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_STS", DeadEndpoint);
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_ORGANIZATIONS", DeadEndpoint);

        using AwsSession session = await AwsSession.CreateAsync(cloud.ManagementSettings());
        AwsTarget target = await session.GetTargetAsync(LocalCloudFixture.StagingAccountId);
        DescribeOrganizationResponse organization = await target.Organizations.DescribeOrganizationAsync(new DescribeOrganizationRequest());

        Assert.Equal("o-lc0example01", organization.Organization!.Id);
    }
}
