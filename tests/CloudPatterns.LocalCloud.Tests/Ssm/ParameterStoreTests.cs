using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.Ssm;

/// <summary>Parameter Store through boto3: versions, labels, SecureString through KMS, paths, and AWS's public parameters.</summary>
public sealed class ParameterStoreTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task ParametersKeepVersionsLabelsAndSecretsAndPublicParametersServeEveryAccount()
    {
        var other = fixture.AdminOf("333333333333");
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "ssm_client.py", "parameters", other.AccessKeyId, other.SecretAccessKey);

        Assert.Equal("[[1, \"db-1.internal\", [\"blue\"]], [2, \"db-2.internal\", []]]", result.GetProperty("versions").GetRawText());
        Assert.Equal(["9lives"], Strings(result.GetProperty("invalidLabels")));
        Assert.Equal("db-1.internal", result.GetProperty("byLabel").GetString());
        Assert.Equal(":1", result.GetProperty("selector").GetString());
        Assert.Equal(["/app/zones"], Strings(result.GetProperty("oneLevel")));
        Assert.Equal(["/app/db/host", "/app/db/password", "/app/deep/er/value", "/app/zones"], Strings(result.GetProperty("recursive")));
        Assert.True(result.GetProperty("cipherDiffers").GetBoolean());
        Assert.Equal("hunter2-very-secret", result.GetProperty("decrypted").GetString());
        Assert.Equal("alias/aws/ssm", result.GetProperty("secureKey").GetString());
        var got = result.GetProperty("getParameters");
        Assert.Equal("a,b,c", got.GetProperty("Parameters")[0].GetProperty("Value").GetString());
        Assert.Equal(["/app/none"], Strings(got.GetProperty("InvalidParameters")));

        var publicHere = Strings(result.GetProperty("publicHere"));
        Assert.Matches("^ami-[0-9a-f]{17}$", publicHere[0]);
        Assert.Equal(("arn:aws:ssm:us-east-2::parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", "String"), (publicHere[1], publicHere[2]));
        Assert.Matches("^ami-[0-9a-f]{17}$", result.GetProperty("publicOther").GetString());
        Assert.NotEqual(publicHere[0], result.GetProperty("publicOther").GetString());
        Assert.Equal("Europe (Ireland)", result.GetProperty("regionName").GetString());
        Assert.Equal(result.GetProperty("ecsImage").GetString(), result.GetProperty("ecs").GetString());
        Assert.Equal("amzn-ami-2018.03.20240319-amazon-ecs-optimized", result.GetProperty("ecsAmazonLinux").GetString());
        Assert.Matches("^ami-[0-9a-f]{17}$", result.GetProperty("ecsAmazonLinuxImage").GetString());
        Assert.Matches("^ami-[0-9a-f]{17}$", result.GetProperty("windowsJapanese").GetString());
        Assert.Equal("ParameterNotFound: ", result.GetProperty("windowsUnknownLanguage").GetString());
        var ubuntu = Strings(result.GetProperty("ubuntu"));
        Assert.Matches("^ami-[0-9a-f]{17}$", ubuntu[0]);
        Assert.Equal(ubuntu[0], ubuntu[1]); // 22.04 and jammy are one release
        Assert.NotEqual(ubuntu[0], ubuntu[2]);
        Assert.Equal("ParameterNotFound: ", result.GetProperty("ubuntuUnbuiltVolume").GetString());
        Assert.Matches("^ami-[0-9a-f]{17}$", result.GetProperty("neuron").GetString());
        var debian = Strings(result.GetProperty("debian"));
        Assert.Matches("^ami-[0-9a-f]{17}$", debian[0]);
        Assert.Equal(debian[0], debian[1]);
        Assert.Equal(debian[2], debian[3]); // Debian 10 (buster), still published
        Assert.NotEqual(debian[0], debian[2]);
        // Windows Server with SQL Server: the combinations AWS publishes, not every year and edition.
        Assert.All(Strings(result.GetProperty("windowsSql")), value => Assert.Matches("^ami-[0-9a-f]{17}$", value));
        Assert.All(Strings(result.GetProperty("windowsSqlUnpublished")), value => Assert.Equal("ParameterNotFound: ", value));
        // Canonical's EKS images: per Ubuntu release, the Kubernetes versions it is built for.
        var ubuntuEks = Strings(result.GetProperty("ubuntuEks"));
        Assert.All(ubuntuEks, value => Assert.Matches("^ami-[0-9a-f]{17}$", value));
        Assert.NotEqual(ubuntuEks[0], ubuntuEks[1]);
        Assert.Equal("ParameterNotFound: ", result.GetProperty("ubuntuEksUnbuilt").GetString());

        Assert.Equal("ParameterNotFound: ", result.GetProperty("otherAccount").GetString());
        Assert.StartsWith("ParameterAlreadyExists: The parameter already exists.", result.GetProperty("exists").GetString());
        Assert.StartsWith("ValidationException: Parameter name: can't be prefixed with \"aws\" or \"ssm\"", result.GetProperty("reserved").GetString());
        Assert.Equal("ValidationException: Parameter name must be a fully qualified name.", result.GetProperty("relative").GetString());
        Assert.Equal("ValidationException: A parameter type is required when you create a parameter.", result.GetProperty("noType").GetString());
        Assert.StartsWith("ValidationException: Parameter /app/image with data type aws:ec2:image", result.GetProperty("badImage").GetString());
        Assert.Equal("ParameterVersionNotFound: Systems Manager could not find version 7 of /app/db/host. Verify the version and try again.", result.GetProperty("missingVersion").GetString());
        Assert.Equal(["/app/zones"], Strings(result.GetProperty("deleted").GetProperty("DeletedParameters")));
        Assert.Equal(["/app/none"], Strings(result.GetProperty("deleted").GetProperty("InvalidParameters")));
        Assert.Equal("ParameterNotFound: ", result.GetProperty("afterDelete").GetString());
    }

    [Fact]
    public async Task StacksReadSsmParameterTypesAndDynamicReferencesAndCreateParametersAndSecrets()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "ssm_client.py", "stack", Path.Combine(AppContext.BaseDirectory, "Ssm", "ssm-references.yaml"));

        Assert.Equal("ValidationError: Unable to fetch parameters [/test/nothing] from parameter store for this account.", result.GetProperty("missing").GetString());
        Assert.Equal("ValidationError: Parameters [/test/secure] referenced by template have types not supported by CloudFormation.", result.GetProperty("secureType").GetString());
        Assert.Equal("ValidationError: SSM Secure reference is not supported in: [AWS::S3::Bucket/Properties/BucketName]", result.GetProperty("secureWhereNot").GetString());
        Assert.Equal("ValidationError: Parameters: [ssm:/test/absent] cannot be found.", result.GetProperty("missingReference").GetString());

        Assert.Equal("CREATE_COMPLETE", result.GetProperty("status").GetString());
        var image = result.GetProperty("image").GetString();
        Assert.Equal(
            $"[[\"ImageId\", \"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64\", \"{image}\"], [\"Stage\", \"blue\", null], [\"Zones\", \"/test/zones\", \"za,zb,zc\"]]",
            result.GetProperty("parameters").GetRawText());
        var outputs = result.GetProperty("outputs");
        Assert.Equal((image, "/test/blue/image", "plain-1|zb"), (outputs.GetProperty("Image").GetString(), outputs.GetProperty("ImageParameter").GetString(), outputs.GetProperty("PlainValue").GetString()));
        Assert.Equal(image, result.GetProperty("copied").GetString());
        Assert.Matches("^CFN-PlainCopy-[0-9A-Za-z]+$", result.GetProperty("plainName").GetString());
        Assert.Equal("[\"admin\", 24]", result.GetProperty("secretShape").GetRawText());
        Assert.True(result.GetProperty("secretResolved").GetBoolean());
        Assert.False(result.GetProperty("secretShown").GetBoolean());

        Assert.Equal("[\"UPDATE_COMPLETE\", \"plain-1|zb\"]", result.GetProperty("updated").GetRawText());
        Assert.Equal($"[\"ParameterNotFound: \", \"{image}\"]", result.GetProperty("renamed").GetRawText());
        var afterDelete = Strings(result.GetProperty("afterDelete"));
        Assert.Equal(["ParameterNotFound: ", "ParameterNotFound: "], afterDelete[..2]);
        Assert.StartsWith("ResourceNotFoundException: ", afterDelete[2]);
    }

    [Fact]
    public async Task NoEchoParametersAndSecureReferencesAreUsedButNeverShown()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "ssm_client.py", "hidden");

        Assert.Equal("CREATE_COMPLETE", result.GetProperty("status").GetString());
        Assert.Equal("[[\"AdminPassword\", \"****\"], [\"Label\", \"****\"]]", result.GetProperty("parameters").GetRawText());
        // The resources get the values; events show them masked; outputs are not masked (AWS masks neither Outputs nor Metadata).
        Assert.Equal("param-secret-1/default-label-value", result.GetProperty("copy").GetString());
        Assert.Equal("****/****", result.GetProperty("copyEvent").GetString());
        Assert.Equal("param-secret-1", result.GetProperty("outputs").GetProperty("Echo").GetString());
        Assert.Equal("[[\"AdminPassword\", true], [\"Label\", true]]", result.GetProperty("summary").GetRawText());
        Assert.Equal("[]", result.GetProperty("shown").GetRawText());
        Assert.False(result.GetProperty("secureShown").GetBoolean());
    }

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(item => item.GetString()!).ToList();
}
