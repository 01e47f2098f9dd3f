using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Route53;

/// <summary>
/// Amazon Route 53 (REST-XML, 2013-04-01; global, signed for us-east-1): hosted zones, record sets with failover
/// routing and aliases, changes, health checks. Ids travel as "/hostedzone/Z…" and "/change/C…" in answers; the SDKs
/// strip the prefix before sending them back in a path. docs/localcloud-route53.md holds the facts it follows.
/// </summary>
internal sealed class Route53Service : IAwsService
{
    private const string Version = "/2013-04-01";
    private static readonly XNamespace Ns = "https://route53.amazonaws.com/doc/2013-04-01/";

    private readonly Route53Store store;
    private readonly List<(string Name, bool Mutating, string Method, UriTemplate Template, Func<Route53Call, Task> Handler)> routes = [];

    public Route53Service(Route53Store store)
    {
        this.store = store;
        Add("CreateHostedZone", true, "POST", "/hostedzone", CreateHostedZone);
        Add("ListHostedZones", false, "GET", "/hostedzone", ListHostedZones);
        Add("GetHostedZone", false, "GET", "/hostedzone/{Id}", GetHostedZone);
        Add("DeleteHostedZone", true, "DELETE", "/hostedzone/{Id}", DeleteHostedZone);
        Add("ChangeResourceRecordSets", true, "POST", "/hostedzone/{Id}/rrset", ChangeResourceRecordSets);
        Add("ListResourceRecordSets", false, "GET", "/hostedzone/{Id}/rrset", ListResourceRecordSets);
        Add("GetChange", false, "GET", "/change/{Id}", GetChange);
        Add("CreateHealthCheck", true, "POST", "/healthcheck", CreateHealthCheck);
        Add("ListHealthChecks", false, "GET", "/healthcheck", ListHealthChecks);
        Add("GetHealthCheck", false, "GET", "/healthcheck/{HealthCheckId}", GetHealthCheck);
        Add("DeleteHealthCheck", true, "DELETE", "/healthcheck/{HealthCheckId}", DeleteHealthCheck);
        Add("GetHealthCheckStatus", false, "GET", "/healthcheck/{HealthCheckId}/status", GetHealthCheckStatus);
    }

    public string SigningName => "route53";

    public AwsProtocol Protocol => AwsProtocol.RestXmlErrorResponse;

    public string ThrottlingErrorCode => "Throttling";

    public IReadOnlyCollection<string> OperationNames => routes.Select(route => route.Name).ToList();

    public AwsOperationCall Resolve(HttpContext http, byte[] body)
    {
        var path = UriTemplate.Segments(http.Request.Path.Value ?? "/");
        foreach (var route in routes)
        {
            if (route.Method == http.Request.Method && route.Template.TryMatch(path, out var labels))
            {
                return new AwsOperationCall(route.Name, route.Mutating, request =>
                {
                    request.Http.Response.Headers["x-amzn-RequestId"] = request.RequestId;
                    return route.Handler(new Route53Call(request, labels, body));
                })
                {
                    Parameter = name => labels.GetValueOrDefault(name),
                };
            }
        }

        throw new AwsServiceException(404, "UnknownOperationException", $"No operation matches {http.Request.Method} {http.Request.Path}.");
    }

    public Task WriteErrorAsync(HttpContext http, AwsServiceException error, string requestId) =>
        AwsErrors.WriteAsync(http, Protocol, error, requestId, Ns.NamespaceName);

    private void Add(string name, bool mutating, string method, string uri, Func<Route53Call, Task> handler) =>
        routes.Add((name, mutating, method, new UriTemplate(Version + uri), handler));

    private Task CreateHostedZone(Route53Call call)
    {
        var input = call.Body("CreateHostedZoneRequest");
        var vpc = input.Child("VPC") is { } given ? new ZoneVpc(Required(given, "VPCId"), Required(given, "VPCRegion")) : null;
        var (zone, change) = store.CreateHostedZone(
            call.AccountId,
            Required(input, "Name"),
            Required(input, "CallerReference"),
            input.Child("HostedZoneConfig")?.Text("Comment"),
            vpc is null ? null : [vpc]);
        call.Response.StatusCode = StatusCodes.Status201Created;
        call.Response.Headers.Location = $"https://route53.amazonaws.com{Version}/hostedzone/{zone.Id}";
        return Write(call, "CreateHostedZoneResponse", Zone(zone), Change(change), Delegation(zone), vpc is null ? null : VpcXml(vpc));
    }

