using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Route53;

/// <summary>Route 53's refusals, with the status and text AWS sends (docs/localcloud-route53.md lists their sources).</summary>
internal static class Route53Errors
{
    public static AwsServiceException NoSuchHostedZone(string id) => new(404, "NoSuchHostedZone", $"No hosted zone found with ID: {id}");

    public static AwsServiceException NoSuchHealthCheck(string id) => new(404, "NoSuchHealthCheck", $"A health check with id {id} does not exist.");

    public static AwsServiceException NoSuchChange(string id) => new(404, "NoSuchChange", $"A change with the specified change ID does not exist: {id}");

    public static AwsServiceException InvalidInput(string message) => new(400, "InvalidInput", message);

    /// <summary>Every problem of a change batch in one refusal; the message lists them in brackets as Route 53 does.</summary>
    public static AwsServiceException InvalidChangeBatch(IReadOnlyList<string> messages) =>
        new(400, "InvalidChangeBatch", "[" + string.Join(", ", messages) + "]");

    public static AwsServiceException HostedZoneAlreadyExists(string name) =>
        new(409, "HostedZoneAlreadyExists", $"A hosted zone has already been created with the specified caller reference. (name: {name})");

    public static AwsServiceException HostedZoneNotEmpty() =>
        new(400, "HostedZoneNotEmpty", "The specified hosted zone contains non-required resource record sets and so cannot be deleted.");

    public static AwsServiceException HealthCheckAlreadyExists(string callerReference) =>
        new(409, "HealthCheckAlreadyExists", $"A health check with caller reference {callerReference} already exists with a different configuration.");

    public static AwsServiceException HealthCheckInUse(string id) =>
        new(400, "HealthCheckInUse", $"The health check {id} is still referenced from a resource record set.");

    public static AwsServiceException InvalidVpcId(string vpcId) =>
        new(400, "InvalidVPCId", $"The VPC ID '{vpcId}' either isn't a valid ID or the current account is not authorized to access this VPC.");

    public static AwsServiceException InvalidDomainName(string name) =>
        new(400, "InvalidDomainName", $"{name} is not a valid domain name: each label must be 1 to 63 characters of a-z, 0-9, hyphen or underscore, and the name at most 255 characters.");
}
