using System.Xml.Linq;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.Fleet;

namespace CloudPatterns.LocalCloud.Services.AutoScaling;

/// <summary>
/// SuspendProcesses and ResumeProcesses (docs/localcloud-autoscaling.md, "Rebalancing across zones"). LocalCloud
/// acts on AZRebalance only, so suspending another process is refused as not emulated rather than accepted and ignored.
/// </summary>
internal sealed partial class AutoScalingService
{
    private static readonly string[] ProcessTypes =
        ["Launch", "Terminate", "AddToLoadBalancer", "AlarmNotification", "AZRebalance", "HealthCheck", "InstanceRefresh", "ReplaceUnhealthy", "ScheduledActions"];

    private void AddProcessOperations()
    {
        AddOperation("SuspendProcesses", mutating: true, SuspendProcesses);
        AddOperation("ResumeProcesses", mutating: true, ResumeProcesses);
    }

    private IEnumerable<XElement> SuspendProcesses(AwsRequest request, QueryParameters parameters)
    {
        var group = Find(request, parameters);
        var processes = Processes(parameters, suspending: true);
        fleet.ChangeGroup(group, changed =>
        {
            foreach (var process in processes.Where(process => !changed.SuspendedProcesses.ContainsKey(process)))
            {
                changed.SuspendedProcesses[process] = $"User suspended at {FleetStore.Stamp(fleet.Now)}";
            }
        });
        return [];
    }

    private IEnumerable<XElement> ResumeProcesses(AwsRequest request, QueryParameters parameters)
    {
        var group = Find(request, parameters);
        var processes = Processes(parameters, suspending: false);
        fleet.ChangeGroup(group, changed =>
        {
            foreach (var process in processes)
            {
                changed.SuspendedProcesses.Remove(process);
            }
        });
        return [];
    }

    /// <summary>The processes named (all of them when none is), after one ValidationError naming every bad name.</summary>
    private static IReadOnlyList<string> Processes(QueryParameters parameters, bool suspending)
    {
        var named = parameters.GetList("ScalingProcesses");
        var unknown = named.Where(name => !ProcessTypes.Contains(name, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new AwsServiceException(400, "ValidationError", $"Invalid scaling process name(s): {string.Join(", ", unknown)}. Valid processes are {string.Join(", ", ProcessTypes)}.");
        }

        var processes = named.Count == 0 ? ProcessTypes : named.Distinct(StringComparer.Ordinal).ToArray();
        var notEmulated = processes.Where(name => name != FleetStore.AzRebalance).ToList();
        if (suspending && notEmulated.Count > 0)
        {
            throw new AwsServiceException(400, "ValidationError",
                $"LocalCloud does not emulate suspending {string.Join(", ", notEmulated)}; only {FleetStore.AzRebalance} can be suspended (docs/localcloud-autoscaling.md).");
        }

        return processes;
    }

    private IEnumerable<XElement> SuspendedProcesses(AutoScalingGroup group) =>
        group.SuspendedProcesses.OrderBy(entry => entry.Key, StringComparer.Ordinal)
            .Select(entry => Element("member", new[] { Element("ProcessName", entry.Key), Element("SuspensionReason", entry.Value) }));
}
