using CloudPatterns.LocalCloud.CloudFormation.Stacks;

namespace CloudPatterns.LocalCloud.Services.Acm;

/// <summary>
/// Which resources use a certificate (ACM's InUseBy): the load balancers whose listeners, in live stacks of the
/// certificate's account and region, name it. Load balancers exist in LocalCloud only as stack resources.
/// </summary>
internal static class CertificateUsers
{
    private static readonly string[] ListenerTypes = ["AWS::ElasticLoadBalancingV2::Listener", "AWS::ElasticLoadBalancingV2::ListenerCertificate"];

    public static IReadOnlyList<string> Of(CloudFormationEngine engine, AcmCertificate certificate) =>
        engine.ListStacks(certificate.AccountId, certificate.Region)
            .Where(stack => stack.Status != "DELETE_COMPLETE")
            .SelectMany(stack => stack.Resources)
            .Where(resource => ListenerTypes.Contains(resource.ResourceType) && resource.Properties is { } properties
                && properties.ToJsonString().Contains($"\"{certificate.Arn}\"", StringComparison.Ordinal))
            .Select(resource => resource.Properties!["LoadBalancerArn"]?.GetValue<string>() ?? resource.PhysicalId ?? resource.LogicalId)
            .Distinct(StringComparer.Ordinal)
            .ToList();
}
