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

    /// <summary>Moves the simulated clock forward to the next 00:00 UTC, so a test's schedule falls at known times.</summary>
    public static async Task MoveClockToNextMidnightAsync(this LocalCloudFixture cloud)
    {
        using var http = new HttpClient();
        using var clock = await http.GetAsync(new Uri(cloud.Server.Url, "/_localcloud/clock"));
        clock.EnsureSuccessStatusCode();
        var now = System.Text.Json.Nodes.JsonNode.Parse(await clock.Content.ReadAsStringAsync())!["now"]!.GetValue<DateTimeOffset>();
        var midnight = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        using var response = await http.PostAsync(new Uri(cloud.Server.Url, "/_localcloud/clock"), new StringContent($$"""{"to":"{{midnight:O}}"}"""));
        response.EnsureSuccessStatusCode();
    }

    public static AwsCaller As(this LocalCloudFixture cloud, string accountName, string region = "us-east-2") => cloud.Server.As(accountName, region);

    public static Task AdvanceClockAsync(this LocalCloudFixture cloud, string isoDuration) => cloud.Server.AdvanceClockAsync(isoDuration);
}
