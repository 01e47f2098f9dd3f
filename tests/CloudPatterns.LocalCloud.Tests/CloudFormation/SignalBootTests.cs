using CloudPatterns.LocalCloud.CloudFormation.Stacks;
using static CloudPatterns.LocalCloud.Tests.CloudFormation.EngineFixture;

namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>The emulated boot signals any resource waiting under a CreationPolicy that an instance's user data names with cfn-signal.</summary>
public sealed class SignalBootTests
{
    private static string Template(string signalledResource) => $$"""
        Resources:
          Web:
            Type: AWS::EC2::Instance
            Properties:
              ImageId: ami-0123456789abcdef0
              UserData: !Base64
                Fn::Sub: |
                  #!/bin/bash -xe
                  /opt/aws/bin/cfn-signal -e $? --stack ${AWS::StackId} --resource {{signalledResource}} --region ${AWS::Region}
          Ready:
            Type: AWS::CloudFormation::WaitCondition
            CreationPolicy:
              ResourceSignal:
                Timeout: PT15M
                Count: 1
        """;

    [Fact]
    public async Task AWaitConditionUnderACreationPolicyIsSignalledByTheInstanceWhoseUserDataNamesIt()
    {
        var engine = new CloudFormationEngine(new SteppingClock());

        var stack = await CreateAsync(engine, "signalled", Template("Ready"));

        Assert.Equal("CREATE_COMPLETE", stack.Status);
        Assert.Contains(stack.Events, stackEvent => stackEvent.LogicalResourceId == "Ready"
            && stackEvent.ResourceStatusReason?.StartsWith("Received SUCCESS signal with UniqueId i-", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task AWaitConditionNoUserDataNamesTimesOut()
    {
        var engine = new CloudFormationEngine(new SteppingClock());

        var stack = await CreateAsync(engine, "unsignalled", Template("Web"));

        Assert.Equal("ROLLBACK_COMPLETE", stack.Status);
        Assert.Equal("Failed to receive 1 resource signal(s) within the specified duration", ResourceFailure(stack, "Ready"));
    }

    /// <summary>A clock one minute later at every reading, so a 15-minute signal timeout passes within a few polls.</summary>
    private sealed class SteppingClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow()
        {
            lock (this)
            {
                _now = _now.AddMinutes(1);
                return _now;
            }
        }
    }
}
