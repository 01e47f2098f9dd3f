namespace CloudPatterns.LocalCloud.Tests.Support;

/// <summary>Signed callers per seed account and the simulated clock, for the Backup and KMS tests.</summary>
public static class LocalCloudFixtureExtensions
{
    /// <summary>A SigV4-signing caller with the admin key of the named seed account, in a region.</summary>
    public static AwsCaller As(this LocalCloudServer server, string accountName, string region = "us-east-2") =>
        new(server.Url, server.Organization.Accounts.Single(account => account.Name == accountName), region);

    /// <summary>Moves the simulated clock forward through the admin API; returns once due rules and jobs have run.</summary>
    public static async Task AdvanceClockAsync(this LocalCloudServer server, string isoDuration)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(server.Url, "/_localcloud/clock"), new StringContent($$"""{"advance":"{{isoDuration}}"}"""));
        response.EnsureSuccessStatusCode();
    }

    public static AwsCaller As(this LocalCloudFixture cloud, string accountName, string region = "us-east-2") => cloud.Server.As(accountName, region);

    public static Task AdvanceClockAsync(this LocalCloudFixture cloud, string isoDuration) => cloud.Server.AdvanceClockAsync(isoDuration);
}
