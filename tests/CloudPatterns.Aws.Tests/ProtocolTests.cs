using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Amazon.Runtime.Internal;
using CloudPatterns.Aws.Backup;
using CloudPatterns.Aws.CloudFormation;
using CloudPatterns.Aws.Organizations;
using CloudPatterns.Aws.Protocol;
using CloudPatterns.Aws.Restore;

namespace CloudPatterns.Aws.Tests;

/// <summary>The wire shapes the generic marshallers produce, checked against the botocore models' rules.</summary>
public sealed class ProtocolTests
{
    [Fact]
    public void Json11PutsTheOperationInTheTargetHeaderAndTheRequestInTheBody()
    {
        var protocol = new Json11Protocol(AwsServiceDescription.Organizations, "AWSOrganizationsV20161128");

        IRequest request = protocol.Marshall(new ListAccountsForParentRequest { ParentId = "ou-lc01-workload", MaxResults = 20 });

        Assert.Equal("POST", request.HttpMethod);
        Assert.Equal("AWSOrganizationsV20161128.ListAccountsForParent", request.Headers["X-Amz-Target"]);
        Assert.Equal("application/x-amz-json-1.1", request.Headers["Content-Type"]);
        Assert.Equal("{\"ParentId\":\"ou-lc01-workload\",\"MaxResults\":20}", Encoding.UTF8.GetString(request.Content));
    }

    [Fact]
    public void RestJsonFillsTheUriAndLeavesUriMembersOutOfTheBody()
    {
        var protocol = new RestJsonProtocol(AwsServiceDescription.Backup);

        IRequest request = protocol.Marshall(new CreateBackupVaultRequest
        {
            BackupVaultName = "central vault",
            BackupVaultTags = new Dictionary<string, string> { ["team"] = "dr" },
        });

        Assert.Equal("PUT", request.HttpMethod);
        Assert.Equal("/backup-vaults/{backupVaultName}", request.ResourcePath);
        Assert.Equal("central vault", request.PathResources["{backupVaultName}"]);
        using JsonDocument body = JsonDocument.Parse(request.Content);
        Assert.Equal(new[] { "BackupVaultTags" }, body.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void RestJsonSendsQueryMembersAsQueryParametersAndGetsWithoutABody()
    {
        var protocol = new RestJsonProtocol(AwsServiceDescription.Backup);

        IRequest request = protocol.Marshall(new ListBackupVaultsRequest { MaxResults = 5, ByShared = true, NextToken = "abc" });

        Assert.Equal("GET", request.HttpMethod);
        Assert.Equal("5", request.Parameters["maxResults"]);
        Assert.Equal("true", request.Parameters["shared"]);
        Assert.Equal("abc", request.Parameters["nextToken"]);
        Assert.Null(request.Content);
    }

    [Fact]
    public void QueryFlattensListsWithMemberIndexes()
    {
        var protocol = new QueryProtocol(AwsServiceDescription.CloudFormation);

        IRequest request = protocol.Marshall(new ListStacksRequest { StackStatusFilter = new List<string> { "CREATE_COMPLETE", "UPDATE_COMPLETE" } });

        Assert.Equal("ListStacks", request.Parameters["Action"]);
        Assert.Equal("2010-05-15", request.Parameters["Version"]);
        Assert.Equal("CREATE_COMPLETE", request.Parameters["StackStatusFilter.member.1"]);
        Assert.Equal("UPDATE_COMPLETE", request.Parameters["StackStatusFilter.member.2"]);
        Assert.False(request.Parameters.ContainsKey("NextToken"));
    }

    [Fact]
    public void Ec2FlattensListsWithoutMemberAndNamesMembersByTheirCapitalisedLocationName()
    {
        var protocol = new Ec2Protocol(AwsServiceDescription.Ec2);

        IRequest request = protocol.Marshall(new DescribeVolumesRequest
        {
            VolumeIds = ["vol-1", "vol-2"],
            Filters = [new Filter { Name = "tag:backup", Values = ["daily", "weekly"] }],
        });

        Assert.Equal("POST", request.HttpMethod);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["Action"] = "DescribeVolumes",
                ["Version"] = "2016-11-15",
                ["VolumeId.1"] = "vol-1",
                ["VolumeId.2"] = "vol-2",
                ["Filter.1.Name"] = "tag:backup",
                ["Filter.1.Value.1"] = "daily",
                ["Filter.1.Value.2"] = "weekly",
            },
            request.Parameters.ToDictionary(p => p.Key, p => p.Value));
    }

