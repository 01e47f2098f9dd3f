using System.Net;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace CloudPatterns.LocalCloud.Tests;

/// <summary>AssumeRole's rules (duration limits, role chaining, validation), through the AWS SDK for .NET.</summary>
public sealed class StsTests : IAsyncLifetime
{
    // Production's admin role trusts sessions of log-archive's OrganizationAccountAccessRole: a chain of two roles.
    private const string ChainSeed = """
        organization: { id: o-chain00001, rootId: r-ch01, managementAccountId: "111111111111" }
        regions: [eu-west-1]
        organizationalUnits:
          - name: Workloads
            children: [{ name: Prod }]
        memberAccountRoles:
          - name: OrganizationAccountAccessRole
            maxSessionDuration: 43200
            trustPolicy: '{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole"}]}'
            managedPolicies: [arn:aws:iam::aws:policy/AdministratorAccess]
        accounts:
          - id: "111111111111"
            name: management
            admin: { accessKeyId: AKIALC111111111111AD, secretAccessKey: management-secret }
          - id: "222222222222"
            name: hub
            organizationalUnit: /Workloads
            admin: { accessKeyId: AKIALC222222222222AD, secretAccessKey: hub-secret }
          - id: "333333333333"
            name: production
            organizationalUnit: /Workloads/Prod
            admin: { accessKeyId: AKIALC333333333333AD, secretAccessKey: production-secret }
            roles:
              - name: Auditor
                trustPolicy: '{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}'
              - name: Deployer
                maxSessionDuration: 7200
                trustPolicy: '{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::222222222222:role/OrganizationAccountAccessRole"]},"Action":"sts:*"}]}'
        """;

    private readonly string seedPath = Path.Combine(Path.GetTempPath(), $"localcloud-chain-{Guid.NewGuid():N}.yaml");
    private LocalCloudServer? server;

    private LocalCloudServer Server => server!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(seedPath, ChainSeed);
        server = await LocalCloudServer.StartAsync(new LocalCloudOptions { SeedPath = seedPath });
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        File.Delete(seedPath);
    }

    [Fact]
    public async Task RoleChaining_IsCappedAtOneHour()
    {
        using var management = Client("111111111111");
        var hub = (await management.AssumeRoleAsync(Request("222222222222", "OrganizationAccountAccessRole", 43200))).Credentials;
        using var hubClient = Client(new SessionAWSCredentials(hub.AccessKeyId, hub.SecretAccessKey, hub.SessionToken));

        var tooLong = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => hubClient.AssumeRoleAsync(Request("333333333333", "Deployer", 7200)));
        var chained = await hubClient.AssumeRoleAsync(Request("333333333333", "Deployer", 3600));

        Assert.Equal(("ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."), (tooLong.ErrorCode, tooLong.Message));
        Assert.Equal("arn:aws:sts::333333333333:assumed-role/Deployer/session", chained.AssumedRoleUser.Arn);
        Assert.InRange(chained.Credentials.Expiration!.Value - Server.Clock.GetUtcNow().UtcDateTime, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(60));
    }

    [Fact]
    public async Task TrustPolicy_AdmitsOnlyTheTrustedPrincipal()
    {
        using var management = Client("111111111111");
        using var hubAdmin = Client("222222222222");

        var byManagement = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => management.AssumeRoleAsync(Request("333333333333", "Deployer", 900)));
        var byHubUser = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => hubAdmin.AssumeRoleAsync(Request("333333333333", "Deployer", 900)));
        var missingRole = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => management.AssumeRoleAsync(Request("333333333333", "NoSuchRole", 900)));

        Assert.Equal(
            "User: arn:aws:iam::111111111111:user/admin is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::333333333333:role/Deployer",
            byManagement.Message);
        Assert.Equal(("AccessDenied", HttpStatusCode.Forbidden), (byHubUser.ErrorCode, byHubUser.StatusCode));
        Assert.Equal(
            "User: arn:aws:iam::111111111111:user/admin is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::333333333333:role/NoSuchRole",
            missingRole.Message);
    }

    [Fact]
    public async Task Duration_IsLimitedByTheModelAndTheRolesMaxSessionDuration()
    {
        using var management = Client("111111111111");

        var tooShort = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => management.AssumeRoleAsync(Request("222222222222", "OrganizationAccountAccessRole", 899)));
        var tooLong = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => management.AssumeRoleAsync(Request("222222222222", "OrganizationAccountAccessRole", 43201)));
        var aboveRoleMaximum = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => management.AssumeRoleAsync(Request("333333333333", "Auditor", 7200)));
        var twelveHours = await management.AssumeRoleAsync(Request("222222222222", "OrganizationAccountAccessRole", 43200));

        Assert.Equal(("ValidationError", HttpStatusCode.BadRequest), (tooShort.ErrorCode, tooShort.StatusCode));
        Assert.Equal("1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900", tooShort.Message);
        Assert.Equal("1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200", tooLong.Message);
        Assert.Equal(("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."), (aboveRoleMaximum.ErrorCode, aboveRoleMaximum.Message));
        Assert.InRange(twelveHours.Credentials.Expiration!.Value - Server.Clock.GetUtcNow().UtcDateTime, TimeSpan.FromHours(12) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(12));
    }

    [Fact]
    public async Task RoleSessionName_IsValidatedAsTheModelSays()
    {
        using var management = Client("111111111111");

        var badCharacter = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => management.AssumeRoleAsync(Request("222222222222", "OrganizationAccountAccessRole", 900, "bad:name")));
        var tooShort = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => management.AssumeRoleAsync(Request("222222222222", "OrganizationAccountAccessRole", 900, "x")));

        Assert.Equal(
            "1 validation error detected: Value 'bad:name' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
            badCharacter.Message);
        Assert.Equal(
            "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
            tooShort.Message);
    }

    private static AssumeRoleRequest Request(string accountId, string roleName, int durationSeconds, string sessionName = "session") => new()
    {
        RoleArn = $"arn:aws:iam::{accountId}:role/{roleName}",
        RoleSessionName = sessionName,
        DurationSeconds = durationSeconds,
    };
    private AmazonSecurityTokenServiceClient Client(string accountId)
    {
        var admin = Server.Organization.FindAccount(accountId)!.Admin;
        return Client(new BasicAWSCredentials(admin.AccessKeyId, admin.SecretAccessKey));
    }

    private AmazonSecurityTokenServiceClient Client(AWSCredentials credentials) => new(credentials, new AmazonSecurityTokenServiceConfig
    {
        ServiceURL = Server.Url.ToString(),
        AuthenticationRegion = Server.Organization.PrimaryRegion,
        MaxErrorRetry = 0,
    });
}
