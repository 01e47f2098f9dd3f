using CloudPatterns.LocalCloud.Services.Efs;
using CloudPatterns.LocalCloud.Services.Fleet;
using CloudPatterns.LocalCloud.Services.Rds;
using CloudPatterns.LocalCloud.Services.Resources;
using CloudPatterns.LocalCloud.Services.S3;

namespace CloudPatterns.LocalCloud.Hosting;

/// <summary>
/// Puts the resources a seed gives its accounts where their services keep them (src/CloudPatterns.LocalCloud/README.md, "Seed"): DB instances,
/// volumes, tables and Aurora clusters in the resource store; buckets in S3, instances in the fleet, file systems in EFS,
/// so Backup's plans select them by their tags as they select what CloudFormation created.
/// </summary>
internal static class SeededResources
{
    public static void Place(LocalCloudState state, SeedOrganization organization)
    {
        foreach (var account in organization.Accounts)
        {
            foreach (var resource in account.Resources)
            {
                Place(state, account, resource);
            }
        }
    }

    private static void Place(LocalCloudState state, SeedAccount account, SeedResource resource)
    {
        string? Property(string name) => resource.Properties.GetValueOrDefault(name);
        switch (resource.Type)
        {
            case "S3":
                state.S3.CreateBucket(account.Id, resource.Region, resource.Name, objectLockEnabled: false);
                state.S3.Update(account.Id, resource.Name, bucket =>
                {
                    bucket.Versioning = Property("Versioning") ?? "Enabled";
                    bucket.Tags = resource.Tags.Select(tag => new S3Tag(tag.Key, tag.Value)).ToList();
                });
                foreach (var (key, content) in resource.Contents)
                {
                    state.S3.PutObject(account.Id, resource.Name, new NewObject(key, System.Text.Encoding.UTF8.GetBytes(content), "text/plain", [], [], null, null, null));
                }

                break;
            case "EC2":
                state.Fleet.Launch(
                    account.Id,
                    resource.Region,
                    Property("ImageId") ?? "ami-0a0b0c0d0e0f00001",
                    Property("InstanceType") ?? "t3.micro",
                    new Placement(null, Property("AvailabilityZone") ?? resource.Region + "a"),
                    [],
                    resource.Tags,
                    account.Joined - TimeSpan.FromDays(1),
                    resource.Name);
                break;
            case "EFS":
                var fileSystem = state.Efs.CreateFileSystem(
                    account.Id,
                    resource.Region,
                    new FileSystemRequest(resource.Name, "generalPurpose", null, null, Property("Encrypted") == "true", null, null, null, resource.Tags.Select(tag => new EfsTag(tag.Key, tag.Value)).ToList()),
                    waited: true);
                state.Efs.Store.Change(account.Id, resource.Region, fileSystem.Id, created =>
                {
                    foreach (var (path, content) in resource.Contents)
                    {
                        created.Files[path] = System.Text.Encoding.UTF8.GetBytes(content);
                    }

                    return created;
                });
                break;
            case "Aurora":
                var engine = Property("Engine") ?? "aurora-postgresql";
                state.Resources.TryAdd(new CloudResource(ResourceKind.AuroraCluster, account.Id, resource.Region, resource.Name, account.Joined, resource.Tags, RdsService.NewClusterAttributes(engine, name => name == "Engine" ? engine : Property(name))));
                break;
            default:
                var kind = ResourceKind.FromBackupResourceType(resource.Type)!;
                state.Resources.TryAdd(new CloudResource(kind, account.Id, resource.Region, resource.Name, account.Joined, resource.Tags, resource.Properties));
                break;
        }
    }
}
