using System.Security.Cryptography;

namespace CloudPatterns.LocalCloud.Services.Efs;

/// <summary>
/// EFS file systems, mount targets and access points of every account and region, under one lock. Life-cycle states
/// follow the sandbox clock: a file system is available <see cref="FileSystemCreation"/> after CreateFileSystem, a
/// mount target <see cref="MountTargetCreation"/> after CreateMountTarget (docs/localcloud-efs.md, inferred timings).
/// </summary>
internal sealed class EfsStore(TimeProvider clock)
{
    /// <summary>The metered size of an empty file system (its root directory's metadata), 6 KiB.</summary>
    public const long EmptySize = 6144;

    public static readonly TimeSpan FileSystemCreation = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MountTargetCreation = TimeSpan.FromSeconds(60);

    private readonly Lock gate = new();
    private readonly Dictionary<string, EfsFileSystem> fileSystems = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EfsMountTarget> mountTargets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EfsAccessPoint> accessPoints = new(StringComparer.Ordinal);

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>A new file system, or FileSystemAlreadyExists naming the one this account and region made with the token.</summary>
    public EfsFileSystem Create(EfsFileSystem fileSystem)
    {
        lock (gate)
        {
            if (fileSystems.Values.FirstOrDefault(existing => Owned(existing, fileSystem.AccountId, fileSystem.Region) && existing.CreationToken == fileSystem.CreationToken) is { } existing)
            {
                throw EfsErrors.Error(409, "FileSystemAlreadyExists", $"File system '{existing.Id}' already exists with creation token '{fileSystem.CreationToken}'.", ("FileSystemId", existing.Id));
            }

            fileSystems.Add(fileSystem.Id, fileSystem);
            return fileSystem;
        }
    }

    /// <summary>Runs <paramref name="read"/> on the file system (an id or its ARN) of the account and region, under the lock; FileSystemNotFound otherwise.</summary>
    public T Use<T>(string accountId, string region, string idOrArn, Func<EfsFileSystem, T> read)
    {
        lock (gate)
        {
            return read(Find(accountId, region, idOrArn));
        }
    }

    /// <summary>File systems of the account and region, oldest first; only the one named by id or creation token when given.</summary>
    public IReadOnlyList<(EfsFileSystem FileSystem, int MountTargets)> List(string accountId, string region, string? idOrArn, string? creationToken)
    {
        lock (gate)
        {
            if (idOrArn is not null)
            {
                var found = Find(accountId, region, idOrArn);
                return [(found, MountTargetsOf(found.Id).Count())];
            }

            return [.. fileSystems.Values
                .Where(candidate => Owned(candidate, accountId, region) && (creationToken is null || candidate.CreationToken == creationToken))
                .OrderBy(candidate => candidate.CreationTime)
                .Select(candidate => (candidate, MountTargetsOf(candidate.Id).Count()))];
        }
    }

    /// <summary>Deletes a file system and its access points; FileSystemInUse while it has mount targets.</summary>
    public void Delete(string accountId, string region, string idOrArn)
    {
        lock (gate)
        {
            var fileSystem = Find(accountId, region, idOrArn);
            var count = MountTargetsOf(fileSystem.Id).Count();
            if (count > 0)
            {
                throw EfsErrors.Error(409, "FileSystemInUse", $"File system '{fileSystem.Id}' has {count} mount target(s); delete them before the file system.");
            }

            fileSystems.Remove(fileSystem.Id);
            foreach (var accessPoint in accessPoints.Values.Where(point => point.FileSystemId == fileSystem.Id).ToList())
            {
                accessPoints.Remove(accessPoint.Id);
            }
        }
    }

    /// <summary>Adds a mount target after <paramref name="check"/> (run under the lock with the file system and its current mount targets) accepts it.</summary>
    public EfsMountTarget AddMountTarget(string accountId, string region, string fileSystemIdOrArn, Func<EfsFileSystem, IReadOnlyList<EfsMountTarget>, EfsMountTarget> create)
    {
        lock (gate)
        {
            var fileSystem = Find(accountId, region, fileSystemIdOrArn);
            var mountTarget = create(fileSystem, [.. MountTargetsOf(fileSystem.Id)]);
            mountTargets.Add(mountTarget.Id, mountTarget);
            return mountTarget;
        }
    }

