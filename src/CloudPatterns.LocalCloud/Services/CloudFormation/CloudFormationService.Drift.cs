using System.Xml.Linq;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.CloudFormation;

internal sealed partial class CloudFormationService
{
    // ---------------------------------------------------------------- drift

    private IEnumerable<XElement?> DetectStackDrift(AwsRequest request, QueryParameters parameters)
    {
        var stackName = Required(parameters, "StackName");
        var detectionId = engine.DetectStackDrift(request.AccountId, request.Region, stackName);
        SettleBriefly(engine.GetStack(request.AccountId, request.Region, stackName));
        return [Element("StackDriftDetectionId", detectionId)];
    }

    private IEnumerable<XElement?> DescribeStackDriftDetectionStatus(AwsRequest request, QueryParameters parameters)
    {
        var detection = engine.GetDriftDetection(Required(parameters, "StackDriftDetectionId"));
        return
        [
            Element("StackId", detection.StackId),
            Element("StackDriftDetectionId", detection.DetectionId),
            Optional("StackDriftStatus", detection.StackDriftStatus),
            Element("DetectionStatus", detection.DetectionStatus),
            Element("DriftedStackResourceCount", detection.DriftedResourceCount),
            Element("Timestamp", Timestamp(detection.Timestamp)),
        ];
    }

    private IEnumerable<XElement?> DescribeStackResourceDrifts(AwsRequest request, QueryParameters parameters)
    {
        var filter = parameters.GetList("StackResourceDriftStatusFilters");
        var drifts = engine.DescribeResourceDrifts(request.AccountId, request.Region, Required(parameters, "StackName"))
            .Where(drift => filter.Count == 0 || filter.Contains(drift.DriftStatus));
        return [Element("StackResourceDrifts", drifts.Select(drift => Member(
            Element("StackId", drift.StackId),
            Element("LogicalResourceId", drift.LogicalResourceId),
            Element("PhysicalResourceId", drift.PhysicalResourceId),
            Element("ResourceType", drift.ResourceType),
            Optional("ExpectedProperties", drift.ExpectedProperties),
            Optional("ActualProperties", drift.ActualProperties),
            Element("PropertyDifferences", drift.Differences.Select(difference => Member(
                Element("PropertyPath", difference.PropertyPath),
                Element("ExpectedValue", difference.ExpectedValue ?? ""),
                Element("ActualValue", difference.ActualValue ?? ""),
                Element("DifferenceType", difference.DifferenceType)))),
            Element("StackResourceDriftStatus", drift.DriftStatus),
            Element("Timestamp", Timestamp(drift.Timestamp)))))];
    }
}
