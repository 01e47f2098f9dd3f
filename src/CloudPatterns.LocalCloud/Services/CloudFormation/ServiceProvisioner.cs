using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.CloudFormation;

/// <summary>
/// Base of the provisioners that create CloudFormation resources in LocalCloud's own services: a service's refusal
/// (<see cref="AwsServiceException"/>) fails the resource with the service's message, as CloudFormation reports it.
/// Drift detection sees a resource as deleted once it is gone; while it exists, as the template made it unless the
/// provisioner reads the service's state (<see cref="ReadActual"/> with <see cref="ActualState"/>).
/// </summary>
internal abstract class ServiceProvisioner(TimeProvider clock) : IResourceProvisioner
{
    protected DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>The simulated clock, for provisioners that call a service's own logic.</summary>
    protected TimeProvider Clock => clock;

    public Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(AsResourceFailure(() => Create(request, Properties(request))));

    public Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) =>
        Task.FromResult(AsResourceFailure(() => Update(request, Properties(request), current)));

    public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) =>
        Task.FromResult(AsResourceFailure(() =>
        {
            Delete(request, current);
            return current;
        }));

    public Task<JsonObject?> ReadActualAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) =>
        Task.FromResult(ReadActual(request, current));

    /// <summary>The resource as drift detection sees it; by default the template's properties while it exists.</summary>
    protected virtual JsonObject? ReadActual(ResourceRequest request, ProvisionedResource current) =>
        Exists(request, current) ? (JsonObject)request.Properties.DeepClone() : null;

    /// <summary>
    /// The service's state of a resource as drift detection compares it: the template's properties with those the
    /// service knows replaced by <paramref name="service"/>'s values (a null value: the service has none), then cut
    /// down to what the template sets, as CloudFormation checks drift only of properties a template sets, not of
    /// defaults. A value the template gives as a string is compared as a string (templates often quote numbers).
    /// </summary>
    protected static JsonObject ActualState(ResourceRequest request, IReadOnlyDictionary<string, JsonNode?> service)
    {
        var actual = (JsonObject)request.Properties.DeepClone();
        foreach (var (name, value) in service)
        {
            if (value is null)
            {
                actual.Remove(name);
            }
            else
            {
                actual[name] = value.DeepClone();
            }
        }

        return (JsonObject)ShapedLike(request.Properties, actual)!;
    }

    private static JsonNode? ShapedLike(JsonNode? expected, JsonNode? actual) => (expected, actual) switch
    {
        (JsonObject expectedObject, JsonObject actualObject) => new JsonObject(expectedObject
            .Where(pair => actualObject.ContainsKey(pair.Key))
            .Select(pair => KeyValuePair.Create(pair.Key, ShapedLike(pair.Value, actualObject[pair.Key])))),
        (JsonArray expectedArray, JsonArray actualArray) => new JsonArray(actualArray
            .Select((item, index) => ShapedLike(index < expectedArray.Count ? expectedArray[index] : null, item)).ToArray()),
        (JsonValue expectedValue, JsonValue actualValue) when expectedValue.GetValueKind() == JsonValueKind.String && actualValue.GetValueKind() != JsonValueKind.String =>
            JsonValue.Create(actualValue.GetValueKind() switch { JsonValueKind.True => "true", JsonValueKind.False => "false", _ => actualValue.ToJsonString() }),
        _ => actual?.DeepClone(),
    };

    /// <summary>The name the template gives in <paramref name="nameProperty"/>, or the one CloudFormation generates.</summary>
    protected static string NameOrGenerated(ResourceRequest request, JsonElement properties, string nameProperty) =>
        properties.GetStringOrNull(nameProperty) ?? ResourceIdentities.GeneratedName(request);

    /// <summary>A boolean property; templates give true or "true".</summary>
    protected static bool? Flag(JsonElement properties, string name) =>
        properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.String => bool.TryParse(value.GetString(), out var flag) ? flag : null,
                _ => null,
            }
            : null;

    /// <summary>A numeric property; templates give 80 or "80".</summary>
    protected static double? Number(JsonElement properties, string name) =>
        properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.Number => value.GetDouble(),
                JsonValueKind.String when double.TryParse(value.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number) => number,
                _ => null,
            }
            : null;

    /// <summary>Tags as templates give them: a list of Key/Value objects.</summary>
    protected static Dictionary<string, string> TagList(JsonElement properties) =>
        properties.GetArrayOrEmpty("Tags").ToDictionary(tag => tag.GetStringOrNull("Key") ?? "", tag => Text(tag, "Value") ?? "", StringComparer.Ordinal);

    /// <summary>
    /// A string property as CloudFormation reads it: a number or boolean the template gives (YAML <c>RUST_BACKTRACE: 1</c>,
    /// <c>ENABLED: false</c>) is its text (docs/localcloud-cloudformation-validation.md).
    /// </summary>
    protected static string? Text(JsonElement properties, string name) =>
        properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            }
            : null;

    /// <summary>A map of string values (environment variables), scalars read as their text as in <see cref="Text"/>.</summary>
    protected static Dictionary<string, string> TextMap(JsonElement properties, string name) =>
        properties.GetObjectOrNull(name) is { } map
            ? map.EnumerateObject().ToDictionary(entry => entry.Name, entry => Text(map, entry.Name) ?? "", StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    protected static JsonArray TagListJson(IEnumerable<KeyValuePair<string, string>> tags) =>
        new([.. tags.Select(tag => (JsonNode)new JsonObject { ["Key"] = tag.Key, ["Value"] = tag.Value })]);

    protected abstract ProvisionedResource Create(ResourceRequest request, JsonElement properties);

    /// <summary>Applies in-place changes (the engine replaces the resource for the others).</summary>
    protected abstract ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current);

    protected abstract void Delete(ResourceRequest request, ProvisionedResource current);

    protected abstract bool Exists(ResourceRequest request, ProvisionedResource current);

    protected static ProvisionedResource Provisioned(string physicalId, params (string Name, string Value)[] attributes) =>
        new(physicalId, attributes.ToDictionary(attribute => attribute.Name, attribute => (JsonNode)attribute.Value, StringComparer.Ordinal));

    /// <summary>A policy property: CloudFormation takes a JSON object or a string holding one.</summary>
    protected static string? PolicyDocument(JsonElement properties, string name) =>
        properties.TryGetProperty(name, out var policy) ? policy.ValueKind == JsonValueKind.String ? policy.GetString() : policy.GetRawText() : null;

    private static JsonElement Properties(ResourceRequest request) => JsonSerializer.SerializeToElement(request.Properties);

    /// <summary>
    /// CloudFormation's refusal to create a named resource that already exists (it never takes over a resource it
    /// did not create, even where the service's create call is idempotent).
    /// </summary>
    protected static ResourceFailedException AlreadyExists(ResourceRequest request, string identifier) =>
        new($"Resource of type '{request.ResourceType}' with identifier '{identifier}' already exists.");

    /// <summary>How CloudFormation words a service's refusal; most resource handlers pass the service's message on.</summary>
    protected virtual string FailureMessage(AwsServiceException error) => error.Message;

    private T AsResourceFailure<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (AwsServiceException error)
        {
            throw new ResourceFailedException(FailureMessage(error));
        }
    }
}

/// <summary>
/// Base of the provisioners whose resource is settings applied to other resources (a topic policy, a function's
/// asynchronous invocation settings): create and update apply them, and Ref is a generated id.
/// </summary>
internal abstract class AppliedSettingsProvisioner(TimeProvider clock) : ServiceProvisioner(clock)
{
    /// <summary>Applies the resource's properties to the resources they name.</summary>
    protected abstract void Apply(ResourceRequest request, JsonElement properties);

    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        Apply(request, properties);
        return Provisioned(ResourceIdentities.GeneratedName(request));
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        Apply(request, properties);
        return current;
    }
}
