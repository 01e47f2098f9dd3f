using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>
/// Nested stacks through boto3 over HTTP: a root, a middle and a leaf stack whose templates LocalCloud reads from
/// its S3 (virtual-hosted and path-style URLs); ParentId/RootId in DescribeStacks and ListStacks; the leaf's bucket
/// really created; Outputs.X passed up; an update with a new leaf template under the same URL and a new parameter
/// cascading; a missing template and a failing child rolling the parent back; delete cascading.
/// </summary>
public sealed class NestedStackTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task NestedStacksAreCreatedUpdatedAndDeletedWithTheirParent()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "nested_stacks_client.py", "nested-templates-bucket");

        Assert.Equal("[\"CREATE_COMPLETE\", \"CREATE_COMPLETE\", \"CREATE_COMPLETE\"]", result.GetProperty("created").GetRawText());
        var names = result.GetProperty("names").EnumerateArray().Select(name => name.GetString()!).ToList();
        Assert.Matches("^nested-Middle-[A-Z0-9]{12}$", names[0]);
        Assert.Matches($"^{names[0]}-Leaf-[A-Z0-9]{{12}}$", names[1]);
        Assert.Equal("[true, true, false, false]", result.GetProperty("middle").GetRawText());
        Assert.Equal("[true, true]", result.GetProperty("leaf").GetRawText());
        Assert.Equal("[true, true]", result.GetProperty("listed").GetRawText());
        Assert.True(result.GetProperty("described").GetBoolean());
        Assert.Equal("[\"CREATE_IN_PROGRESS\", \"CREATE_IN_PROGRESS\", \"CREATE_COMPLETE\"]", result.GetProperty("leafEvents").GetRawText());
        Assert.Equal("[{\"ParameterKey\": \"Env\", \"ParameterValue\": \"dev\"}]", result.GetProperty("leafParameters").GetRawText());
        Assert.Equal("[true, true]", result.GetProperty("output").GetRawText());

        var updated = result.GetProperty("updated");
        Assert.Equal(["UPDATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_COMPLETE"], updated.EnumerateArray().Take(3).Select(status => status.GetString()));
        Assert.Equal($"{{\"Env\": \"prod\", \"Region\": \"{fixture.Organization.PrimaryRegion}\"}}", updated[3].GetRawText());
        Assert.Equal("[{\"Key\": \"env\", \"Value\": \"prod\"}]", updated[4].GetRawText());

        Assert.Equal("[\"ROLLBACK_COMPLETE\", \"S3 error: The specified key does not exist.\"]", result.GetProperty("missing").GetRawText());
        var failed = result.GetProperty("failed");
        Assert.Equal("ROLLBACK_COMPLETE", failed[0].GetString());
        Assert.Equal("Embedded stack CHILD was not successfully created: The following resource(s) failed to create: [Bad].", failed[1].GetString());
        Assert.Equal("DELETE_COMPLETE", failed[2].GetString());
        Assert.True(failed[3].GetBoolean());
        Assert.Equal("Properties validation failed for resource Bad with message: #: extraneous key [NoSuchProperty] is not permitted", failed[4].GetString());

        Assert.Equal("[\"DELETE_COMPLETE\", \"DELETE_COMPLETE\", \"DELETE_COMPLETE\", false]", result.GetProperty("deleted").GetRawText());
    }
}
