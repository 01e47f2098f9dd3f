using CloudPatterns.LocalCloud.CloudFormation.Templates;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Ssm;

/// <summary>
/// Parameter Store of every account and region, and the public parameters (<see cref="SsmPublicParameters"/>).
/// Thread-safe: one lock guards everything. Validation of names, values and labels is the service's
/// (<see cref="SsmRules"/>); the store keeps versions and labels as Parameter Store does.
/// </summary>
internal sealed class SsmStore : IParameterStore
{
    /// <summary>Parameter Store keeps the latest 100 versions of a parameter.</summary>
    public const int MaxVersions = 100;

    /// <summary>A version carries at most 10 labels.</summary>
    public const int MaxLabelsPerVersion = 10;

    private readonly Lock gate = new();
    private readonly Dictionary<(string AccountId, string Region), Dictionary<string, SsmParameter>> parameters = [];

    public static string Arn(string accountId, string region, string name) =>
        SsmPublicParameters.IsPublic(name) ? SsmPublicParameters.Arn(region, name)
        : $"arn:aws:ssm:{region}:{accountId}:parameter{(name.StartsWith('/') ? "" : "/")}{name}";

    /// <summary>
    /// Writes a new version (or the first). Without <paramref name="overwrite"/> an existing parameter is
    /// ParameterAlreadyExists; type, key, pattern and data type not given carry over from the latest version.
    /// </summary>
    public SsmParameterVersion Put(string accountId, string region, SsmParameterVersion proposed, bool overwrite, IReadOnlyDictionary<string, string> tags)
    {
        lock (gate)
        {
            var account = Account(accountId, region);
            if (!account.TryGetValue(proposed.Name, out var parameter))
            {
                parameter = new SsmParameter(Arn(accountId, region, proposed.Name)) { Tags = new Dictionary<string, string>(tags, StringComparer.Ordinal) };
                var first = proposed with { Version = 1 };
                parameter.Versions.Add(first);
                account.Add(proposed.Name, parameter);
                return first;
            }

            if (!overwrite)
            {
                throw new AwsServiceException(400, "ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
            }

            var latest = parameter.Latest;
            if (parameter.Versions.Count >= MaxVersions && parameter.LabelsOf(parameter.Versions[0].Version).Count > 0)
            {
                throw new AwsServiceException(
                    400,
                    "ParameterMaxVersionLimitExceeded",
                    $"You attempted to create a new version of {proposed.Name} by calling the PutParameter API with the overwrite flag. Version {parameter.Versions[0].Version}, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.");
            }

            var next = proposed with
            {
                Version = latest.Version + 1,
                Description = proposed.Description ?? latest.Description,
                KeyId = proposed.Type == "SecureString" ? proposed.KeyId ?? latest.KeyId : null,
                AllowedPattern = proposed.AllowedPattern ?? latest.AllowedPattern,
            };
            parameter.Versions.Add(next);
            if (parameter.Versions.Count > MaxVersions)
            {
                parameter.Versions.RemoveAt(0);
            }

            return next;
        }
    }

    /// <summary>The latest version of a parameter of the account, or null.</summary>
    public SsmParameterVersion? Latest(string accountId, string region, string name)
    {
        lock (gate)
        {
            return Account(accountId, region).GetValueOrDefault(name)?.Latest;
        }
    }

    /// <summary>
    /// Resolves a reference as GetParameter takes it: a name or ARN, optionally with ":version" or ":label"; public
    /// parameters from any account. Null when no such parameter; ParameterVersionNotFound for a missing version or label.
    /// </summary>
    public SsmSelection? Select(string accountId, string region, string reference)
    {
        var (name, selector) = SplitSelector(NameFromArn(reference));
        if (SsmPublicParameters.IsPublic(name))
        {
            return SsmPublicParameters.In(region).GetValueOrDefault(name) is { } published
                ? selector is null or ":1" ? new SsmSelection(published, SsmPublicParameters.Arn(region, name), selector) : throw VersionNotFound(name, selector)
                : null;
        }

        lock (gate)
        {
            if (!Account(accountId, region).TryGetValue(name, out var parameter))
            {
                return null;
            }

            var version = selector switch
            {
                null => parameter.Latest,
                _ when long.TryParse(selector.AsSpan(1), out var number) => parameter.Versions.FirstOrDefault(candidate => candidate.Version == number),
                _ => parameter.Labels.TryGetValue(selector[1..], out var labelled) ? parameter.Versions.FirstOrDefault(candidate => candidate.Version == labelled) : null,
            };
            return version is null ? throw VersionNotFound(name, selector!) : new SsmSelection(version, parameter.Arn, selector);
        }
    }

    /// <summary>What CloudFormation reads for SSM parameter types and dynamic references.</summary>
    public ParameterStoreValue? Find(string accountId, string region, string reference)
    {
        try
        {
            return Select(accountId, region, reference) is { Parameter: var found }
                ? new ParameterStoreValue(found.Name, found.Type, found.Value, found.Version)
                : null;
        }
        catch (AwsServiceException)
        {
            // A version or label that does not exist: CloudFormation reports the parameter as not found.
            return null;
        }
    }

    /// <summary>Every version of a parameter, oldest first, with its labels; null when there is no such parameter.</summary>
    public IReadOnlyList<(SsmParameterVersion Version, IReadOnlyList<string> Labels)>? History(string accountId, string region, string name)
    {
        lock (gate)
        {
            return Account(accountId, region).TryGetValue(NameFromArn(name), out var parameter)
                ? parameter.Versions.Select(version => (version, parameter.LabelsOf(version.Version))).ToList()
                : null;
        }
    }

    /// <summary>
    /// Attaches labels to a version (the latest when null), moving each from the version that had it; null when
    /// there is no such parameter.
    /// </summary>
    public long? Label(string accountId, string region, string name, long? version, IReadOnlyList<string> labels)
    {
        lock (gate)
        {
            if (!Account(accountId, region).TryGetValue(NameFromArn(name), out var parameter))
            {
                return null;
            }

            var target = version ?? parameter.Latest.Version;
            if (parameter.Versions.All(candidate => candidate.Version != target))
            {
                throw VersionNotFound(name, $":{target}");
            }

            if (parameter.LabelsOf(target).Union(labels, StringComparer.Ordinal).Count() > MaxLabelsPerVersion)
            {
                throw new AwsServiceException(400, "ParameterVersionLabelLimitExceeded", $"A parameter version can have maximum {MaxLabelsPerVersion} labels.Move one or more labels to another version and try again.");
            }

            foreach (var label in labels)
            {
                parameter.Labels[label] = target;
            }

            return target;
        }
    }

    public bool Delete(string accountId, string region, string name)
    {
        lock (gate)
        {
            return Account(accountId, region).Remove(NameFromArn(name));
        }
    }

    /// <summary>The latest version of every parameter of the account and region, by name, with all its labels and its tags.</summary>
    public IReadOnlyList<SsmListing> List(string accountId, string region)
    {
        lock (gate)
        {
            return Account(accountId, region).Values
                .OrderBy(parameter => parameter.Latest.Name, StringComparer.Ordinal)
                .Select(parameter => new SsmListing(parameter.Latest, parameter.Labels.Keys.ToList(), new Dictionary<string, string>(parameter.Tags, StringComparer.Ordinal)))
                .ToList();
        }
    }

    /// <summary>"name:selector" split at the last colon that is not part of an ARN prefix.</summary>
    private static (string Name, string? Selector) SplitSelector(string reference)
    {
        var colon = reference.LastIndexOf(':');
        return colon > 0 ? (reference[..colon], reference[colon..]) : (reference, null);
    }

    /// <summary>An ARN names the parameter after "parameter" (names with a leading slash keep it).</summary>
    private static string NameFromArn(string reference)
    {
        if (!reference.StartsWith("arn:", StringComparison.Ordinal))
        {
            return reference;
        }

        var marker = reference.IndexOf(":parameter/", StringComparison.Ordinal);
        if (marker < 0)
        {
            return reference;
        }

        var name = reference[(marker + ":parameter".Length)..];
        return name.Count(character => character == '/') > 1 || SsmPublicParameters.IsPublic(name) ? name : name[1..];
    }

    private static AwsServiceException VersionNotFound(string name, string selector) => new(
        400,
        "ParameterVersionNotFound",
        $"Systems Manager could not find version {selector[1..]} of {name}. Verify the version and try again.");

    private Dictionary<string, SsmParameter> Account(string accountId, string region)
    {
        if (!parameters.TryGetValue((accountId, region), out var account))
        {
            account = new Dictionary<string, SsmParameter>(StringComparer.Ordinal);
            parameters.Add((accountId, region), account);
        }

        return account;
    }
}
