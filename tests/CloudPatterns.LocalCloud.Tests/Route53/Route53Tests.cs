using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using CloudPatterns.LocalCloud.Tests.Support;

namespace CloudPatterns.LocalCloud.Tests.Route53;

/// <summary>
/// Route 53 over SigV4 (REST-XML): zones and their default records, change batches refused whole with AWS's
/// InvalidChangeBatch texts, changes that propagate on the sandbox clock, health checks, and failover answers that
/// move to the SECONDARY only while the PRIMARY is unhealthy.
/// </summary>
public sealed class Route53Tests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private const string Api = "/2013-04-01";
    private static readonly XNamespace Ns = "https://route53.amazonaws.com/doc/2013-04-01/";

    [Fact]
    public async Task A_new_zone_holds_its_NS_and_SOA_and_only_its_account_sees_it()
    {
        var dr = Global("production");
        var created = await Call(dr, HttpMethod.Post, "/hostedzone", CreateZone("Zone-A.Example.com", "ref-a"));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var zoneId = Id(created, "HostedZone");
        Assert.Matches("^Z[A-Z0-9]{20}$", zoneId);
        Assert.Equal("zone-a.example.com.", Text(created, "HostedZone", "Name"));
        Assert.Equal(4, Xml(created).Descendants(Ns + "NameServer").Count());

        var records = Xml(await Call(dr, HttpMethod.Get, $"/hostedzone/{zoneId}/rrset")).Descendants(Ns + "ResourceRecordSet").ToList();
        Assert.Equal(["NS", "SOA"], records.Select(record => record.Element(Ns + "Type")!.Value));
        Assert.Equal("2", Text(await Call(dr, HttpMethod.Get, $"/hostedzone/{zoneId}"), "HostedZone", "ResourceRecordSetCount"));

        var again = await Call(dr, HttpMethod.Post, "/hostedzone", CreateZone("zone-a.example.com", "ref-a"));
        Assert.Equal((HttpStatusCode.Conflict, "HostedZoneAlreadyExists"), (again.Status, again.ErrorType));

        var stranger = await Call(Global("staging"), HttpMethod.Get, $"/hostedzone/{zoneId}");
        Assert.Equal((HttpStatusCode.NotFound, "NoSuchHostedZone"), (stranger.Status, stranger.ErrorType));
        Assert.Equal($"No hosted zone found with ID: {zoneId}", Message(stranger));
        Assert.DoesNotContain(zoneId, (await Call(Global("staging"), HttpMethod.Get, "/hostedzone")).Body!["xml"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_change_batch_with_one_bad_change_is_refused_whole_with_every_problem_named()
    {
        var caller = Global("production");
        var zoneId = await NewZoneAsync(caller, "batch.example.com");
        var batch = Changes(
            ("CREATE", Simple("www.batch.example.com", "A", "192.0.2.1")),
            ("CREATE", Simple("www.other.org", "A", "192.0.2.2")),
            ("CREATE", Simple("api.batch.example.com", "A", "not-an-address")),
            ("CREATE", Simple("batch.example.com", "CNAME", "elsewhere.example.net")));
        var refused = await Call(caller, HttpMethod.Post, $"/hostedzone/{zoneId}/rrset/", batch);
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidChangeBatch"), (refused.Status, refused.ErrorType));
        var message = Message(refused);
        Assert.Contains("RRSet with DNS name www.other.org. is not permitted in zone batch.example.com.", message);
        Assert.Contains("ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address) encountered with 'not-an-address'", message);
        Assert.Contains("RRSet of type CNAME with DNS name batch.example.com. is not permitted at apex in zone batch.example.com.", message);
        Assert.Equal(2, await RecordCountAsync(caller, zoneId));

        (await Call(caller, HttpMethod.Post, $"/hostedzone/{zoneId}/rrset/", Changes(("CREATE", Simple("www.batch.example.com", "A", "192.0.2.1"))))).Ok();
        var twice = await Call(caller, HttpMethod.Post, $"/hostedzone/{zoneId}/rrset/", Changes(("CREATE", Simple("WWW.batch.example.com.", "A", "192.0.2.9"))));
        Assert.Equal("[Tried to create resource record set [name='www.batch.example.com.', type='A'] but it already exists]", Message(twice));
        var conflicting = await Call(caller, HttpMethod.Post, $"/hostedzone/{zoneId}/rrset/", Changes(("CREATE", Simple("www.batch.example.com", "CNAME", "x.example.net"))));
        Assert.Contains("conflicts with other records with the same DNS name", Message(conflicting));

        var stale = await Call(caller, HttpMethod.Post, $"/hostedzone/{zoneId}/rrset/", Changes(("DELETE", Simple("www.batch.example.com", "A", "192.0.2.7"))));
        Assert.Equal("[Tried to delete resource record set [name='www.batch.example.com.', type='A'] but the values provided do not match the current values]", Message(stale));
        var missing = await Call(caller, HttpMethod.Post, $"/hostedzone/{zoneId}/rrset/", Changes(("DELETE", Simple("ftp.batch.example.com", "A", "192.0.2.1"))));
        Assert.Equal("[Tried to delete resource record set [name='ftp.batch.example.com.', type='A'] but it was not found]", Message(missing));

        var notEmpty = await Call(caller, HttpMethod.Delete, $"/hostedzone/{zoneId}");
        Assert.Equal((HttpStatusCode.BadRequest, "HostedZoneNotEmpty"), (notEmpty.Status, notEmpty.ErrorType));
        (await Call(caller, HttpMethod.Post, $"/hostedzone/{zoneId}/rrset/", Changes(
            ("UPSERT", Simple("www.batch.example.com", "A", "192.0.2.3")),
            ("DELETE", Simple("www.batch.example.com", "A", "192.0.2.3"))))).Ok();
        (await Call(caller, HttpMethod.Delete, $"/hostedzone/{zoneId}")).Ok();
        Assert.Equal("NoSuchHostedZone", (await Call(caller, HttpMethod.Get, $"/hostedzone/{zoneId}")).ErrorType);
    }

    [Fact]
    public async Task A_routed_record_without_a_set_identifier_is_invalid_input()
    {
        var caller = Global("production");
        var zoneId = await NewZoneAsync(caller, "input.example.com");
        var answer = await Call(caller, HttpMethod.Post, $"/hostedzone/{zoneId}/rrset/", Changes(
            ("CREATE", "<Name>app.input.example.com</Name><Type>A</Type><Failover>PRIMARY</Failover><TTL>60</TTL><ResourceRecords><ResourceRecord><Value>192.0.2.1</Value></ResourceRecord></ResourceRecords>")));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidInput"), (answer.Status, answer.ErrorType));
        Assert.Equal("Invalid request: Missing field 'SetIdentifier' in Change with [Action=CREATE, Name=app.input.example.com., Type=A, SetIdentifier=null]", Message(answer));

        var both = await Call(caller, HttpMethod.Post, $"/hostedzone/{zoneId}/rrset/", Changes(
            ("CREATE", "<Name>app.input.example.com</Name><Type>A</Type><TTL>60</TTL>")));
        Assert.Contains("Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords]", Message(both));
    }

    [Fact]
    public async Task Weighted_sets_are_kept_listed_and_answer_by_weight_and_health_and_do_not_mix_with_other_policies()
    {
        var caller = Global("production");
        var zoneId = await NewZoneAsync(caller, "weighted.example.com");
        (await Call(caller, HttpMethod.Post, $"/hostedzone/{zoneId}/rrset/", Changes(
            ("CREATE", Weighted("app.weighted.example.com", "blue", 30, "192.0.2.30")),
            ("CREATE", Weighted("app.weighted.example.com", "green", 70, "192.0.2.70"))))).Ok();
        var listed = Xml(await Call(caller, HttpMethod.Get, $"/hostedzone/{zoneId}/rrset")).Descendants(Ns + "ResourceRecordSet")
            .Where(record => record.Element(Ns + "Weight") is not null)
            .Select(record => (record.Element(Ns + "SetIdentifier")!.Value, record.Element(Ns + "Weight")!.Value)).ToList();
        Assert.Equal([("blue", "30"), ("green", "70")], listed);
        Assert.Equal("192.0.2.70", (await ResolveAsync(caller, "app.weighted.example.com"))["values"]![0]!.GetValue<string>());

        // The heavier set's address fails: the healthy one answers.
        await SetEndpointAsync("192.0.2.70", healthy: false);
        (await Call(caller, HttpMethod.Post, "/healthcheck", """
            <CreateHealthCheckRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><CallerReference>green-check</CallerReference>
            <HealthCheckConfig><IPAddress>192.0.2.70</IPAddress><Port>80</Port><Type>HTTP</Type><RequestInterval>10</RequestInterval><FailureThreshold>1</FailureThreshold></HealthCheckConfig></CreateHealthCheckRequest>
            """)).Ok();
        var checks = Xml(await Call(caller, HttpMethod.Get, "/healthcheck")).Descendants(Ns + "HealthCheck")
            .Where(check => check.Element(Ns + "CallerReference")!.Value == "green-check").Select(check => check.Element(Ns + "Id")!.Value).Single();
        (await Call(caller, HttpMethod.Post, $"/hostedzone/{zoneId}/rrset/", Changes(
            ("UPSERT", Weighted("app.weighted.example.com", "green", 70, "192.0.2.70").Replace("</ResourceRecords>", $"</ResourceRecords><HealthCheckId>{checks}</HealthCheckId>", StringComparison.Ordinal))))).Ok();
        Assert.Equal("192.0.2.30", (await ResolveAsync(caller, "app.weighted.example.com"))["values"]![0]!.GetValue<string>());
        await SetEndpointAsync("192.0.2.70", healthy: true);

        var mixed = await Call(caller, HttpMethod.Post, $"/hostedzone/{zoneId}/rrset/", Changes(("CREATE", Routed("app.weighted.example.com", "dr", "SECONDARY", "192.0.2.99"))));
        Assert.Equal("[RRSet with DNS name app.weighted.example.com., type A, SetIdentifier dr cannot be created as a non-failover set exists with the same name and type.]", Message(mixed));
        var simple = await Call(caller, HttpMethod.Post, $"/hostedzone/{zoneId}/rrset/", Changes(("CREATE", Simple("app.weighted.example.com", "A", "192.0.2.1"))));
        Assert.Contains("cannot be created as a weighted set exists with the same name and type.", Message(simple));
        var both = await Call(caller, HttpMethod.Post, $"/hostedzone/{zoneId}/rrset/", Changes(
            ("CREATE", Weighted("www.weighted.example.com", "one", 10, "192.0.2.5").Replace("<TTL>", "<Failover>PRIMARY</Failover><TTL>", StringComparison.Ordinal))));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidInput"), (both.Status, both.ErrorType));
        Assert.Equal("Invalid request: Expected exactly one of [Weight, Region, Failover, GeoLocation, MultiValueAnswer, GeoProximityLocation, or CidrRoutingConfig], but found more than one in Change with [Action=CREATE, Name=www.weighted.example.com., Type=A, SetIdentifier=one]", Message(both));
        var heavy = await Call(caller, HttpMethod.Post, $"/hostedzone/{zoneId}/rrset/", Changes(("CREATE", Weighted("www.weighted.example.com", "one", 256, "192.0.2.5"))));
        Assert.Equal("InvalidInput", heavy.ErrorType);
        Assert.Contains("'256' is not facet-valid with respect to maxInclusive '255'", Message(heavy));
    }

    [Fact]
    public async Task A_change_is_pending_until_it_has_propagated_on_the_sandbox_clock()
    {
        var caller = Global("production");
        var zoneId = await NewZoneAsync(caller, "propagation.example.com");
        var submitted = await Call(caller, HttpMethod.Post, $"/hostedzone/{zoneId}/rrset/", Changes(("UPSERT", Simple("a.propagation.example.com", "TXT", "\"v=1\""))));
        var changeId = Id(submitted, "ChangeInfo");
        Assert.Equal("PENDING", Text(submitted, "ChangeInfo", "Status"));
        Assert.Equal("PENDING", Text(await Call(caller, HttpMethod.Get, $"/change/{changeId}"), "ChangeInfo", "Status"));

        await cloud.AdvanceClockAsync("PT61S");
        Assert.Equal("INSYNC", Text(await Call(caller, HttpMethod.Get, $"/change/{changeId}"), "ChangeInfo", "Status"));
        Assert.Equal("NoSuchChange", (await Call(Global("staging"), HttpMethod.Get, $"/change/{changeId}")).ErrorType);
    }

    [Fact]
    public async Task Failover_answers_the_secondary_load_balancer_only_while_the_primary_is_unhealthy()
    {
        var caller = Global("production");
        var zoneId = await NewZoneAsync(caller, "failover.example.com");
        var check = await Call(caller, HttpMethod.Post, "/healthcheck", """
            <CreateHealthCheckRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><CallerReference>primary-check</CallerReference>
            <HealthCheckConfig><IPAddress>203.0.113.10</IPAddress><Port>443</Port><Type>HTTPS</Type><ResourcePath>/health</ResourcePath><RequestInterval>10</RequestInterval><FailureThreshold>2</FailureThreshold></HealthCheckConfig></CreateHealthCheckRequest>
            """);
        Assert.Equal(HttpStatusCode.Created, check.Status);
        var checkId = Xml(check).Descendants(Ns + "Id").First().Value;
        const string drBalancer = "dr-web-123456.us-west-2.elb.amazonaws.com";
        (await Call(caller, HttpMethod.Post, $"/hostedzone/{zoneId}/rrset/", Changes(
            ("CREATE", $"<Name>app.failover.example.com</Name><Type>A</Type><SetIdentifier>primary</SetIdentifier><Failover>PRIMARY</Failover><TTL>60</TTL><ResourceRecords><ResourceRecord><Value>203.0.113.10</Value></ResourceRecord></ResourceRecords><HealthCheckId>{checkId}</HealthCheckId>"),
            ("CREATE", $"<Name>app.failover.example.com</Name><Type>A</Type><SetIdentifier>dr</SetIdentifier><Failover>SECONDARY</Failover><AliasTarget><HostedZoneId>Z1H1FL5HABSF5</HostedZoneId><DNSName>{drBalancer}</DNSName><EvaluateTargetHealth>true</EvaluateTargetHealth></AliasTarget>")))).Ok();

        var second = await Call(caller, HttpMethod.Post, $"/hostedzone/{zoneId}/rrset/", Changes(
            ("CREATE", Routed("app.failover.example.com", "other", "PRIMARY", "203.0.113.11"))));
        Assert.Contains("PRIMARY failover record set with the same name and type already exists", Message(second));

        Assert.Equal(["203.0.113.10"], (await ResolveAsync(caller, "app.failover.example.com"))["values"]!.AsArray().Select(value => value!.GetValue<string>()));

        await SetEndpointAsync("203.0.113.10", healthy: false);
        var status = Xml(await Call(caller, HttpMethod.Get, $"/healthcheck/{checkId}/status")).Descendants(Ns + "Status").Select(element => element.Value).ToList();
        Assert.NotEmpty(status);
        Assert.All(status, text => Assert.StartsWith("Failure:", text));
        var failedOver = await ResolveAsync(caller, "app.failover.example.com");
        Assert.Equal(("SECONDARY", drBalancer + "."), (failedOver["failover"]!.GetValue<string>(), failedOver["values"]![0]!.GetValue<string>()));

        // With both sides down Route 53 answers as if all were healthy: the primary.
        await SetEndpointAsync(drBalancer, healthy: false);
        Assert.Equal("PRIMARY", (await ResolveAsync(caller, "app.failover.example.com"))["failover"]!.GetValue<string>());

        await SetEndpointAsync("203.0.113.10", healthy: true);
        await SetEndpointAsync(drBalancer, healthy: true);
        Assert.Equal("PRIMARY", (await ResolveAsync(caller, "app.failover.example.com"))["failover"]!.GetValue<string>());
        var inUse = await Call(caller, HttpMethod.Delete, $"/healthcheck/{checkId}");
        Assert.Equal((HttpStatusCode.BadRequest, "HealthCheckInUse"), (inUse.Status, inUse.ErrorType));
    }

    [Fact]
    public async Task A_cloudwatch_metric_health_check_follows_its_alarm()
    {
        var caller = Global("log-archive");
        var alarm = new Dictionary<string, string>
        {
            ["AlarmName"] = "r53-app-errors", ["MetricName"] = "Errors", ["Namespace"] = "App", ["Statistic"] = "Maximum",
            ["Period"] = "60", ["EvaluationPeriods"] = "1", ["Threshold"] = "0", ["ComparisonOperator"] = "GreaterThanThreshold",
        };
        var region = cloud.As("log-archive", "us-east-1");
        (await region.QueryAsync("monitoring", "PutMetricAlarm", "2010-08-01", alarm)).Ok();
        var missing = await Call(caller, HttpMethod.Post, "/healthcheck", MetricCheck("no-alarm", "missing-alarm"));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidInput"), (missing.Status, missing.ErrorType));

        var created = await Call(caller, HttpMethod.Post, "/healthcheck", MetricCheck("alarm-check", "r53-app-errors"));
        var checkId = Xml(created).Descendants(Ns + "Id").First().Value;
        Assert.Equal(checkId, Xml(await Call(caller, HttpMethod.Post, "/healthcheck", MetricCheck("alarm-check", "r53-app-errors"))).Descendants(Ns + "Id").First().Value);
        Assert.All(await StatusesAsync(caller, checkId), text => Assert.StartsWith("Success:", text));

        (await region.QueryAsync("monitoring", "PutMetricData", "2010-08-01", new Dictionary<string, string>
        {
            ["Namespace"] = "App", ["MetricData.member.1.MetricName"] = "Errors", ["MetricData.member.1.Value"] = "5",
        })).Ok();
        await cloud.AdvanceClockAsync("PT2M");
        Assert.All(await StatusesAsync(caller, checkId), text => Assert.StartsWith("Failure:", text));
    }

    [Fact]
    public async Task An_unknown_key_is_refused_as_AWS_front_ends_refuse_it_not_as_S3()
    {
        var stranger = new AwsCaller(cloud.Server.Url, cloud.Organization.Accounts[0], "us-east-1", new Amazon.Runtime.BasicAWSCredentials("AKIAEXAMPLE000000000", "NotAKeyLocalCloudKnows"));
        var answer = await stranger.RestXmlAsync("route53", HttpMethod.Get, Api + "/hostedzone");
        Assert.Equal((HttpStatusCode.Forbidden, "InvalidClientTokenId"), (answer.Status, answer.ErrorType));
        Assert.Equal("ErrorResponse", XDocument.Parse(answer.Body!["xml"]!.GetValue<string>()).Root!.Name.LocalName);
    }

    private static string MetricCheck(string reference, string alarm) => $"""
        <CreateHealthCheckRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><CallerReference>{reference}</CallerReference>
        <HealthCheckConfig><Type>CLOUDWATCH_METRIC</Type><AlarmIdentifier><Region>us-east-1</Region><Name>{alarm}</Name></AlarmIdentifier><InsufficientDataHealthStatus>Healthy</InsufficientDataHealthStatus></HealthCheckConfig></CreateHealthCheckRequest>
        """;

    private static async Task<List<string>> StatusesAsync(AwsCaller caller, string checkId) =>
        Xml(await Call(caller, HttpMethod.Get, $"/healthcheck/{checkId}/status")).Descendants(Ns + "Status").Select(element => element.Value).ToList() is { Count: > 0 } statuses
            ? statuses
            : throw new Xunit.Sdk.XunitException("GetHealthCheckStatus reported no observation.");

    private async Task<JsonNode> ResolveAsync(AwsCaller caller, string name)
    {
        using var http = new HttpClient();
        return (await http.GetFromJsonAsync<JsonNode>(new Uri(cloud.Server.Url, $"/_localcloud/route53/resolve?accountId={caller.Account.Id}&name={name}&type=A")))!;
    }

    private async Task SetEndpointAsync(string endpoint, bool healthy)
    {
        using var http = new HttpClient();
        using var response = await http.PutAsJsonAsync(new Uri(cloud.Server.Url, "/_localcloud/route53/endpoints"), new { endpoint, healthy });
        response.EnsureSuccessStatusCode();
    }

    private static async Task<string> NewZoneAsync(AwsCaller caller, string name) =>
        Id(await Call(caller, HttpMethod.Post, "/hostedzone", CreateZone(name, Guid.NewGuid().ToString())), "HostedZone");

    private static async Task<int> RecordCountAsync(AwsCaller caller, string zoneId) =>
        Xml(await Call(caller, HttpMethod.Get, $"/hostedzone/{zoneId}/rrset")).Descendants(Ns + "ResourceRecordSet").Count();

    private static Task<AwsAnswer> Call(AwsCaller caller, HttpMethod method, string path, string? xml = null) =>
        caller.RestXmlAsync("route53", method, Api + path, xml);

    /// <summary>Route 53 is global: its requests are signed for us-east-1.</summary>
    private AwsCaller Global(string accountName) => cloud.As(accountName, "us-east-1");

    private static string CreateZone(string name, string reference) =>
        $"""<CreateHostedZoneRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Name>{name}</Name><CallerReference>{reference}</CallerReference></CreateHostedZoneRequest>""";

    private static string Simple(string name, string type, string value) =>
        $"<Name>{name}</Name><Type>{type}</Type><TTL>300</TTL><ResourceRecords><ResourceRecord><Value>{value}</Value></ResourceRecord></ResourceRecords>";

    private static string Routed(string name, string identifier, string failover, string value) =>
        $"<Name>{name}</Name><Type>A</Type><SetIdentifier>{identifier}</SetIdentifier><Failover>{failover}</Failover><TTL>60</TTL><ResourceRecords><ResourceRecord><Value>{value}</Value></ResourceRecord></ResourceRecords>";

    private static string Weighted(string name, string identifier, int weight, string value) =>
        $"<Name>{name}</Name><Type>A</Type><SetIdentifier>{identifier}</SetIdentifier><Weight>{weight}</Weight><TTL>60</TTL><ResourceRecords><ResourceRecord><Value>{value}</Value></ResourceRecord></ResourceRecords>";

    private static string Changes(params (string Action, string RecordSet)[] changes) =>
        $"""<ChangeResourceRecordSetsRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ChangeBatch><Changes>{string.Concat(changes.Select(change => $"<Change><Action>{change.Action}</Action><ResourceRecordSet>{change.RecordSet}</ResourceRecordSet></Change>"))}</Changes></ChangeBatch></ChangeResourceRecordSetsRequest>""";

    private static XDocument Xml(AwsAnswer answer) => XDocument.Parse(answer.Ok()["xml"]!.GetValue<string>());

    private static string Text(AwsAnswer answer, string parent, string member) => Xml(answer).Descendants(Ns + parent).Single().Element(Ns + member)!.Value;

    /// <summary>The id of a zone or change without its "/hostedzone/" or "/change/" prefix, as the SDKs send it back.</summary>
    private static string Id(AwsAnswer answer, string parent) => Text(answer, parent, "Id").Split('/')[^1];

    private static string Message(AwsAnswer answer) =>
        XDocument.Parse(answer.Body!["xml"]!.GetValue<string>()).Descendants().Single(element => element.Name.LocalName == "Message").Value;
}
