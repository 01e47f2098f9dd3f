namespace CloudPatterns.LocalCloud.Services.CloudFormation.StackSets;

/// <summary>Where an operation deploys: accounts, OUs and how the two combine (DeploymentTargets).</summary>
internal sealed record DeploymentTargets(IReadOnlyList<string> Accounts, IReadOnlyList<string> OrganizationalUnitIds, string? AccountFilterType)
{
    public static DeploymentTargets None { get; } = new([], [], null);
}

/// <summary>StackSetOperationPreferences as the request gave them (null = not given).</summary>
internal sealed record OperationPreferences(
    string? RegionConcurrencyType,
    IReadOnlyList<string> RegionOrder,
    int? FailureToleranceCount,
    int? FailureTolerancePercentage,
    int? MaxConcurrentCount,
    int? MaxConcurrentPercentage,
    string? ConcurrencyMode)
{
    public static OperationPreferences Default { get; } = new(null, [], null, null, null, null, null);

    /// <summary>Accounts of one region that may fail before the region stops (percentages round down).</summary>
    public int Tolerance(int accounts) => FailureToleranceCount ?? (FailureTolerancePercentage is { } percent ? accounts * percent / 100 : 0);

    /// <summary>
    /// Accounts deployed at once in a region: MaxConcurrentCount, or the percentage rounded down (at least one);
    /// STRICT_FAILURE_TOLERANCE (the default) caps it at the failure tolerance plus one.
    /// </summary>
    public int Concurrency(int accounts)
    {
        var maximum = MaxConcurrentCount ?? (MaxConcurrentPercentage is { } percent ? Math.Max(1, accounts * percent / 100) : 1);
        return ConcurrencyMode == "SOFT_FAILURE_TOLERANCE" ? maximum : Math.Min(maximum, Tolerance(accounts) + 1);
    }
}

internal sealed class StackSet
{
    public required string AdministratorAccountId { get; init; }

    public required string Region { get; init; }

    public required string Name { get; init; }

    /// <summary>name:uuid, as CloudFormation forms StackSetId.</summary>
    public required string Id { get; init; }

    public string Arn => $"arn:aws:cloudformation:{Region}:{AdministratorAccountId}:stackset/{Id}";

    public string? Description { get; set; }

    public required string TemplateBody { get; set; }

    public IReadOnlyDictionary<string, string> Parameters { get; set; } = new Dictionary<string, string>();

    public IReadOnlyList<string> Capabilities { get; set; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; set; } = [];

    public required string PermissionModel { get; init; }

    public string? AdministrationRoleArn { get; set; }

    public string? ExecutionRoleName { get; set; }

    public bool AutoDeploymentEnabled { get; set; }

    public bool RetainStacksOnAccountRemoval { get; set; }

    public string Status { get; set; } = "ACTIVE";

    public bool IsServiceManaged => PermissionModel == "SERVICE_MANAGED";

    /// <summary>The OUs instances were created for (auto-deployment watches them).</summary>
    public List<string> OrganizationalUnitIds { get; } = [];

    /// <summary>Regions with instances, in the order they were first deployed.</summary>
    public List<string> Regions { get; } = [];

    public List<StackInstance> Instances { get; } = [];

    public List<StackSetOperation> Operations { get; } = [];

    /// <summary>The operation running or last queued; the next one starts after it.</summary>
    public Task Tail { get; set; } = Task.CompletedTask;

    public string DriftStatus { get; set; } = "NOT_CHECKED";

    public DateTimeOffset? LastDriftCheck { get; set; }

    public StackInstance? FindInstance(string account, string region) =>
        Instances.FirstOrDefault(instance => instance.Account == account && instance.Region == region);
}

internal sealed class StackInstance
{
    public required string Account { get; init; }

    public required string Region { get; init; }

    public string? OrganizationalUnitId { get; set; }

    public string? StackId { get; set; }

    public IReadOnlyDictionary<string, string> ParameterOverrides { get; set; } = new Dictionary<string, string>();

    /// <summary>CURRENT, OUTDATED or INOPERABLE.</summary>
    public string Status { get; set; } = "OUTDATED";

    /// <summary>PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED, INOPERABLE...</summary>
    public string DetailedStatus { get; set; } = "PENDING";

    public string? StatusReason { get; set; }

    public string? LastOperationId { get; set; }

    public string DriftStatus { get; set; } = "NOT_CHECKED";

    public DateTimeOffset? LastDriftCheck { get; set; }
}

internal sealed class StackSetOperation
{
    public required string Id { get; init; }

    /// <summary>CREATE, UPDATE, DELETE or DETECT_DRIFT.</summary>
    public required string Action { get; init; }

    /// <summary>QUEUED, RUNNING, SUCCEEDED, FAILED, STOPPING, STOPPED.</summary>
    public string Status { get; set; } = "QUEUED";

    public string? StatusReason { get; set; }

    public required OperationPreferences Preferences { get; init; }

    public bool? RetainStacks { get; init; }

    public DeploymentTargets Targets { get; init; } = DeploymentTargets.None;

    public DateTimeOffset CreationTimestamp { get; init; }

    public DateTimeOffset? EndTimestamp { get; set; }

    public List<OperationResult> Results { get; } = [];

    public int FailedCount => Results.Count(result => result.Status == "FAILED");
}

internal sealed class OperationResult
{
    public required string Account { get; init; }

    public required string Region { get; init; }

    public string? OrganizationalUnitId { get; init; }

    /// <summary>PENDING, RUNNING, SUCCEEDED, FAILED or CANCELLED.</summary>
    public string Status { get; set; } = "PENDING";

    public string? StatusReason { get; set; }
}
