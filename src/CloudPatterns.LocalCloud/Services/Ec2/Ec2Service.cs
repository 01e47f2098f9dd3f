using System.Globalization;
using System.Xml.Linq;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Fleet;
using CloudPatterns.LocalCloud.Services.Resources;

namespace CloudPatterns.LocalCloud.Services.Ec2;

/// <summary>
/// EC2 (the "ec2" protocol, 2016-11-15): EBS volumes as restore targets — describe (with volume-id and tag filters),
/// delete, describe tags; the fleet's instances (Ec2Service.Instances.cs); transit gateways (Ec2Service.TransitGateways.cs);
/// security groups (Ec2Service.SecurityGroups.cs); VPCs, subnets and route tables (Ec2Service.Vpcs.cs). Requests are Query-style with <c>Name.N</c> lists; responses have no Result wrapper, and
/// errors are <c>&lt;Response&gt;&lt;Errors&gt;&lt;Error&gt;</c>.
/// </summary>
internal sealed partial class Ec2Service : IAwsService
{
    private const string Version = "2016-11-15";
    private static readonly XNamespace Namespace = "http://ec2.amazonaws.com/doc/2016-11-15/";
    private readonly CloudResourceStore resources;
    private readonly IReadOnlyList<string> regions;
    private readonly FleetStore fleet;
    private readonly TransitGatewayStore transitGateways;
    private readonly Ec2Images images;
    private readonly RecordedSecurityGroups securityGroups;
    private readonly RecordedVpcs vpcDirectory;
    private readonly Dictionary<string, (bool Mutating, Func<AwsRequest, QueryParameters, IEnumerable<XElement>> Handler)> operations;

    public Ec2Service(CloudResourceStore resources, IReadOnlyList<string> regions, FleetStore fleet, TransitGatewayStore transitGateways, Ec2Images images, RecordedSecurityGroups securityGroups, RecordedVpcs vpcDirectory)
    {
        this.images = images;
        this.vpcDirectory = vpcDirectory;
        this.securityGroups = securityGroups;
        this.resources = resources;
        this.regions = regions;
        this.fleet = fleet;
        this.transitGateways = transitGateways;
        operations = new(StringComparer.Ordinal)
        {
            ["DescribeVolumes"] = (false, DescribeVolumes),
            ["DeleteVolume"] = (true, DeleteVolume),
            ["DescribeTags"] = (false, DescribeTags),
            ["DescribeRegions"] = (false, DescribeRegions),
            ["DescribeInstances"] = (false, DescribeInstances),
            ["DescribeInstanceStatus"] = (false, DescribeInstanceStatus),
        };
        AddTransitGatewayOperations();
        AddImageOperations();
        AddSecurityGroupOperations();
        AddVpcOperations();
    }

    public string SigningName => "ec2";

    // Requests look like Query ones (the dispatcher's protocol guess and auth errors follow that family).
    public AwsProtocol Protocol => AwsProtocol.Query;

    public string ThrottlingErrorCode => "RequestLimitExceeded";

    public IReadOnlyCollection<string> OperationNames => operations.Keys;

    public AwsOperationCall Resolve(HttpContext http, byte[] body)
    {
        var parameters = QueryParameters.Parse(http.Request, body);
        var action = parameters.Get("Action") ?? throw new AwsServiceException(400, "MissingAction", "The request must contain the parameter Action.");
        if (!operations.TryGetValue(action, out var operation) || parameters.Get("Version") is { } version && version != Version)
        {
            throw new AwsServiceException(400, "InvalidAction", $"The action {action} is not valid for this web service.");
        }

        return new AwsOperationCall(action, operation.Mutating, request => ResponseBodies.WriteXmlAsync(
            request.Http.Response,
            new XElement(Namespace + $"{action}Response", new XElement(Namespace + "requestId", request.RequestId), operation.Handler(request, parameters))))
        {
            Parameter = parameters.Get,
        };
    }

    public Task WriteErrorAsync(HttpContext http, AwsServiceException error, string requestId)
    {
        // EC2 answers an unknown access key with its own AuthFailure (401), not the Query family's InvalidClientTokenId.
        if (error.Code == "InvalidClientTokenId")
        {
            error = new AwsServiceException(401, "AuthFailure", "AWS was not able to validate the provided access credentials");
        }

        http.Response.StatusCode = error.StatusCode;
        return ResponseBodies.WriteXmlAsync(http.Response, new XElement(
            "Response",
            new XElement("Errors", new XElement("Error", new XElement("Code", error.Code), new XElement("Message", error.Message))),
            new XElement("RequestID", requestId)));
    }

    /// <summary>The regions enabled for the account: the seed's (none needs an opt-in here).</summary>
    private IEnumerable<XElement> DescribeRegions(AwsRequest request, QueryParameters parameters)
    {
        var names = List(parameters, "RegionName");
        yield return Element("regionInfo", regions.Where(region => names.Count == 0 || names.Contains(region)).Select(region => new XElement(
            Namespace + "item",
            Element("regionName", region),
            Element("regionEndpoint", $"ec2.{region}.amazonaws.com"),
            Element("optInStatus", "opt-in-not-required"))));
    }