    private Task GetHostedZone(Route53Call call)
    {
        var zone = store.GetHostedZone(call.AccountId, call.Label("Id"));
        return Write(call, "GetHostedZoneResponse", Zone(zone), Delegation(zone), Vpcs(zone));
    }

    private Task ListHostedZones(Route53Call call) =>
        WritePage(call, "ListHostedZonesResponse", "HostedZones", store.ListHostedZones(call.AccountId), zone => zone.Id, Zone);

    private Task DeleteHostedZone(Route53Call call) =>
        Write(call, "DeleteHostedZoneResponse", Change(store.DeleteHostedZone(call.AccountId, call.Label("Id"))));

    private Task ChangeResourceRecordSets(Route53Call call)
    {
        var batch = call.Body("ChangeResourceRecordSetsRequest").Child("ChangeBatch") ?? throw Route53Errors.InvalidInput("Invalid request: ChangeBatch is required.");
        var changes = (batch.Child("Changes")?.Children("Change") ?? [])
            .Select(change => (Required(change, "Action"), ReadRecordSet(change.Child("ResourceRecordSet") ?? throw Route53Errors.InvalidInput("Invalid request: a Change needs a ResourceRecordSet."))))
            .ToList();
        var submitted = store.ChangeRecordSets(call.AccountId, call.Label("Id"), changes, batch.Text("Comment"));
        return Write(call, "ChangeResourceRecordSetsResponse", Change(submitted));
    }

    private Task ListResourceRecordSets(Route53Call call)
    {
        var all = store.ListRecordSets(call.AccountId, call.Label("Id"));
        var maxItems = MaxItems(call.Query("maxitems"));

        // The start is a position (name, then type, then identifier), not a filter: the list begins at the first set at or after it.
        var start = call.Query("name") is { } name ? all.ToList().FindIndex(record => record.Name == Route53Store.Fqdn(name) && (call.Query("type") is not { } type || record.Type == type)) : 0;
        var page = all.Skip(Math.Max(start, 0)).Take(maxItems + 1).ToList();
        var next = page.Count > maxItems ? page[maxItems] : null;
        return Write(
            call,
            "ListResourceRecordSetsResponse",
            E("ResourceRecordSets", page.Take(maxItems).Select(RecordSetXml)),
            E("IsTruncated", next is null ? "false" : "true"),
            next is null ? null : E("NextRecordName", next.Name),
            next is null ? null : E("NextRecordType", next.Type),
            next?.SetIdentifier is { } identifier ? E("NextRecordIdentifier", identifier) : null,
            E("MaxItems", maxItems.ToString(CultureInfo.InvariantCulture)));
    }

    private Task GetChange(Route53Call call) => Write(call, "GetChangeResponse", Change(store.GetChange(call.AccountId, call.Label("Id"))));

    private Task CreateHealthCheck(Route53Call call)
    {
        var input = call.Body("CreateHealthCheckRequest");
        var check = store.CreateHealthCheck(call.AccountId, Required(input, "CallerReference"), ReadHealthCheckConfig(input.Child("HealthCheckConfig") ?? throw Route53Errors.InvalidInput("Invalid request: HealthCheckConfig is required.")));
        call.Response.StatusCode = StatusCodes.Status201Created;
        call.Response.Headers.Location = $"https://route53.amazonaws.com{Version}/healthcheck/{check.Id}";
        return Write(call, "CreateHealthCheckResponse", HealthCheckXml(check));
    }

    private Task GetHealthCheck(Route53Call call) =>
        Write(call, "GetHealthCheckResponse", HealthCheckXml(store.GetHealthCheck(call.AccountId, call.Label("HealthCheckId"))));

    private Task ListHealthChecks(Route53Call call) =>
        WritePage(call, "ListHealthChecksResponse", "HealthChecks", store.ListHealthChecks(call.AccountId), check => check.Id, HealthCheckXml);

    private Task DeleteHealthCheck(Route53Call call)
    {
        store.DeleteHealthCheck(call.AccountId, call.Label("HealthCheckId"));
        return Write(call, "DeleteHealthCheckResponse");
    }