    [Fact]
    public void Ec2ResponsesFillMembersByLocationNameFromTheRoot()
    {
        XElement root = XElement.Parse("""
            <DescribeVolumesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
              <requestId>r-1</requestId>
              <volumeSet>
                <item>
                  <volumeId>vol-0a</volumeId>
                  <size>20</size>
                  <status>in-use</status>
                  <createTime>2026-01-02T03:04:05.000Z</createTime>
                  <tagSet><item><key>backup</key><value>daily</value></item></tagSet>
                </item>
              </volumeSet>
            </DescribeVolumesResponse>
            """);
        var response = new DescribeVolumesResponse();

        QueryShapes.Ec2.Populate(root, response);

        Volume volume = Assert.Single(response.Volumes);
        Assert.Equal("vol-0a", volume.VolumeId);
        Assert.Equal("in-use", volume.State);
        Assert.Equal(20, volume.Size);
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), volume.CreateTime);
        Assert.Equal(("backup", "daily"), (Assert.Single(volume.Tags).Key, volume.Tags[0].Value));
        Assert.Null(response.NextToken);
    }

    [Fact]
    public void QueryResultsFillNestedStructuresListsAndTimestamps()
    {
        XElement result = XElement.Parse("""
            <DescribeStacksResult xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
              <Stacks>
                <member>
                  <StackName>web</StackName>
                  <CreationTime>2026-01-02T03:04:05.678Z</CreationTime>
                  <StackStatus>CREATE_COMPLETE</StackStatus>
                  <EnableTerminationProtection>true</EnableTerminationProtection>
                  <TimeoutInMinutes>30</TimeoutInMinutes>
                  <Outputs><member><OutputKey>Url</OutputKey><OutputValue>http://x</OutputValue></member></Outputs>
                  <Capabilities><member>CAPABILITY_IAM</member></Capabilities>
                  <DriftInformation><StackDriftStatus>IN_SYNC</StackDriftStatus></DriftInformation>
                </member>
              </Stacks>
            </DescribeStacksResult>
            """);
        var response = new DescribeStacksResponse();

        QueryShapes.Query.Populate(result, response);

        Stack stack = Assert.Single(response.Stacks);
        Assert.Equal("web", stack.StackName);
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc), stack.CreationTime);
        Assert.Equal(DateTimeKind.Utc, stack.CreationTime!.Value.Kind);
        Assert.True(stack.EnableTerminationProtection);
        Assert.Equal(30, stack.TimeoutInMinutes);
        Assert.Equal("http://x", Assert.Single(stack.Outputs).OutputValue);
        Assert.Equal("CAPABILITY_IAM", Assert.Single(stack.Capabilities));
        Assert.Equal("IN_SYNC", stack.DriftInformation!.StackDriftStatus);
        Assert.Null(response.NextToken);
    }

    [Fact]
    public void JsonTimestampsAreEpochSeconds()
    {
        var account = JsonSerializer.Deserialize<Account>("{\"Id\":\"333333333333\",\"JoinedTimestamp\":1767225600.5}", AwsJson.Options)!;

        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 0, 500, DateTimeKind.Utc), account.JoinedTimestamp);
    }

    [Theory]
    [InlineData("Organizations", "us-east-2", "https://organizations.us-east-1.amazonaws.com", "us-east-1")]
    [InlineData("Organizations", "cn-north-1", "https://organizations.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1")]
    [InlineData("Organizations", "us-gov-east-1", "https://organizations.us-gov-west-1.amazonaws.com", "us-gov-west-1")]
    [InlineData("Backup", "us-west-2", "https://backup.us-west-2.amazonaws.com", "us-west-2")]
    [InlineData("CloudFormation", "eu-central-1", "https://cloudformation.eu-central-1.amazonaws.com", "eu-central-1")]
    public void ResolvesRegionalAndGlobalEndpoints(string serviceId, string region, string url, string signingRegion)
    {
        var endpoint = new AwsServiceEndpointProvider(Service(serviceId))
            .ResolveEndpoint(new AwsServiceEndpointParameters { Region = region });

        Assert.Equal(url, endpoint.URL);
        Assert.Equal(signingRegion, SigningRegion(endpoint));
    }

    [Fact]
    public void AnEndpointOverrideIsUsedAsGivenAndSignedForTheRegion()
    {
        var endpoint = new AwsServiceEndpointProvider(AwsServiceDescription.Backup)
            .ResolveEndpoint(new AwsServiceEndpointParameters { Region = "us-west-2", Endpoint = "http://127.0.0.1:4566" });

        Assert.Equal("http://127.0.0.1:4566", endpoint.URL);
        Assert.Equal("us-west-2", SigningRegion(endpoint));
    }

    [Fact]
    public void ParsedEndpointAttributesAreSharedOnlyByTheSameServiceAndRegion()
    {
        var provider = new AwsServiceEndpointProvider(AwsServiceDescription.CloudFormation);
        Amazon.Runtime.Endpoints.Endpoint Resolve(string region) => provider.ResolveEndpoint(new AwsServiceEndpointParameters { Region = region, Endpoint = "http://127.0.0.1:4566" });

        Amazon.Runtime.Endpoints.Endpoint first = Resolve("us-east-1");
        Amazon.Runtime.Endpoints.Endpoint other = Resolve("eu-west-1");
        Amazon.Runtime.Endpoints.Endpoint again = Resolve("us-east-1");
        Amazon.Runtime.Endpoints.Endpoint backup = new AwsServiceEndpointProvider(AwsServiceDescription.Backup)
            .ResolveEndpoint(new AwsServiceEndpointParameters { Region = "us-east-1", Endpoint = "http://127.0.0.1:4566" });

        Assert.Equal("us-east-1", SigningRegion(first));
        Assert.Equal("eu-west-1", SigningRegion(other));
        Assert.Equal("us-east-1", SigningRegion(again));
        Assert.NotSame(first, again);
        Assert.Equal("backup", SigningName(backup));
        Assert.Equal("cloudformation", SigningName(again));
    }

    [Fact]
    public void ConfigsReadTheirServiceSpecificEndpointVariable()
    {
        // The SDK derives the variable from ServiceId; checked here because a wrong ServiceId fails silently.
        Assert.Equal("AWS_ENDPOINT_URL_ORGANIZATIONS", Amazon.Runtime.Internal.Util.TransformServiceId.TransformServiceIdToEnvVariable(new AwsServiceConfig(AwsServiceDescription.Organizations).ServiceId));
        Assert.Equal("AWS_ENDPOINT_URL_BACKUP", Amazon.Runtime.Internal.Util.TransformServiceId.TransformServiceIdToEnvVariable(new AwsServiceConfig(AwsServiceDescription.Backup).ServiceId));
        Assert.Equal("AWS_ENDPOINT_URL_CLOUDFORMATION", Amazon.Runtime.Internal.Util.TransformServiceId.TransformServiceIdToEnvVariable(new AwsServiceConfig(AwsServiceDescription.CloudFormation).ServiceId));
    }

    private static AwsServiceDescription Service(string serviceId) => serviceId switch
    {
        "Organizations" => AwsServiceDescription.Organizations,
        "Backup" => AwsServiceDescription.Backup,
        _ => AwsServiceDescription.CloudFormation,
    };

    private static string SigningRegion(Amazon.Runtime.Endpoints.Endpoint endpoint) => AuthScheme(endpoint, "signingRegion");

    private static string SigningName(Amazon.Runtime.Endpoints.Endpoint endpoint) => AuthScheme(endpoint, "signingName");

    private static string AuthScheme(Amazon.Runtime.Endpoints.Endpoint endpoint, string attribute)
    {
        var schemes = (System.Collections.IList)endpoint.Attributes["authSchemes"];
        return (string)((Amazon.Runtime.Endpoints.PropertyBag)schemes[0]!)[attribute];
    }
}
