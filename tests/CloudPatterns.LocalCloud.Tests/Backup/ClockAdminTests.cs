using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.Tests.Backup;

/// <summary>The simulated clock through the admin API: read it, move it by a duration or to a time, never back.</summary>
public sealed class ClockAdminTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task The_clock_moves_forward_by_a_duration_or_to_a_time_and_never_back()
    {
        using var admin = new HttpClient { BaseAddress = cloud.Server.Url };
        var before = (await admin.GetFromJsonAsync<JsonObject>("/_localcloud/clock"))!["now"]!.GetValue<DateTimeOffset>();

        var advanced = await MoveAsync(admin, new { advance = "P2D" });
        Assert.InRange(advanced["now"]!.GetValue<DateTimeOffset>() - before, TimeSpan.FromDays(2), TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));

        var target = before.AddDays(10);
        var moved = await MoveAsync(admin, new { to = target });
        Assert.InRange(moved["now"]!.GetValue<DateTimeOffset>() - target, TimeSpan.Zero, TimeSpan.FromMinutes(1));

        using var back = await admin.PostAsJsonAsync("/_localcloud/clock", new { to = before });
        Assert.Equal(HttpStatusCode.BadRequest, back.StatusCode);
        using var neither = await admin.PostAsJsonAsync("/_localcloud/clock", new { by = "PT1H" });
        Assert.Equal(HttpStatusCode.BadRequest, neither.StatusCode);
        Assert.InRange(cloud.Server.Clock.GetUtcNow() - target, TimeSpan.Zero, TimeSpan.FromMinutes(1));
    }

    private static async Task<JsonObject> MoveAsync(HttpClient admin, object body)
    {
        using var response = await admin.PostAsJsonAsync("/_localcloud/clock", body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