    private Task GetHealthCheckStatus(Route53Call call) => Write(
        call,
        "GetHealthCheckStatusResponse",
        E("HealthCheckObservations", store.Observations(call.AccountId, call.Label("HealthCheckId")).Select(observation => E(
            "HealthCheckObservation",
            E("Region", observation.Region),
            E("IPAddress", "15.177.2.1"),
            E("StatusReport", E("Status", observation.Status), E("CheckedTime", Timestamp(observation.CheckedAt)))))));

    private static RecordSet ReadRecordSet(XElement element)
    {
        var alias = element.Child("AliasTarget");
        return new RecordSet(Route53Store.Fqdn(Required(element, "Name")), Required(element, "Type"))
        {
            SetIdentifier = element.Text("SetIdentifier"),
            Failover = element.Text("Failover"),
            Weight = element.Text("Weight") is { } weight ? long.Parse(weight, CultureInfo.InvariantCulture) : null,
            Ttl = element.Text("TTL") is { } ttl ? long.Parse(ttl, CultureInfo.InvariantCulture) : null,
            Values = [.. (element.Child("ResourceRecords")?.Children("ResourceRecord") ?? []).Select(record => Required(record, "Value"))],
            Alias = alias is null ? null : new AliasTarget(Required(alias, "HostedZoneId"), Route53Store.Fqdn(Required(alias, "DNSName")), alias.Text("EvaluateTargetHealth") == "true"),
            HealthCheckId = element.Text("HealthCheckId"),
        };
    }

    private static HealthCheckConfig ReadHealthCheckConfig(XElement element)
    {
        Required(element, "Type");
        var alarm = element.Child("AlarmIdentifier");
        return HealthCheckConfig.Read(
            element.Text,
            [.. (element.Child("ChildHealthChecks")?.Children("ChildHealthCheck") ?? []).Select(child => child.Value)],
            alarm is null ? null : (Required(alarm, "Region"), Required(alarm, "Name")),
            problem => Route53Errors.InvalidInput("Invalid request: " + problem));
    }

    private static XElement Zone(HostedZone zone) => E(
        "HostedZone",
        E("Id", "/hostedzone/" + zone.Id),
        E("Name", zone.Name),
        E("CallerReference", zone.CallerReference),
        E("Config", zone.Comment is null ? null : E("Comment", zone.Comment), E("PrivateZone", zone.IsPrivate ? "true" : "false")),
        E("ResourceRecordSetCount", zone.Records.Count));

    // A private zone has no delegation set; its VPCs are listed instead.
    private static XElement? Delegation(HostedZone zone) =>
        zone.IsPrivate ? null : E("DelegationSet", E("NameServers", zone.NameServers.Select(server => E("NameServer", server.TrimEnd('.')))));

    private static XElement? Vpcs(HostedZone zone) => zone.IsPrivate ? E("VPCs", zone.Vpcs.Select(VpcXml)) : null;

    private static XElement VpcXml(ZoneVpc vpc) => E("VPC", E("VPCRegion", vpc.VpcRegion), E("VPCId", vpc.VpcId));

    private XElement Change(ZoneChange change) => E(
        "ChangeInfo",
        E("Id", "/change/" + change.Id),
        E("Status", store.StatusOf(change)),
        E("SubmittedAt", Timestamp(change.SubmittedAt)),
        change.Comment is null ? null : E("Comment", change.Comment));

    private static XElement RecordSetXml(RecordSet record) => E(
        "ResourceRecordSet",
        E("Name", record.Name),
        E("Type", record.Type),
        record.SetIdentifier is null ? null : E("SetIdentifier", record.SetIdentifier),
        record.Weight is null ? null : E("Weight", record.Weight),
        record.Failover is null ? null : E("Failover", record.Failover),
        record.Ttl is null ? null : E("TTL", record.Ttl),
        record.Alias is not null ? null : E("ResourceRecords", record.Values.Select(value => E("ResourceRecord", E("Value", value)))),
        record.Alias is not { } alias ? null : E("AliasTarget", E("HostedZoneId", alias.HostedZoneId), E("DNSName", alias.DnsName), E("EvaluateTargetHealth", alias.EvaluateTargetHealth ? "true" : "false")),
        record.HealthCheckId is null ? null : E("HealthCheckId", record.HealthCheckId));

