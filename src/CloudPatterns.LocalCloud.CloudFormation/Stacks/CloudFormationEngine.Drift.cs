using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Templates;

namespace CloudPatterns.LocalCloud.CloudFormation.Stacks;

public sealed partial class CloudFormationEngine
{
    // ---------------------------------------------------------------- drift

    /// <summary>Starts drift detection of a stack; returns the detection id.</summary>
    public string DetectStackDrift(string accountId, string region, string stackNameOrId)
    {
        var stack = GetStack(accountId, region, stackNameOrId);
        var detectionId = Guid.NewGuid().ToString();
        lock (_driftDetections)
        {
            _driftDetections[detectionId] = new DriftDetection(detectionId, stack.StackId, "DETECTION_IN_PROGRESS", null, 0, _clock.GetUtcNow());
        }
        lock (stack.Gate)
        {
            var previous = stack.Operation;
            stack.Operation = Task.Run(async () =>
            {
                await previous;
                await RunDriftDetectionAsync(stack, detectionId);
            });
        }
        return detectionId;
    }

    /// <summary>
    /// An out-of-band change to a generically provisioned resource, to create drift: sets (or, with a null value,
    /// removes) top-level properties, or with <paramref name="changes"/> null deletes the resource.
    /// Resources of a registered provisioner change through their own service's API instead.
    /// </summary>
    public void ChangeResourceOutOfBand(string accountId, string region, string stackNameOrId, string logicalId, JsonObject? changes)
    {
        var stack = GetStack(accountId, region, stackNameOrId);
        var resource = stack.Resources.FirstOrDefault(candidate => candidate.LogicalId == logicalId && candidate.PhysicalId is not null)
            ?? throw CloudFormationException.Validation($"Resource {logicalId} does not exist for stack {stack.StackName}");
        if (Provisioners.For(resource.ResourceType) != Provisioners.Generic)
        {
            throw CloudFormationException.Validation($"{resource.ResourceType} resources live in LocalCloud's service: change {logicalId} through that service's API.");
        }
        var changed = changes is null
            ? Provisioners.Generic.DeleteActual(accountId, region, resource.ResourceType, resource.PhysicalId!)
            : Provisioners.Generic.ChangeActualProperties(accountId, region, resource.ResourceType, resource.PhysicalId!, changes);
        if (!changed)
        {
            throw CloudFormationException.Validation($"Resource {logicalId} of stack {stack.StackName} was already deleted out of band");
        }
    }

    public DriftDetection GetDriftDetection(string detectionId)
    {
        lock (_driftDetections)
        {
            return _driftDetections.TryGetValue(detectionId, out var detection)
                ? detection
                : throw CloudFormationException.Validation($"Stack drift detection with id {detectionId} does not exist");
        }
    }

    public IReadOnlyList<ResourceDrift> DescribeResourceDrifts(string accountId, string region, string stackNameOrId)
    {
        var stack = GetStack(accountId, region, stackNameOrId);
        lock (_driftDetections)
        {
            return _resourceDrifts.TryGetValue(stack.StackId, out var drifts) ? drifts : [];
        }
    }

    private async Task RunDriftDetectionAsync(Stack stack, string detectionId)
    {
        var drifts = new List<ResourceDrift>();
        foreach (var resource in stack.Resources.Where(resource => resource.Provisioned is not null))
        {
            var expected = resource.Properties ?? [];
            var differences = new List<PropertyDifference>();
            JsonObject? actual = null;
            string status;
            try
            {
                actual = await Provisioners.For(resource.ResourceType).ReadActualAsync(RequestFor(stack, resource), resource.Provisioned!, CancellationToken.None);
                if (actual is not null)
                {
                    Compare("", expected, actual, differences);
                }
                status = actual is null ? "DELETED" : differences.Count > 0 ? "MODIFIED" : "IN_SYNC";
            }
            catch (Exception)
            {
                // The provisioner could not read the resource: CloudFormation's answer is UNKNOWN, not a failed detection.
                status = "UNKNOWN";
            }
            var now = _clock.GetUtcNow();
            lock (stack.Gate)
            {
                resource.DriftStatus = status;
                resource.LastDriftCheck = now;
            }
            drifts.Add(new ResourceDrift(stack.StackId, resource.LogicalId, resource.PhysicalId!, resource.ResourceType,
                stack.MaskedJson(expected), stack.MaskedJson(actual),
                differences.Select(difference => difference with { ExpectedValue = stack.Mask(difference.ExpectedValue), ActualValue = stack.Mask(difference.ActualValue) }).ToList(),
                status, now));
        }
        var drifted = drifts.Count(drift => drift.DriftStatus is "MODIFIED" or "DELETED");
        lock (stack.Gate)
        {
            stack.DriftStatus = drifted > 0 ? "DRIFTED" : "IN_SYNC";
            stack.LastDriftCheck = _clock.GetUtcNow();
        }
        lock (_driftDetections)
        {
            _resourceDrifts[stack.StackId] = drifts;
            _driftDetections[detectionId] = new DriftDetection(detectionId, stack.StackId, "DETECTION_COMPLETE",
                drifted > 0 ? "DRIFTED" : "IN_SYNC", drifted, _clock.GetUtcNow());
        }
    }

    private static void Compare(string path, JsonNode? expected, JsonNode? actual, List<PropertyDifference> differences)
    {
        switch (expected, actual)
        {
            case (JsonObject expectedObject, JsonObject actualObject):
                foreach (var (name, value) in expectedObject)
                {
                    if (actualObject.ContainsKey(name))
                    {
                        Compare($"{path}/{name}", value, actualObject[name], differences);
                    }
                    else
                    {
                        differences.Add(new PropertyDifference($"{path}/{name}", Text(value), null, "REMOVE"));
                    }
                }
                foreach (var (name, value) in actualObject.Where(pair => !expectedObject.ContainsKey(pair.Key)))
                {
                    differences.Add(new PropertyDifference($"{path}/{name}", null, Text(value), "ADD"));
                }
                break;
            case (JsonArray expectedArray, JsonArray actualArray):
                for (var index = 0; index < Math.Max(expectedArray.Count, actualArray.Count); index++)
                {
                    if (index >= actualArray.Count)
                    {
                        differences.Add(new PropertyDifference($"{path}/{index}", Text(expectedArray[index]), null, "REMOVE"));
                    }
                    else if (index >= expectedArray.Count)
                    {
                        differences.Add(new PropertyDifference($"{path}/{index}", null, Text(actualArray[index]), "ADD"));
                    }
                    else
                    {
                        Compare($"{path}/{index}", expectedArray[index], actualArray[index], differences);
                    }
                }
                break;
            default:
                if (Text(expected) != Text(actual))
                {
                    differences.Add(new PropertyDifference(path, Text(expected), Text(actual), "NOT_EQUAL"));
                }
                break;
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue ? TemplateEvaluator.AsString(node) : node?.ToJsonString();
}
