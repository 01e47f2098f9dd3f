namespace CloudPatterns.Aws.Tests;

public sealed class SessionNameTests
{
    [Theory]
    [InlineData("arn:aws:iam::111111111111:user/admin", "CloudPatterns-admin")]
    [InlineData("arn:aws:iam::111111111111:root", "CloudPatterns-root")]
    [InlineData("arn:aws:sts::111111111111:assumed-role/Ops/jane doe:laptop", "CloudPatterns-laptop")]
    [InlineData("arn:aws:sts::111111111111:assumed-role/Ops/jane doe#1", "CloudPatterns-jane-doe-1")]
    public void NamesTheToolAndTheCallerWithinStsRules(string callerArn, string expected)
    {
        Assert.Equal(expected, AwsSession.SessionNameFor(callerArn));
    }

    [Fact]
    public void StaysWithinSixtyFourCharacters()
    {
        string name = AwsSession.SessionNameFor("arn:aws:sts::111111111111:assumed-role/Ops/" + new string('x', 80));

        Assert.Equal(64, name.Length);
        Assert.Matches("^[A-Za-z0-9_+=,.@-]{2,64}$", name);
    }
}
