using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Iam;

// IamStore: instance profiles.
internal sealed partial class IamStore
{
    public IamInstanceProfile CreateInstanceProfile(string accountId, string path, string name, IReadOnlyList<IamTag> tags, DateTimeOffset now)
    {
        IamConstraints.RequireValidInstanceProfile(name, path);
        RequireTagCount(tags.Count);
        var arn = $"arn:aws:iam::{accountId}:instance-profile{path}{name}";
        var profile = new IamInstanceProfile(accountId, path, name, NewId("AIPA", arn), now, [], tags);
        lock (gate)
        {
            if (!Entities(accountId).InstanceProfiles.TryAdd(name, profile))
            {
                throw new AwsServiceException(409, "EntityAlreadyExists", $"Instance Profile {name} already exists.");
            }
        }

        return profile;
    }

    /// <summary>The profile and its roles (deleted roles drop out, as IAM shows them).</summary>
    public (IamInstanceProfile Profile, IReadOnlyList<IamRole> Roles) GetInstanceProfile(string accountId, string name)
    {
        lock (gate)
        {
            var profile = InstanceProfile(accountId, name);
            var roles = Entities(accountId).Roles;
            return (profile, profile.RoleNames.Select(roles.GetValueOrDefault).OfType<IamRole>().ToList());
        }
    }

    /// <summary>An instance profile holds one role at most (IAM's InstanceSessionsPerInstanceProfile quota).</summary>
    public void AddRoleToInstanceProfile(string accountId, string profileName, string roleName)
    {
        lock (gate)
        {
            var profile = InstanceProfile(accountId, profileName);
            var role = Role(accountId, roleName);
            if (profile.RoleNames.Count > 0)
            {
                throw new AwsServiceException(409, "LimitExceeded", "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
            }

            Entities(accountId).InstanceProfiles[profile.InstanceProfileName] = profile with { RoleNames = [role.RoleName] };
        }
    }

    public void RemoveRoleFromInstanceProfile(string accountId, string profileName, string roleName)
    {
        lock (gate)
        {
            var profile = InstanceProfile(accountId, profileName);
            if (!profile.RoleNames.Contains(roleName, StringComparer.OrdinalIgnoreCase))
            {
                throw new AwsServiceException(404, "NoSuchEntity", $"The role with name {roleName} cannot be found.");
            }

            Entities(accountId).InstanceProfiles[profile.InstanceProfileName] =
                profile with { RoleNames = profile.RoleNames.Where(name => !name.Equals(roleName, StringComparison.OrdinalIgnoreCase)).ToList() };
        }
    }

    public void DeleteInstanceProfile(string accountId, string name)
    {
        lock (gate)
        {
            var profile = InstanceProfile(accountId, name);
            if (profile.RoleNames.Count > 0)
            {
                throw DeleteConflict("Cannot delete entity, must remove roles from instance profile first.");
            }

            Entities(accountId).InstanceProfiles.Remove(profile.InstanceProfileName);
        }
    }
}