    /// <summary>DescribeMountTargets: those of a file system, the one with an id, or those of an access point's file system.</summary>
    public IReadOnlyList<EfsMountTarget> MountTargets(string accountId, string region, string? fileSystemId, string? mountTargetId, string? accessPointId)
    {
        lock (gate)
        {
            if (mountTargetId is not null)
            {
                return [MountTarget(accountId, region, mountTargetId)];
            }

            var owner = fileSystemId is not null ? Find(accountId, region, fileSystemId).Id : AccessPoint(accountId, region, accessPointId!).FileSystemId;
            return [.. MountTargetsOf(owner)];
        }
    }

    /// <summary>The file system id a mount target belongs to (any account: ids are unique), for authorization; null when unknown.</summary>
    public string? FileSystemOfMountTarget(string mountTargetId)
    {
        lock (gate)
        {
            return mountTargets.GetValueOrDefault(mountTargetId)?.FileSystemId;
        }
    }

    public void DeleteMountTarget(string accountId, string region, string mountTargetId)
    {
        lock (gate)
        {
            mountTargets.Remove(MountTarget(accountId, region, mountTargetId).Id);
        }
    }

    /// <summary>A new access point, or AccessPointAlreadyExists naming the one made with the client token.</summary>
    public EfsAccessPoint AddAccessPoint(EfsAccessPoint accessPoint)
    {
        lock (gate)
        {
            var fileSystem = Find(accessPoint.AccountId, accessPoint.Region, accessPoint.FileSystemId);
            if (accessPoints.Values.FirstOrDefault(existing => existing.AccountId == accessPoint.AccountId && existing.Region == accessPoint.Region && existing.ClientToken == accessPoint.ClientToken) is { } existing)
            {
                throw EfsErrors.Error(409, "AccessPointAlreadyExists", $"Access point '{existing.Id}' already exists with client token '{accessPoint.ClientToken}'.", ("AccessPointId", existing.Id));
            }

            RequireAvailable(fileSystem);
            var stored = new EfsAccessPoint
            {
                AccountId = accessPoint.AccountId, Region = accessPoint.Region, Id = accessPoint.Id, ClientToken = accessPoint.ClientToken,
                FileSystemId = fileSystem.Id, PosixUser = accessPoint.PosixUser, RootDirectory = accessPoint.RootDirectory, Tags = accessPoint.Tags,
            };
            accessPoints.Add(stored.Id, stored);
            return stored;
        }
    }

    public IReadOnlyList<EfsAccessPoint> AccessPoints(string accountId, string region, string? accessPointId, string? fileSystemId)
    {
        lock (gate)
        {
            if (accessPointId is not null)
            {
                return [AccessPoint(accountId, region, accessPointId)];
            }

            var owner = fileSystemId is null ? null : Find(accountId, region, fileSystemId).Id;
            return [.. accessPoints.Values.Where(point => point.AccountId == accountId && point.Region == region && (owner is null || point.FileSystemId == owner)).OrderBy(point => point.Id, StringComparer.Ordinal)];
        }
    }

    public void DeleteAccessPoint(string accountId, string region, string accessPointId)
    {
        lock (gate)
        {
            accessPoints.Remove(AccessPoint(accountId, region, accessPointId).Id);
        }
    }

    /// <summary>The tags of a file system or access point (id or ARN), changed by <paramref name="change"/> when given.</summary>
    public IReadOnlyList<EfsTag> Tags(string accountId, string region, string resourceId, Func<List<EfsTag>, List<EfsTag>>? change = null)
    {
        lock (gate)
        {
            if (resourceId.Contains("fsap-", StringComparison.Ordinal))
            {
                var point = AccessPoint(accountId, region, resourceId);
                return point.Tags = change?.Invoke(point.Tags) ?? point.Tags;
            }

            var fileSystem = Find(accountId, region, resourceId);
            return fileSystem.Tags = change?.Invoke(fileSystem.Tags) ?? fileSystem.Tags;
        }
    }

