using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Efs;

/// <summary>
/// Amazon Elastic File System (REST-JSON, signing name elasticfilesystem, API 2015-02-01): file systems, mount
/// targets, access points, backup policies and tags. Facts, sources and what is inferred: docs/localcloud-efs.md.
/// </summary>
internal sealed class EfsService : RestJsonService
{
    private const string Base = "/2015-02-01";
    private readonly EfsOperations operations;
    private readonly EfsStore store;

    public EfsService(EfsOperations operations)
        : base("elasticfilesystem", "ThrottlingException")
    {
        this.operations = operations;
        store = operations.Store;
        AddOperation("CreateFileSystem", mutating: true, "POST", Base + "/file-systems", CreateFileSystem);
        AddOperation("DescribeFileSystems", mutating: false, "GET", Base + "/file-systems", DescribeFileSystems);
        AddOperation("DeleteFileSystem", mutating: true, "DELETE", Base + "/file-systems/{FileSystemId}", DeleteFileSystem);
        AddOperation("PutBackupPolicy", mutating: true, "PUT", Base + "/file-systems/{FileSystemId}/backup-policy", PutBackupPolicy);
        AddOperation("DescribeBackupPolicy", mutating: false, "GET", Base + "/file-systems/{FileSystemId}/backup-policy", DescribeBackupPolicy);
        AddOperation("CreateMountTarget", mutating: true, "POST", Base + "/mount-targets", CreateMountTarget);
        AddOperation("DescribeMountTargets", mutating: false, "GET", Base + "/mount-targets", DescribeMountTargets);
        AddOperation("DeleteMountTarget", mutating: true, "DELETE", Base + "/mount-targets/{MountTargetId}", DeleteMountTarget);
        AddOperation("CreateAccessPoint", mutating: true, "POST", Base + "/access-points", CreateAccessPoint);
        AddOperation("DescribeAccessPoints", mutating: false, "GET", Base + "/access-points", DescribeAccessPoints);
        AddOperation("DeleteAccessPoint", mutating: true, "DELETE", Base + "/access-points/{AccessPointId}", DeleteAccessPoint);
        AddOperation("TagResource", mutating: true, "POST", Base + "/resource-tags/{ResourceId}", TagResource);
        AddOperation("UntagResource", mutating: true, "DELETE", Base + "/resource-tags/{ResourceId}", UntagResource);
        AddOperation("ListTagsForResource", mutating: false, "GET", Base + "/resource-tags/{ResourceId}", ListTagsForResource);
    }

    /// <summary>
    /// For authorization (Authorization/OperationActions.cs): ResourceType is file-system or access-point by the id's
    /// form, and DeleteMountTarget's FileSystemId is the mount target's file system.
    /// </summary>
    protected override string? RequestParameter(RestJsonInput input, string name) => name switch
    {
        "ResourceType" => input.Path.GetValueOrDefault("ResourceId") is { } id && id.Contains("fsap-", StringComparison.Ordinal) ? "access-point" : "file-system",
        "FileSystemId" when input.Path.GetValueOrDefault("MountTargetId") is { } mountTarget => store.FileSystemOfMountTarget(mountTarget),
        "FileSystemId" when input.Query.ContainsKey("MountTargetId") => store.FileSystemOfMountTarget(input.Query["MountTargetId"].ToString()),
        _ => base.RequestParameter(input, name),
    };

    private RestJsonResult CreateFileSystem(AwsRequest request, RestJsonInput input)
    {
        var body = input.Body ?? default;
        var created = operations.CreateFileSystem(request.AccountId, request.Region, new FileSystemRequest(
            body.GetStringOrNull("CreationToken"), body.GetStringOrNull("PerformanceMode"), body.GetStringOrNull("ThroughputMode"),
            Double(body, "ProvisionedThroughputInMibps"), body.GetBooleanOrNull("Encrypted") == true, body.GetStringOrNull("KmsKeyId"),
            body.GetStringOrNull("AvailabilityZoneName"), body.GetBooleanOrNull("Backup"), EfsOperations.TagsOf(input.Body, "Tags")));
        return new RestJsonResult(201, FileSystemJson(created, 0, store.Now));
    }