    private IEnumerable<XElement> DescribeVolumes(AwsRequest request, QueryParameters parameters)
    {
        var ids = List(parameters, "VolumeId");
        var volumes = resources.List(ResourceKind.EbsVolume, request.AccountId, request.Region);
        if (FirstUnknown(ids, volumes.Select(volume => volume.Name)) is { } missing)
        {
            throw NotFound(missing);
        }

        var filters = Filters(parameters);
        var selected = volumes.Where(volume => (ids.Count == 0 || ids.Contains(volume.Name)) && filters.All(filter => filter.Values.Contains(FilterValue(volume, filter.Name))));
        yield return Element("volumeSet", selected.Select(volume => Element("item", Volume(volume))));
    }

    private IEnumerable<XElement> DeleteVolume(AwsRequest request, QueryParameters parameters)
    {
        var id = parameters.Get("VolumeId") ?? throw new AwsServiceException(400, "MissingParameter", "The request must contain the parameter VolumeId");
        var volume = resources.Find(ResourceKind.EbsVolume, request.AccountId, request.Region, id) ?? throw NotFound(id);
        resources.Remove(volume.Arn);
        yield return Element("return", "true");
    }

    private IEnumerable<XElement> DescribeTags(AwsRequest request, QueryParameters parameters)
    {
        var filters = Filters(parameters);
        var tags = resources.List(ResourceKind.EbsVolume, request.AccountId, request.Region)
            .SelectMany(volume => volume.Tags.Select(tag => (Volume: volume, Tag: tag)))
            .Where(entry => filters.All(filter => filter.Values.Contains(filter.Name switch
            {
                "resource-id" => entry.Volume.Name,
                "resource-type" => "volume",
                "key" => entry.Tag.Key,
                "value" => entry.Tag.Value,
                _ => FilterValue(entry.Volume, filter.Name),
            })));
        yield return Element("tagSet", tags.Select(entry => Element("item", new[]
        {
            Element("resourceId", entry.Volume.Name),
            Element("resourceType", "volume"),
            Element("key", entry.Tag.Key),
            Element("value", entry.Tag.Value),
        })));
    }

    private static IEnumerable<XElement> Volume(CloudResource volume) =>
    [
        Element("volumeId", volume.Name),
        Element("size", volume.Attributes.GetValueOrDefault("volumeSize", "8")),
        Element("snapshotId", ""),
        Element("availabilityZone", volume.Attributes.GetValueOrDefault("availabilityZone", volume.Region + "a")),
        Element("status", "available"),
        Element("createTime", Time(volume.CreationTime)),
        Element("attachmentSet", null),
        Element("tagSet", volume.Tags.Select(tag => Element("item", new[] { Element("key", tag.Key), Element("value", tag.Value) }))),
        Element("volumeType", volume.Attributes.GetValueOrDefault("volumeType", "gp3")),
        Element("encrypted", volume.Attributes.GetValueOrDefault("encrypted", "false")),
        Element("multiAttachEnabled", "false"),
    ];

    /// <summary>The value a DescribeVolumes filter compares: volume-id, availability-zone, status, tag:Key.</summary>
    private static string? FilterValue(CloudResource volume, string filter) => filter switch
    {
        "volume-id" => volume.Name,
        "availability-zone" => volume.Attributes.GetValueOrDefault("availabilityZone", volume.Region + "a"),
        "status" => "available",
        _ when filter.StartsWith("tag:", StringComparison.Ordinal) => volume.Tags.GetValueOrDefault(filter[4..]),
        _ => throw new AwsServiceException(400, "InvalidParameterValue", $"The filter '{filter}' is invalid"),
    };

    /// <summary>Filter.N.Name with Filter.N.Value.M.</summary>
    private static List<(string Name, IReadOnlyList<string> Values)> Filters(QueryParameters parameters)
    {
        var filters = new List<(string, IReadOnlyList<string>)>();
        for (var index = 1; parameters.Get($"Filter.{index}.Name") is { } name; index++)
        {
            filters.Add((name, List(parameters, $"Filter.{index}.Value")));
        }

        return filters;
    }

    /// <summary>The first requested id that names none of the known ones: EC2 fails the whole call on it.</summary>
    private static string? FirstUnknown(IReadOnlyList<string> requested, IEnumerable<string> known)
    {
        var existing = known.ToHashSet(StringComparer.Ordinal);
        return requested.FirstOrDefault(id => !existing.Contains(id));
    }

    /// <summary>An EC2-protocol list: Name.1, Name.2, … (no ".member").</summary>
    private static List<string> List(QueryParameters parameters, string name)
    {
        var items = new List<string>();
        for (var index = 1; parameters.Get($"{name}.{index}") is { } item; index++)
        {
            items.Add(item);
        }

        return items;
    }

    private static AwsServiceException NotFound(string volumeId) => new(400, "InvalidVolume.NotFound", $"The volume '{volumeId}' does not exist.");

    private static XElement Element(string name, object? content) => new(Namespace + name, content);

    /// <summary>EC2's timestamps: ISO 8601 in UTC with milliseconds.</summary>
    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