    /// <summary>Changes an available file system (PutBackupPolicy, writing files); IncorrectFileSystemLifeCycleState while it is being created.</summary>
    public T Change<T>(string accountId, string region, string idOrArn, Func<EfsFileSystem, T> change)
    {
        lock (gate)
        {
            var fileSystem = Find(accountId, region, idOrArn);
            RequireAvailable(fileSystem);
            return change(fileSystem);
        }
    }

    /// <summary>The next time a file system or mount target becomes available (the clock's auto-advance waits for it); null when none is being created.</summary>
    public DateTimeOffset? NextTransition(DateTimeOffset now)
    {
        lock (gate)
        {
            return fileSystems.Values.Select(fileSystem => fileSystem.AvailableAt)
                .Concat(mountTargets.Values.Select(mountTarget => mountTarget.AvailableAt))
                .Where(time => time > now)
                .Select(time => (DateTimeOffset?)time)
                .Min();
        }
    }

    /// <summary>The SHA-256 of every file, by path, of a file system (the admin API's read).</summary>
    public static SortedDictionary<string, string> Digests(EfsFileSystem fileSystem) =>
        new(fileSystem.Files.ToDictionary(file => file.Key, file => Convert.ToHexStringLower(SHA256.HashData(file.Value)), StringComparer.Ordinal), StringComparer.Ordinal);

    public EfsSnapshot Snapshot()
    {
        lock (gate)
        {
            return new EfsSnapshot([.. fileSystems.Values], [.. mountTargets.Values], [.. accessPoints.Values]);
        }
    }

    public void Restore(EfsSnapshot snapshot)
    {
        lock (gate)
        {
            fileSystems.Clear();
            mountTargets.Clear();
            accessPoints.Clear();
            foreach (var fileSystem in snapshot.FileSystems)
            {
                fileSystems[fileSystem.Id] = fileSystem;
            }

            foreach (var mountTarget in snapshot.MountTargets)
            {
                mountTargets[mountTarget.Id] = mountTarget;
            }

            foreach (var accessPoint in snapshot.AccessPoints)
            {
                accessPoints[accessPoint.Id] = accessPoint;
            }
        }
    }

    public void RequireAvailable(EfsFileSystem fileSystem)
    {
        var state = fileSystem.LifeCycleState(clock.GetUtcNow());
        if (state != "available")
        {
            throw EfsErrors.IncorrectState(fileSystem.Id, state);
        }
    }

    private static bool Owned(EfsFileSystem fileSystem, string accountId, string region) => fileSystem.AccountId == accountId && fileSystem.Region == region;

    private static string IdOf(string idOrArn) => idOrArn[(idOrArn.LastIndexOf('/') + 1)..];

    private EfsFileSystem Find(string accountId, string region, string idOrArn) =>
        fileSystems.GetValueOrDefault(IdOf(idOrArn)) is { } found && Owned(found, accountId, region) ? found : throw EfsErrors.FileSystemNotFound(IdOf(idOrArn));

    private IEnumerable<EfsMountTarget> MountTargetsOf(string fileSystemId) =>
        mountTargets.Values.Where(mountTarget => mountTarget.FileSystemId == fileSystemId).OrderBy(mountTarget => mountTarget.AvailabilityZoneName, StringComparer.Ordinal);

    private EfsMountTarget MountTarget(string accountId, string region, string id) =>
        mountTargets.GetValueOrDefault(id) is { } found && found.AccountId == accountId && found.Region == region
            ? found
            : throw EfsErrors.Error(404, "MountTargetNotFound", $"Mount target '{id}' does not exist.");

    private EfsAccessPoint AccessPoint(string accountId, string region, string idOrArn) =>
        accessPoints.GetValueOrDefault(IdOf(idOrArn)) is { } found && found.AccountId == accountId && found.Region == region
            ? found
            : throw EfsErrors.Error(404, "AccessPointNotFound", $"Access point '{IdOf(idOrArn)}' does not exist.");
}

/// <summary>EFS's part of the state file.</summary>
internal sealed record EfsSnapshot(List<EfsFileSystem> FileSystems, List<EfsMountTarget> MountTargets, List<EfsAccessPoint> AccessPoints);