    private RestJsonResult DescribeFileSystems(AwsRequest request, RestJsonInput input)
    {
        var id = Query(input, "FileSystemId");
        var token = Query(input, "CreationToken");
        var violations = new List<string>();
        ModelConstraints.CheckString(violations, "fileSystemId", id, 1, 128, EfsOperations.FileSystemIdPattern, required: false);
        ModelConstraints.CheckString(violations, "creationToken", token, 1, 64, ".+", required: false);
        var limit = ModelConstraints.CheckInteger(violations, "maxItems", Query(input, "MaxItems"), 1, int.MaxValue);
        EfsOperations.ThrowIfAny(violations);
        if (id is not null && token is not null)
        {
            throw EfsErrors.BadRequest("Give FileSystemId or CreationToken, not both.");
        }

        var now = store.Now;
        var items = store.List(request.AccountId, request.Region, id, token).Select(entry => (JsonNode)FileSystemJson(entry.FileSystem, entry.MountTargets, now)).ToList();
        return Paged(input, "DescribeFileSystems", "FileSystems", items, limit, "Marker", "NextMarker");
    }

    private RestJsonResult DeleteFileSystem(AwsRequest request, RestJsonInput input)
    {
        store.Delete(request.AccountId, request.Region, input.Path["FileSystemId"]);
        return new RestJsonResult(204, null);
    }

    private RestJsonResult PutBackupPolicy(AwsRequest request, RestJsonInput input)
    {
        var status = input.Body?.GetObjectOrNull("BackupPolicy")?.GetStringOrNull("Status");
        if (status is not ("ENABLED" or "DISABLED"))
        {
            // (inferred) ENABLING and DISABLING are states AWS reports, not ones a caller sets.
            throw EfsErrors.Error(400, "ValidationException", $"BackupPolicy.Status must be ENABLED or DISABLED, not {status ?? "null"}.");
        }

        store.Change(request.AccountId, request.Region, input.Path["FileSystemId"], fileSystem => fileSystem.BackupPolicy = status);
        return new RestJsonResult(200, BackupPolicyJson(status));
    }

    private RestJsonResult DescribeBackupPolicy(AwsRequest request, RestJsonInput input) =>
        new(200, BackupPolicyJson(store.Use(request.AccountId, request.Region, input.Path["FileSystemId"], fileSystem => fileSystem.BackupPolicy)));

    private RestJsonResult CreateMountTarget(AwsRequest request, RestJsonInput input)
    {
        var body = input.Body ?? default;
        var created = operations.CreateMountTarget(request.AccountId, request.Region, body.GetStringOrNull("FileSystemId"), body.GetStringOrNull("SubnetId"),
            body.GetStringOrNull("IpAddress"), body.ValueKind == JsonValueKind.Object ? body.GetStringsOrEmpty("SecurityGroups") : []);
        return new RestJsonResult(200, MountTargetJson(created, store.Now));
    }

    private RestJsonResult DescribeMountTargets(AwsRequest request, RestJsonInput input)
    {
        var fileSystemId = Query(input, "FileSystemId");
        var mountTargetId = Query(input, "MountTargetId");
        var accessPointId = Query(input, "AccessPointId");
        var violations = new List<string>();
        var limit = ModelConstraints.CheckInteger(violations, "maxItems", Query(input, "MaxItems"), 1, int.MaxValue);
        EfsOperations.ThrowIfAny(violations);
        if (new[] { fileSystemId, mountTargetId, accessPointId }.Count(given => given is not null) != 1)
        {
            throw EfsErrors.BadRequest("Give exactly one of FileSystemId, MountTargetId or AccessPointId.");
        }

        var now = store.Now;
        var items = store.MountTargets(request.AccountId, request.Region, fileSystemId, mountTargetId, accessPointId).Select(target => (JsonNode)MountTargetJson(target, now)).ToList();
        return Paged(input, "DescribeMountTargets", "MountTargets", items, limit, "Marker", "NextMarker");
    }

