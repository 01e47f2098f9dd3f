namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>
/// Through boto3: a string outside the registry schema's allowed values and a missing required nested property fail
/// the resource with CloudFormation's message (docs/localcloud-cloudformation-validation.md), at create and at update;
/// a read-only property set in a template is accepted and ignored.
/// </summary>
public sealed class PropertyValidationTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task InvalidEnumValuesAndMissingRequiredPropertiesFailTheResource()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "property_validation_client.py");

        Assert.Equal("[\"ROLLBACK_COMPLETE\", \"Properties validation failed for resource Data with message: #/VersioningConfiguration/Status: On is not a valid enum value\"]",
            result.GetProperty("enum").GetRawText());
        Assert.Equal("[\"ROLLBACK_COMPLETE\", \"Properties validation failed for resource Data with message: #/VersioningConfiguration: required key [Status] not found\"]",
            result.GetProperty("required").GetRawText());
        Assert.Equal("[\"CREATE_COMPLETE\", \"UPDATE_ROLLBACK_COMPLETE\", \"Properties validation failed for resource Data with message: #/VersioningConfiguration/Status: enabled is not a valid enum value\"]",
            result.GetProperty("update").GetRawText());
        Assert.Equal("DELETE_COMPLETE", result.GetProperty("deleted").GetString());
        // A read-only property set in a template is accepted and ignored (docs/localcloud-cloudformation-validation.md).
        var readOnly = result.GetProperty("readOnly");
        Assert.Equal("CREATE_COMPLETE", readOnly.GetProperty("status").GetString());
        Assert.True(readOnly.GetProperty("arnIsSqs").GetBoolean());
        Assert.Equal("[\"ROLLBACK_COMPLETE\", \"Properties validation failed for resource Queue with message: #: extraneous key [Arns] is not permitted\"]",
            readOnly.GetProperty("unknown").GetRawText());
    }
}
