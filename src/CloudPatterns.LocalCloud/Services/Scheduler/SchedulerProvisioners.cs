using System.Text.Json;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.Services.CloudFormation;

namespace CloudPatterns.LocalCloud.Services.Scheduler;

/// <summary>
/// AWS::Scheduler::Schedule through CreateSchedule/UpdateSchedule's own checks: Ref is the schedule name, GetAtt Arn.
/// The physical id is GROUP|NAME, so an update finds the schedule in its group.
/// </summary>
internal sealed class ScheduleProvisioner(SchedulerStore store, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var name = NameOrGenerated(request, properties, "Name");
        var schedule = SchedulerService.Put(store, Clock, request.Stack.AccountId, request.Stack.Region, name, properties, replace: false);
        return Provisioned(name, ("Arn", schedule.Arn));
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        var schedule = SchedulerService.Put(store, Clock, request.Stack.AccountId, request.Stack.Region, current.PhysicalId, properties, replace: true);
        return Provisioned(current.PhysicalId, ("Arn", schedule.Arn));
    }

    protected override void Delete(ResourceRequest request, ProvisionedResource current)
    {
        if (Exists(request, current))
        {
            store.Delete(request.Stack.AccountId, request.Stack.Region, Group(request), current.PhysicalId);
        }
    }

    protected override bool Exists(ResourceRequest request, ProvisionedResource current)
    {
        try
        {
            store.Get(request.Stack.AccountId, request.Stack.Region, Group(request), current.PhysicalId);
            return true;
        }
        catch (Protocols.AwsServiceException)
        {
            return false;
        }
    }

    private static string Group(ResourceRequest request) => request.Properties["GroupName"]?.GetValue<string>() ?? ScheduleGroup.DefaultName;
}

/// <summary>AWS::Scheduler::ScheduleGroup: Ref is the group name; GetAtt Arn, State, CreationDate and LastModificationDate.</summary>
internal sealed class ScheduleGroupProvisioner(SchedulerStore store, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var group = store.CreateGroup(request.Stack.AccountId, request.Stack.Region, NameOrGenerated(request, properties, "Name"));
        var created = group.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        return Provisioned(group.Name, ("Arn", group.Arn), ("State", "ACTIVE"), ("CreationDate", created), ("LastModificationDate", created));
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current) => current;

    protected override void Delete(ResourceRequest request, ProvisionedResource current)
    {
        if (Exists(request, current))
        {
            store.DeleteGroup(request.Stack.AccountId, request.Stack.Region, current.PhysicalId);
        }
    }

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) =>
        store.ListGroups(request.Stack.AccountId, request.Stack.Region, current.PhysicalId).Any(group => group.Name == current.PhysicalId);
}