    private RestJsonResult DeleteMountTarget(AwsRequest request, RestJsonInput input)
    {
        store.DeleteMountTarget(request.AccountId, request.Region, input.Path["MountTargetId"]);
        return new RestJsonResult(204, null);
    }

    private RestJsonResult CreateAccessPoint(AwsRequest request, RestJsonInput input)
    {
        var body = input.Body ?? default;
        var created = operations.CreateAccessPoint(request.AccountId, request.Region, body.GetStringOrNull("ClientToken"), body.GetStringOrNull("FileSystemId"),
            body.ValueKind == JsonValueKind.Object ? body.GetObjectOrNull("PosixUser") : null, body.ValueKind == JsonValueKind.Object ? body.GetObjectOrNull("RootDirectory") : null,
            EfsOperations.TagsOf(input.Body, "Tags"));
        return new RestJsonResult(200, AccessPointJson(created));
    }

    private RestJsonResult DescribeAccessPoints(AwsRequest request, RestJsonInput input)
    {
        var accessPointId = Query(input, "AccessPointId");
        var fileSystemId = Query(input, "FileSystemId");
        var violations = new List<string>();
        var limit = ModelConstraints.CheckInteger(violations, "maxResults", Query(input, "MaxResults"), 1, int.MaxValue);
        EfsOperations.ThrowIfAny(violations);
        if (accessPointId is not null && fileSystemId is not null)
        {
            throw EfsErrors.BadRequest("Give AccessPointId or FileSystemId, not both.");
        }

        var items = store.AccessPoints(request.AccountId, request.Region, accessPointId, fileSystemId).Select(point => (JsonNode)AccessPointJson(point)).ToList();
        return Paged(input, "DescribeAccessPoints", "AccessPoints", items, limit, "NextToken", "NextToken");
    }

    private RestJsonResult DeleteAccessPoint(AwsRequest request, RestJsonInput input)
    {
        store.DeleteAccessPoint(request.AccountId, request.Region, input.Path["AccessPointId"]);
        return new RestJsonResult(204, null);
    }

    private RestJsonResult TagResource(AwsRequest request, RestJsonInput input)
    {
        var tags = EfsOperations.TagsOf(input.Body, "Tags");
        var violations = new List<string>();
        EfsOperations.CheckTags(violations, tags);
        if (tags.Count == 0)
        {
            violations.Add("Value null at 'tags' failed to satisfy constraint: Member must not be null");
        }

        EfsOperations.ThrowIfAny(violations);
        store.Tags(request.AccountId, request.Region, input.Path["ResourceId"], current => [.. current.Where(tag => tags.All(added => added.Key != tag.Key)), .. tags]);
        return new RestJsonResult(200, []);
    }

