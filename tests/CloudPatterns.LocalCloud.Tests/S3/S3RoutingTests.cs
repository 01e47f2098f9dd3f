using System.Net;

namespace CloudPatterns.LocalCloud.Tests.S3;

/// <summary>S3's path-style routes match nearly any path, so unsigned requests must reach the more specific REST services first.</summary>
public sealed class S3RoutingTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task UnsignedBackupVaultRequest_IsRefusedInBackupsProtocol_NotS3s()
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.Url };

        using var response = await http.GetAsync("/backup-vaults/central");

        Assert.Equal("MissingAuthenticationTokenException", response.Headers.GetValues("X-Amzn-ErrorType").Single());
    }

    [Fact]
    public async Task UnsignedObjectRequest_IsRefusedAsS3Does()
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.Url };

        using var response = await http.GetAsync("/some-bucket/some/key.json");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("<Code>AccessDenied</Code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
