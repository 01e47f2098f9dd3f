namespace CloudPatterns.LocalCloud.Identity;

/// <summary>
/// What a policy is evaluated against: the principal, the action, the resource and the request's condition keys
/// (names compared case-insensitively, as IAM does; a key may carry several values, e.g. aws:TagKeys).
/// </summary>
internal sealed class RequestContext(CallerIdentity principal, string action, string resource)
{
    private readonly Dictionary<string, string[]> keys = new(StringComparer.OrdinalIgnoreCase);

    public CallerIdentity Principal { get; } = principal;

    public string Action { get; } = action;

    public string Resource { get; } = resource;

    public IEnumerable<KeyValuePair<string, string[]>> Keys => keys;

    public RequestContext Set(string key, params string[] values)
    {
        keys[key] = values;
        return this;
    }

    public bool TryGet(string key, out string[] values) => keys.TryGetValue(key, out values!);

    /// <summary>A single-valued key's value (the first when several), or null.</summary>
    public string? Get(string key) => keys.TryGetValue(key, out var values) && values.Length > 0 ? values[0] : null;

    /// <summary>A copy for another action or resource (the same request, e.g. S3's kms:GenerateDataKey on the bucket key).</summary>
    public RequestContext With(string action, string resource)
    {
        var copy = new RequestContext(Principal, action, resource);
        foreach (var (key, values) in keys)
        {
            copy.keys[key] = values;
        }

        return copy;
    }
}