    private static XElement HealthCheckXml(HealthCheck check)
    {
        var config = check.Config;
        return E(
            "HealthCheck",
            E("Id", check.Id),
            E("CallerReference", check.CallerReference),
            E(
                "HealthCheckConfig",
                config.IpAddress is null ? null : E("IPAddress", config.IpAddress),
                config.Port is null ? null : E("Port", config.Port),
                E("Type", config.Type),
                config.ResourcePath is null ? null : E("ResourcePath", config.ResourcePath),
                config.FullyQualifiedDomainName is null ? null : E("FullyQualifiedDomainName", config.FullyQualifiedDomainName),
                config.SearchString is null ? null : E("SearchString", config.SearchString),
                E("RequestInterval", config.RequestInterval),
                E("FailureThreshold", config.FailureThreshold),
                E("Inverted", config.Inverted ? "true" : "false"),
                E("Disabled", config.Disabled ? "true" : "false"),
                config.HealthThreshold is null ? null : E("HealthThreshold", config.HealthThreshold),
                config.ChildHealthChecks.Count == 0 ? null : E("ChildHealthChecks", config.ChildHealthChecks.Select(child => E("ChildHealthCheck", child))),
                config.Alarm is not { } alarm ? null : E("AlarmIdentifier", E("Region", alarm.Region), E("Name", alarm.Name)),
                config.InsufficientDataHealthStatus is null ? null : E("InsufficientDataHealthStatus", config.InsufficientDataHealthStatus)),
            E("HealthCheckVersion", check.Version));
    }

    /// <summary>A list paged by marker (an item's id): the page from marker, IsTruncated, NextMarker and MaxItems as Route 53 writes them.</summary>
    private static Task WritePage<T>(Route53Call call, string root, string listElement, IReadOnlyList<T> items, Func<T, string> id, Func<T, XElement> toXml)
    {
        var marker = call.Query("marker");
        var maxItems = MaxItems(call.Query("maxitems"));
        var start = marker is null ? 0 : items.ToList().FindIndex(item => id(item) == marker);
        if (start < 0)
        {
            throw Route53Errors.InvalidInput($"Invalid marker: {marker}");
        }

        var page = items.Skip(start).Take(maxItems + 1).ToList();
        var next = page.Count > maxItems ? id(page[maxItems]) : null;
        return Write(
            call,
            root,
            E(listElement, page.Take(maxItems).Select(toXml)),
            E("Marker", marker ?? ""),
            E("IsTruncated", next is null ? "false" : "true"),
            next is null ? null : E("NextMarker", next),
            E("MaxItems", maxItems.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>maxitems: 1 to 100 (300 for record sets is also accepted by Route 53; 100 is the default).</summary>
    private static int MaxItems(string? text) => text is null ? 100
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1 ? Math.Min(value, 300)
        : throw Route53Errors.InvalidInput($"Invalid request: maxitems {text} is not a positive whole number.");

    private static string Required(XElement element, string name) =>
        element.Text(name) ?? throw Route53Errors.InvalidInput($"Invalid request: {element.Name.LocalName} requires {name}.");

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static XElement E(string name, params object?[] content) => new(Ns + name, content);

    private static Task Write(Route53Call call, string root, params object?[] content) =>
        ResponseBodies.WriteXmlAsync(call.Response, E(root, content));

    /// <summary>One request: the caller, the path labels, the query and the XML body.</summary>
    private sealed class Route53Call(AwsRequest request, IReadOnlyDictionary<string, string> labels, byte[] body)
    {
        public string AccountId => request.AccountId;

        public HttpResponse Response => request.Http.Response;

        public string Label(string name) => labels[name];

        public string? Query(string name) => request.Http.Request.Query.TryGetValue(name, out var value) ? value.ToString() : null;

        public XElement Body(string root)
        {
            try
            {
                var document = XDocument.Parse(System.Text.Encoding.UTF8.GetString(body));
                return document.Root is { } element && element.Name.LocalName == root
                    ? element
                    : throw Route53Errors.InvalidInput($"Invalid XML ; the document element must be {root}.");
            }
            catch (XmlException error)
            {
                throw Route53Errors.InvalidInput($"Invalid XML ; {error.Message}");
            }
        }
    }
}