    private RestJsonResult UntagResource(AwsRequest request, RestJsonInput input)
    {
        var keys = input.Query.TryGetValue("tagKeys", out var given) ? given.Select(key => key ?? "").ToHashSet(StringComparer.Ordinal) : [];
        if (keys.Count == 0)
        {
            throw EfsErrors.BadRequest("1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
        }

        store.Tags(request.AccountId, request.Region, input.Path["ResourceId"], current => [.. current.Where(tag => !keys.Contains(tag.Key))]);
        return new RestJsonResult(200, []);
    }

    private RestJsonResult ListTagsForResource(AwsRequest request, RestJsonInput input)
    {
        var violations = new List<string>();
        var limit = ModelConstraints.CheckInteger(violations, "maxResults", Query(input, "MaxResults"), 1, int.MaxValue);
        EfsOperations.ThrowIfAny(violations);
        var items = store.Tags(request.AccountId, request.Region, input.Path["ResourceId"]).Select(tag => (JsonNode)TagJson(tag)).ToList();
        return Paged(input, "ListTagsForResource", "Tags", items, limit, "NextToken", "NextToken");
    }

    private static JsonObject FileSystemJson(EfsFileSystem fileSystem, int mountTargets, DateTimeOffset now)
    {
        var output = new JsonObject
        {
            ["OwnerId"] = fileSystem.AccountId,
            ["CreationToken"] = fileSystem.CreationToken,
            ["FileSystemId"] = fileSystem.Id,
            ["FileSystemArn"] = fileSystem.Arn,
            ["CreationTime"] = Epoch(fileSystem.CreationTime),
            ["LifeCycleState"] = fileSystem.LifeCycleState(now),
            ["NumberOfMountTargets"] = mountTargets,
            ["SizeInBytes"] = new JsonObject { ["Value"] = fileSystem.SizeInBytes, ["ValueInStandard"] = fileSystem.SizeInBytes, ["ValueInIA"] = 0, ["ValueInArchive"] = 0 },
            ["PerformanceMode"] = fileSystem.PerformanceMode,
            ["Encrypted"] = fileSystem.Encrypted,
            ["ThroughputMode"] = fileSystem.ThroughputMode,
            ["Tags"] = new JsonArray([.. fileSystem.Tags.Select(tag => (JsonNode)TagJson(tag))]),
            ["FileSystemProtection"] = new JsonObject { ["ReplicationOverwriteProtection"] = "ENABLED" },
        };
        AddIfSet(output, "Name", fileSystem.Name);
        AddIfSet(output, "KmsKeyId", fileSystem.KmsKeyArn);
        AddIfSet(output, "AvailabilityZoneName", fileSystem.AvailabilityZoneName);
        if (fileSystem.ProvisionedThroughputInMibps is { } provisioned)
        {
            output["ProvisionedThroughputInMibps"] = provisioned;
        }

        return output;
    }

    private static JsonObject MountTargetJson(EfsMountTarget target, DateTimeOffset now) => new()
    {
        ["OwnerId"] = target.AccountId,
        ["MountTargetId"] = target.Id,
        ["FileSystemId"] = target.FileSystemId,
        ["SubnetId"] = target.SubnetId,
        ["LifeCycleState"] = target.LifeCycleState(now),
        ["IpAddress"] = target.IpAddress,
        ["NetworkInterfaceId"] = target.NetworkInterfaceId,
        ["AvailabilityZoneName"] = target.AvailabilityZoneName,
        ["VpcId"] = target.VpcId,
    };

    private static JsonObject AccessPointJson(EfsAccessPoint point)
    {
        var output = new JsonObject
        {
            ["ClientToken"] = point.ClientToken,
            ["Tags"] = new JsonArray([.. point.Tags.Select(tag => (JsonNode)TagJson(tag))]),
            ["AccessPointId"] = point.Id,
            ["AccessPointArn"] = point.Arn,
            ["FileSystemId"] = point.FileSystemId,
            ["OwnerId"] = point.AccountId,
            ["LifeCycleState"] = "available",
            ["RootDirectory"] = point.RootDirectory is { } root ? JsonNode.Parse(root) : new JsonObject { ["Path"] = "/" },
        };
        AddIfSet(output, "Name", point.Name);
        if (point.PosixUser is { } user)
        {
            output["PosixUser"] = JsonNode.Parse(user);
        }

        return output;
    }

    private static JsonObject TagJson(EfsTag tag) => new() { ["Key"] = tag.Key, ["Value"] = tag.Value };

    private static JsonObject BackupPolicyJson(string status) => new() { ["BackupPolicy"] = new JsonObject { ["Status"] = status } };

    private static RestJsonResult Paged(RestJsonInput input, string operation, string member, IReadOnlyList<JsonNode> items, int? limit, string tokenIn, string tokenOut)
    {
        var (page, next) = PageTokens.Page(items, operation, Query(input, tokenIn), limit ?? 100, () => EfsErrors.BadRequest($"The {tokenIn} is not valid."));
        var output = new JsonObject { [member] = new JsonArray([.. page]) };
        AddIfSet(output, tokenOut, next);
        return new RestJsonResult(200, output);
    }

    private static double? Double(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static double Epoch(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    private static string? Query(RestJsonInput input, string name) => input.Query.TryGetValue(name, out var value) ? value.ToString() : null;

    private static void AddIfSet(JsonObject output, string name, string? value)
    {
        if (value is not null)
        {
            output[name] = value;
        }
    }
}
