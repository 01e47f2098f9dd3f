namespace CloudPatterns.LocalCloud.Services.Fleet;

/// <summary>
/// Instances outside any Auto Scaling group: those an AWS Backup restore launches from an image, and
/// TerminateInstances. They boot on the same clock as a group's (pending, then running, status checks initializing
/// until the server is ready).
/// </summary>
internal sealed partial class FleetStore
{
    /// <summary>
    /// Launches one instance at <paramref name="time"/> (not after now); it is pending until it boots. Its id is a new
    /// one unless <paramref name="id"/> names it (a seeded instance keeps the id its seed gives).
    /// </summary>
    public FleetInstance Launch(string accountId, string region, string imageId, string instanceType, Placement placement, IReadOnlyList<string> securityGroupIds, IReadOnlyDictionary<string, string> tags, DateTimeOffset time, string? id = null) => Use(now =>
    {
        var instance = new FleetInstance
        {
            Id = id ?? NewInstanceId(),
            AccountId = accountId,
            Region = region,
            Placement = placement,
            ImageId = imageId,
            InstanceType = instanceType,
            LaunchTime = time < now ? time : now,
            PrivateIpAddress = PrivateIp(),
            SecurityGroupIds = securityGroupIds,
            Tags = tags,
        };
        instances[instance.Id] = instance;
        return instance;
    });

    /// <summary>
    /// TerminateInstances: each instance of the account and region goes to terminated (a group's instance leaves its
    /// group, which launches a replacement); returns each one's state before and after. An unknown id fails the whole
    /// call before anything changes.
    /// </summary>
    public IReadOnlyList<(FleetInstance Instance, string PreviousState)> TerminateInstances(string accountId, string region, IReadOnlyList<string> ids) => Use(now =>
    {
        var found = ids.Select(id => instances.GetValueOrDefault(id) is { } instance && instance.AccountId == accountId && instance.Region == region ? instance : null).ToList();
        if (ids.Zip(found).FirstOrDefault(pair => pair.Second is null) is { First: { } missing })
        {
            throw new Protocols.AwsServiceException(400, "InvalidInstanceID.NotFound", $"The instance ID '{missing}' does not exist");
        }

        var changes = new List<(FleetInstance, string)>();
        foreach (var instance in found.OfType<FleetInstance>())
        {
            var previous = instance.State;
            if (instance.Active)
            {
                if (groups.Values.FirstOrDefault(group => group.Instances.Contains(instance)) is { } group)
                {
                    Terminate(group, instance, now);
                    Reconcile(group, now);
                }
                else
                {
                    instance.State = "terminated";
                    instance.TerminatedAt = now;
                }
            }

            changes.Add((instance, previous));
        }

        return changes;
    });
}
