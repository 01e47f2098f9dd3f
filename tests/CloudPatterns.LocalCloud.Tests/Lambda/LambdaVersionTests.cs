using System.Text.RegularExpressions;

namespace CloudPatterns.LocalCloud.Tests.Lambda;

/// <summary>
/// Versions, aliases and function URLs through boto3 (python/lambda_versions_client.py): the API's rules, and
/// CloudFormation's AWS::Lambda::Version, ::Alias, ::Url and a permission on an alias, also from SAM's AutoPublishAlias;
/// function URL configurations through the API.
/// </summary>
public sealed partial class LambdaVersionTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private const string FunctionArn = "arn:aws:lambda:us-east-2:111111111111:function:fn-versions";

    [Fact]
    public async Task VersionsAndAliasesFollowLambdasRulesThroughTheApiAndCloudFormation()
    {
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "lambda_versions_client.py",
            TestFunctionPackage.ZipPath, TestFunctionPackage.HandlerPrefix + "Echo");

        Assert.Equal(["1", FunctionArn + ":1", "first"], results.GetProperty("published").EnumerateArray().Select(item => item.GetString()).ToList());
        Assert.Equal("1", results.Text("unchanged"));
        Assert.StartsWith("InvalidParameterValueException: CodeSHA256 (AAAA) is different from current CodeSHA256 in $LATEST", results.Text("wrongSha"), StringComparison.Ordinal);
        Assert.Equal("2", results.Text("second"));
        Assert.Equal(["$LATEST", "1", "2"], results.GetProperty("versions").EnumerateArray().Select(item => item.GetString()).ToList());
        Assert.Equal("one", results.Text("versionOneStage"));
        Assert.Equal([FunctionArn + ":live", "1"], results.GetProperty("alias").EnumerateArray().Select(item => item.GetString()).ToList());
        Assert.Equal($"ResourceConflictException: Alias already exists: {FunctionArn}:live", results.Text("duplicateAlias"));
        Assert.Equal($"ResourceNotFoundException: Function not found: {FunctionArn}:7", results.Text("aliasOfMissingVersion"));
        Assert.StartsWith("ValidationException: 1 validation error detected: Value '12' at 'name'", results.Text("numericAlias"), StringComparison.Ordinal);
        Assert.Equal("InvalidParameterValueException: Qualifier live: LocalCloud keeps asynchronous invocation settings for $LATEST only, not for versions or aliases.", results.Text("aliasAsyncSettings"));
        Assert.Equal("2", results.Text("updated"));
        Assert.Equal("live", results.GetProperty("aliases")[0][0].GetString());
        Assert.Equal("two", results.Text("aliasStage"));
        Assert.Equal(FunctionArn + ":live", results.Text("aliasPolicy"));
        Assert.StartsWith("ResourceNotFoundException:", results.Text("functionPolicy"), StringComparison.Ordinal);
        Assert.Equal("2", results.Text("executedVersion"));
        Assert.Equal($"ResourceNotFoundException: Function not found: {FunctionArn}:9", results.Text("missingVersion"));
        var url = results.GetProperty("url");
        Assert.Matches(UrlForm(), url[0].GetString()!);
        Assert.Equal((FunctionArn + ":live", "BUFFERED"), (url[1].GetString(), url[2].GetString()));
        Assert.StartsWith("ResourceConflictException: Failed to create function url config", results.Text("urlTwice"), StringComparison.Ordinal);
        Assert.StartsWith("InvalidParameterValueException: A function URL serves $LATEST or an alias, not a version", results.Text("urlOnVersion"), StringComparison.Ordinal);
        Assert.Contains("Value 'OPEN' at 'authType' failed to satisfy constraint: Member must satisfy enum value set: [AWS_IAM, NONE]", results.Text("urlBadAuth"), StringComparison.Ordinal);
        Assert.Equal(url[0].GetString(), results.GetProperty("urlUpdated")[0].GetString());
        Assert.Equal("NONE", results.GetProperty("urlUpdated")[1].GetString());
        Assert.Equal("*", results.GetProperty("urlUpdated")[2][0].GetString());
        Assert.Equal([FunctionArn + ":live"], results.GetProperty("urls").EnumerateArray().Select(item => item.GetString()).ToList());
        Assert.Equal("ResourceNotFoundException: The resource you requested does not exist.", results.Text("urlAfterDelete"));
        Assert.Equal("ResourceConflictException: Unable to delete version because the following aliases reference it: [live]", results.Text("deleteAliased"));
        Assert.Equal($"ResourceNotFoundException: Alias not found: {FunctionArn}:live", results.Text("aliasAfterDelete"));
        Assert.Equal(["$LATEST", "1"], results.GetProperty("versionsAfterDelete").EnumerateArray().Select(item => item.GetString()).ToList());
        Assert.Equal("3", results.Text("third"));

        var stack = results.GetProperty("stack");
        Assert.True(stack.Text("status") == "CREATE_COMPLETE", stack.Text("reason"));
        var aliasArn = stack.Text("outputs", "AliasArn")!;
        Assert.Matches(@"^arn:aws:lambda:us-east-2:111111111111:function:versions-Function-[A-Za-z0-9]+:live$", aliasArn);
        Assert.Equal(aliasArn[..^"live".Length] + "1", stack.Text("outputs", "VersionArn"));
        Assert.Equal("1", stack.Text("outputs", "VersionNumber"));
        Assert.Matches(UrlForm(), stack.Text("outputs", "Url")!);
        Assert.Equal(new Uri(stack.Text("outputs", "Url")!).Host, stack.Text("outputs", "UrlHost"));
        Assert.Equal("1", stack.Text("aliasVersion"));
        Assert.Equal(aliasArn, stack.Text("aliasPolicy"));
        Assert.Equal("DELETE_COMPLETE", stack.Text("deleted"));
        Assert.StartsWith("ResourceNotFoundException:", stack.Text("functionAfterDelete"), StringComparison.Ordinal);

        var sam = results.GetProperty("sam");
        Assert.True(sam.Text("status") == "CREATE_COMPLETE", sam.Text("reason"));
        Assert.EndsWith(":live", sam.Text("outputs", "Alias"), StringComparison.Ordinal);
        Assert.EndsWith(":1", sam.Text("outputs", "Version"), StringComparison.Ordinal);
        Assert.Matches(UrlForm(), sam.Text("outputs", "Url")!);
    }

    /// <summary>https://&lt;url-id&gt;.lambda-url.&lt;region&gt;.on.aws/ (https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html).</summary>
    [GeneratedRegex(@"^https://[a-z0-9]{32}\.lambda-url\.us-east-2\.on\.aws/$")]
    private static partial Regex UrlForm();
}
