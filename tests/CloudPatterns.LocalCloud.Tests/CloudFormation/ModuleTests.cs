using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;
using static CloudPatterns.LocalCloud.Tests.CloudFormation.EngineFixture;

namespace CloudPatterns.LocalCloud.Tests.CloudFormation;

/// <summary>
/// CloudFormation modules (docs/localcloud-cloudformation-modules.md): a registered module's fragment takes the
/// module's place in the template, its resources named module id + fragment id, its parameters given by the module's
/// properties, and the template reaches them as Module.Resource or ModuleResource; an unregistered module is an
/// unrecognized resource type. The registry's API is tested through boto3 in <c>Boto3_*</c>.
/// </summary>
public sealed class ModuleTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private const string TypeName = "Wire::Storage::Bucket::MODULE";

    private static readonly string FragmentFile = Path.Combine(AppContext.BaseDirectory, "CloudFormation", "Modules", "bucket-fragment.yaml");

    /// <summary>The fragment (also the boto3 test's, python/modules_client.py).</summary>
    private static readonly string Fragment = File.ReadAllText(FragmentFile);

    /// <summary>A package as <c>cfn submit</c> builds it: schema.json and the fragment under fragments/.</summary>
    private static byte[] Package(params (string Name, string Text)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create))
        {
            foreach (var (name, text) in entries)
            {
                using var writer = new StreamWriter(archive.CreateEntry(name).Open(), Encoding.UTF8);
                writer.Write(text);
            }
        }
        return buffer.ToArray();
    }

    private static CloudFormationEngine EngineWithModule()
    {
        var engine = new CloudFormationEngine();
        engine.RegisterModule(Account, Region, TypeName, Package(("schema.json", "{}"), ("fragments/bucket.yaml", Fragment)));
        return engine;
    }

    private const string Consumer = """
        Parameters:
          Team:
            Type: String
            Default: ops
        Resources:
          Alarms:
            Type: AWS::SNS::Topic
          Logs:
            Type: Wire::Storage::Bucket::MODULE
            Properties:
              Prefix: !Sub '${Team}-logs'
              NotifyArn: !Ref Alarms
              Queue:
                Properties:
                  DelaySeconds: 7
          Reader:
            Type: AWS::SQS::Queue
            DependsOn: Logs.Bucket
            Properties:
              QueueName: !Sub '${Logs.Bucket}-reader'
        Outputs:
          BucketName:
            Value: !Ref Logs.Bucket
          BucketArn:
            Value: !GetAtt Logs.Bucket.Arn
          QueueUrl:
            Value: !Ref LogsQueue
        """;

    [Fact]
    public async Task AModulesFragmentTakesItsPlace_NamedModulePlusFragmentId_ParametersFromItsProperties_ReachedAsModuleDotResource()
    {
        var engine = EngineWithModule();

        var stack = await CreateAsync(engine, "logs", Consumer);

        Assert.Equal("CREATE_COMPLETE", stack.Status);
        Assert.Equal(["Alarms", "LogsBucket", "LogsPolicy", "LogsQueue", "Reader"], stack.Resources.Select(resource => resource.LogicalId).Order(StringComparer.Ordinal));
        var outputs = stack.Outputs.ToDictionary(output => output.OutputKey, output => output.OutputValue);
        // The fragment's bucket name: Fn::Sub of its Prefix parameter (the module's Sub of the template's parameter) and a mapping.
        Assert.Equal($"ops-logs-{Region}-archive", outputs["BucketName"]);
        Assert.Equal($"arn:aws:s3:::ops-logs-{Region}-archive", outputs["BucketArn"]);
        Assert.Equal(stack.Resources.Single(resource => resource.LogicalId == "LogsQueue").PhysicalId, outputs["QueueUrl"]);
        var processed = JsonNode.Parse(stack.Template!.ProcessedBody)!.AsObject();
        var resources = processed["Resources"]!.AsObject();
        Assert.False(resources.ContainsKey("Logs"));
        // The override merged into the fragment's queue; the fragment's own properties stay.
        Assert.Equal(7, resources["LogsQueue"]!["Properties"]!["DelaySeconds"]!.GetValue<int>());
        Assert.Equal("{\"Fn::Sub\":[\"${Prefix}-queue\",{\"Prefix\":{\"Fn::Sub\":\"${Team}-logs\"}}]}", resources["LogsQueue"]!["Properties"]!["QueueName"]!.ToJsonString());
        // The fragment's Ref of its parameter is the template's Ref; its condition and mapping take the prefix.
        Assert.Equal("{\"Ref\":\"Alarms\"}", resources["LogsPolicy"]!["Properties"]!["Topics"]![0]!.ToJsonString());
        Assert.Equal("LogsNotify", resources["LogsPolicy"]!["Condition"]!.GetValue<string>());
        Assert.True(processed["Conditions"]!.AsObject().ContainsKey("LogsNotify"));
        Assert.True(processed["Mappings"]!.AsObject().ContainsKey("LogsSuffixes"));
        Assert.Equal("LogsBucket", resources["Reader"]!["DependsOn"]!.GetValue<string>());
        Assert.Equal("[\"LogsBucket\"]", resources["LogsQueue"]!["DependsOn"]!.ToJsonString());
        Assert.Equal("{\"TypeHierarchy\":\"Wire::Storage::Bucket::MODULE\",\"LogicalIdHierarchy\":\"Logs\"}",
            resources["LogsBucket"]!["Metadata"]!["AWS::CloudFormation::Module"]!.ToJsonString());
        Assert.Equal("{\"Fn::Sub\":\"${LogsBucket}-reader\"}", resources["Reader"]!["Properties"]!["QueueName"]!.ToJsonString());
    }

    [Fact]
    public async Task AModuleNeedsNoAutoExpandCapability_AndAParameterWithoutDefaultIsRequired()
    {
        var engine = EngineWithModule();
        var missing = Assert.Throws<CloudFormationException>(() => engine.CreateStack(Account, Region, new StackInput
        {
            StackName = "logs",
            TemplateBody = "Resources:\n  Logs:\n    Type: Wire::Storage::Bucket::MODULE\n    Properties:\n      NotifyArn: ''\n",
        }));
        Assert.Equal("Module Logs (Wire::Storage::Bucket::MODULE) has no value for its parameter Prefix, which has no default: give it as the module's property Prefix.", missing.Message);
        Assert.Null(engine.FindStack(Account, Region, "logs"));

        // No capabilities at all: the fragment has no IAM resources, and modules are not macros.
        var stack = await CreateAsync(engine, "logs", "Resources:\n  Logs:\n    Type: Wire::Storage::Bucket::MODULE\n    Properties:\n      Prefix: plain\n      Notifications: 'off'\n");
        Assert.Equal("CREATE_COMPLETE", stack.Status);
        Assert.Equal(["LogsBucket", "LogsQueue"], stack.Resources.Select(resource => resource.LogicalId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AModuleInsideAModule_IsExpandedToo_NamedAndReachedThroughBothIds_WithBothInItsModuleInfo()
    {
        var engine = EngineWithModule();
        engine.RegisterModule(Account, Region, "Wire::Storage::Pair::MODULE", Package(("schema.json", "{}"), ("fragments/pair.yaml", """
            Parameters:
              Name:
                Type: String
            Resources:
              Primary:
                Type: Wire::Storage::Bucket::MODULE
                Properties:
                  Prefix: !Sub '${Name}-primary'
                  Notifications: 'off'
              Marker:
                Type: AWS::SSM::Parameter
                Properties:
                  Type: String
                  Value: !Ref Primary.Bucket
            """)));

        var stack = await CreateAsync(engine, "pair", """
            Resources:
              Data:
                Type: Wire::Storage::Pair::MODULE
                Properties:
                  Name: wire
            Outputs:
              Bucket:
                Value: !Ref Data.Primary.Bucket
            """);

        Assert.Equal("CREATE_COMPLETE", stack.Status);
        Assert.Equal(["DataMarker", "DataPrimaryBucket", "DataPrimaryQueue"], stack.Resources.Select(resource => resource.LogicalId).Order(StringComparer.Ordinal));
        Assert.Equal($"wire-primary-{Region}-archive", Assert.Single(stack.Outputs).OutputValue);
        var bucket = JsonNode.Parse(stack.Template!.ProcessedBody)!["Resources"]!["DataPrimaryBucket"]!;
        Assert.Equal("{\"TypeHierarchy\":\"Wire::Storage::Bucket::MODULE/Wire::Storage::Pair::MODULE\",\"LogicalIdHierarchy\":\"Primary/Data\"}",
            bucket["Metadata"]!["AWS::CloudFormation::Module"]!.ToJsonString());
    }

    [Fact]
    public void AModuleNotRegisteredInTheAccountAndRegion_IsAnUnrecognizedResourceType()
    {
        var engine = EngineWithModule();

        var refused = Assert.Throws<CloudFormationException>(() => engine.CreateStack("444444444444", Region, new StackInput { StackName = "logs", TemplateBody = Consumer }));

        Assert.Equal($"Template format error: Unrecognized resource types: [{TypeName}]", refused.Message);
    }

    [Theory]
    [InlineData("      Tags: [{Key: team, Value: ops}]\n", "[/Resources/Logs/Properties/Tags] Tags is not permitted within Modules")]
    [InlineData("    UpdatePolicy: {}\n", "[/Resources/Logs/UpdatePolicy] UpdatePolicy is not permitted within Modules")]
    public void AModuleTakesNoTagsNorPolicies(string extra, string message)
    {
        var engine = EngineWithModule();
        var body = "Resources:\n  Logs:\n    Type: Wire::Storage::Bucket::MODULE\n" + (extra.StartsWith("    U", StringComparison.Ordinal) ? extra : "")
            + "    Properties:\n      Prefix: plain\n" + (extra.StartsWith("      ", StringComparison.Ordinal) ? extra : "");

        var refused = Assert.Throws<CloudFormationException>(() => engine.CreateStack(Account, Region, new StackInput { StackName = "logs", TemplateBody = body }));

        Assert.Equal("Template format error: " + message, refused.Message);
    }

    [Theory]
    [InlineData("Wire::Storage::MODULE", "Type name 'Wire::Storage::MODULE' is not a module type name")]
    [InlineData(TypeName, "The module package must hold exactly one template fragment under fragments/ (.json, .yaml or .yml); it holds 2.")]
    public void RegisteringRefusesABadNameOrPackage_NamingIt(string typeName, string message)
    {
        var engine = new CloudFormationEngine();
        var refused = Assert.Throws<CloudFormationException>(() => engine.RegisterModule(Account, Region, typeName,
            Package(("schema.json", "{}"), ("fragments/a.yaml", Fragment), ("fragments/b.json", "{}"))));
        Assert.StartsWith(message, refused.Message);
        Assert.Null(engine.Modules.Find(Account, Region, typeName));
    }

    [Fact]
    public async Task Boto3_RegisterTypeFromAnS3Package_DescribeIt_DeployATemplateUsingIt_DeregisterIt()
    {
        var result = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, "modules_client.py", FragmentFile);

        Assert.Equal("CFNRegistryException", result.GetProperty("resourceType").GetString()!.Split(':')[0]);
        Assert.StartsWith("ValidationError: 1 validation error detected: Value 'Wire::Bucket' at 'typeName'", result.GetProperty("badName").GetString());
        Assert.Equal("COMPLETE", result.GetProperty("registration").GetProperty("ProgressStatus").GetString());
        Assert.EndsWith(":type/module/Wire-Storage-Bucket-MODULE/00000001", result.GetProperty("registration").GetProperty("TypeVersionArn").GetString());
        Assert.Equal("FAILED", result.GetProperty("badPackage").GetProperty("ProgressStatus").GetString());
        Assert.Equal("The module package is not a zip file.", result.GetProperty("badPackage").GetProperty("Description").GetString());
        var type = result.GetProperty("type");
        Assert.Equal("MODULE", type.GetProperty("Type").GetString());
        Assert.Equal("00000001", type.GetProperty("DefaultVersionId").GetString());
        Assert.Equal("{\"typeName\": \"Wire::Storage::Bucket::MODULE\"}", type.GetProperty("Schema").GetString());
        Assert.Equal("CREATE_COMPLETE", result.GetProperty("status").GetString());
        Assert.Equal(["Alarms", "LogsBucket", "LogsPolicy", "LogsQueue", "Reader"], result.GetProperty("resources").EnumerateArray().Select(item => item.GetString()!).Order(StringComparer.Ordinal));
        Assert.EndsWith("-archive", result.GetProperty("outputs").GetProperty("BucketName").GetString());
        // The API's ModuleInfo on the module's resources, none on the template's own.
        Assert.Equal("{\"TypeHierarchy\": \"Wire::Storage::Bucket::MODULE\", \"LogicalIdHierarchy\": \"Logs\"}", result.GetProperty("moduleInfo").GetProperty("LogsQueue").GetRawText());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("moduleInfo").GetProperty("Reader").ValueKind);
        Assert.Equal("Logs", result.GetProperty("detailModuleInfo").GetProperty("LogicalIdHierarchy").GetString());
        Assert.Equal("TypeNotFoundException", result.GetProperty("afterDeregister").GetString()!.Split(':')[0]);
        Assert.Equal(JsonValueKind.String, result.GetProperty("unregistered").ValueKind);
        Assert.Contains("Unrecognized resource types: [Wire::Storage::Bucket::MODULE]", result.GetProperty("unregistered").GetString());
    }
}
