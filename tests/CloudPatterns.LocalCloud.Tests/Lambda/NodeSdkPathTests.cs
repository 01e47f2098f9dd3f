using System.IO.Compression;
using System.Text;
using CloudPatterns.LocalCloud.Services.Lambda;

namespace CloudPatterns.LocalCloud.Tests.Lambda;

/// <summary>
/// Node.js functions load packages from the SDK folder LocalCloud puts on NODE_PATH (docs/localcloud-lambda.md, "SDKs"),
/// as Lambda's Node.js runtimes load the AWS SDK they include; Python functions do not get it. The folder here holds a
/// stand-in package, so the test needs no download.
/// </summary>
public sealed class NodeSdkPathTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "node-sdk-test-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_node_function_requires_a_package_of_the_sdk_folder()
    {
        var package = Path.Combine(_folder, "node_modules", "@aws-sdk", "client-standin");
        Directory.CreateDirectory(package);
        await File.WriteAllTextAsync(Path.Combine(package, "index.js"), "exports.Client = class { name() { return 'from the sdk folder'; } };");
        using var runtime = new LambdaRuntime(Path.Combine(_folder, "node_modules"));

        var node = await runtime.RunAsync(Function("nodejs24.x", "index.js", """
            const { Client } = require('@aws-sdk/client-standin');
            exports.handler = async () => ({ name: new Client().name(), path: process.env.NODE_PATH });
            """), "1", "{}"u8.ToArray(), DateTimeOffset.UtcNow, _ => new Dictionary<string, string>());
        var python = await runtime.RunAsync(Function("python3.13", "index.py", """
            import os
            def handler(event, context):
                return {"path": os.environ.get("NODE_PATH")}
            """), "2", "{}"u8.ToArray(), DateTimeOffset.UtcNow, _ => new Dictionary<string, string>());

        Assert.Equal(ExecutionOutcome.Succeeded, node.Outcome);
        Assert.Equal($"{{\"name\":\"from the sdk folder\",\"path\":\"{Path.Combine(_folder, "node_modules")}\"}}", Encoding.UTF8.GetString(node.Payload));
        Assert.Equal("{\"path\": null}", Encoding.UTF8.GetString(python.Payload));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static LambdaFunction Function(string runtime, string file, string source)
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        using (var writer = new StreamWriter(archive.CreateEntry(file).Open()))
        {
            writer.Write(source);
        }

        return new LambdaFunction
        {
            AccountId = "333333333333",
            Region = "us-east-2",
            Name = "sdk-" + runtime.Replace('.', '-'),
            Runtime = runtime,
            Handler = "index.handler",
            Role = "arn:aws:iam::333333333333:role/sdk",
            Code = zip.ToArray(),
            LastModified = DateTimeOffset.UtcNow,
        };
    }
}
