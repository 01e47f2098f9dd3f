using System.IO.Compression;

namespace CloudPatterns.LocalCloud.CloudFormation.Specification;

/// <summary>
/// The CloudFormation resource specification (npm @aws-cdk/aws-service-spec, embedded at build time), reduced to
/// what the engine checks: resource types, their properties (nested types, required flags, update behaviour) and
/// their GetAtt attributes. Built once, on first use; documentation text is never kept.
/// </summary>
public sealed class ResourceSpecification
{
    private const string ResourceName = "aws-service-spec.db.json.gz";

    // Properties the registry schema marks read-only (so GetAtt returns them) that the database keeps as properties
    // only, because the old resource specification had a property of the same name; found by comparing the database
    // with the registry schemas (docs/localcloud-cloudformation-validation.md, "GetAtt").
    private static readonly Dictionary<string, string[]> ReadOnlyPropertiesKeptAsProperties = new(StringComparer.Ordinal)
    {
        ["AWS::Elasticsearch::Domain"] = ["DomainArn"],
        ["AWS::OpenSearchService::Domain"] = ["DomainArn"],
        ["AWS::ServiceDiscovery::Instance"] = ["InstanceId"],
    };

    private static readonly Lazy<ResourceSpecification> Embedded = new(LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Dictionary<string, ResourceTypeSpec> _resourceTypes;

    private ResourceSpecification(Dictionary<string, ResourceTypeSpec> resourceTypes) => _resourceTypes = resourceTypes;

    /// <summary>The specification embedded in this assembly, loaded on first access.</summary>
    public static ResourceSpecification Default => Embedded.Value;

    public int ResourceTypeCount => _resourceTypes.Count;

    public bool TryGetResourceType(string typeName, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ResourceTypeSpec? spec) =>
        _resourceTypes.TryGetValue(typeName, out spec);

    private static ResourceSpecification LoadEmbedded()
    {
        using var compressed = typeof(ResourceSpecification).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource specification {ResourceName} is missing; rebuild the project so npm fetches it.");
        return Load(compressed);
    }

    /// <summary>Reads a db.json.gz stream (the aws-service-spec database).</summary>
    public static ResourceSpecification Load(Stream gzippedDatabase)
    {
        var schema = SpecDatabaseReader.ReadSchema(gzippedDatabase);

        var objectTypes = new Dictionary<string, ObjectTypeSpec>(StringComparer.Ordinal);
        var typeDefinitions = Entities(schema, "typeDefinition");
        foreach (var definition in typeDefinitions)
        {
            objectTypes[(string)definition["$id"]!] = new ObjectTypeSpec((string)definition["name"]!);
        }
        var reader = new PropertyTypeReader(objectTypes);
        foreach (var definition in typeDefinitions)
        {
            objectTypes[(string)definition["$id"]!].SetProperties(reader.ReadProperties(Object(definition, "properties")));
        }

        var resourceTypes = new Dictionary<string, ResourceTypeSpec>(StringComparer.Ordinal);
        foreach (var resource in Entities(schema, "resource"))
        {
            var typeName = (string)resource["cloudFormationType"]!;
            var attributes = new Dictionary<string, PropertyTypeSpec>(StringComparer.Ordinal);
            foreach (var (name, attribute) in Object(resource, "attributes"))
            {
                attributes[name] = reader.ReadType(Object((Dictionary<string, object?>)attribute!, "type"));
            }
            var properties = reader.ReadProperties(Object(resource, "properties"));
            PropertyAttributes.AddTo(typeName, properties, attributes);
            foreach (var name in ReadOnlyPropertiesKeptAsProperties.GetValueOrDefault(typeName, []))
            {
                if (properties.TryGetValue(name, out var property))
                {
                    attributes.TryAdd(name, property.Type);
                }
            }
            resourceTypes[typeName] = new ResourceTypeSpec(
                typeName,
                properties,
                attributes,
                resource.TryGetValue("primaryIdentifier", out var identifier)
                    ? ((List<object?>)identifier!).Cast<string>().ToArray()
                    : [],
                resource.GetValueOrDefault("arnTemplate") as string,
                resource.GetValueOrDefault("cloudFormationTransform") as string)
            {
                RefIdentifierOverride = resource.TryGetValue("cfnRefIdentifier", out var reference)
                    ? ((List<object?>)reference!).Cast<string>().ToArray()
                    : null,
            };
        }
        resourceTypes.TryAdd(CdkMetadata.TypeName, CdkMetadata);
        return new ResourceSpecification(resourceTypes);
    }

    /// <summary>
    /// AWS::CDK::Metadata, the resource every CDK-synthesized template carries (its Analytics string, older versions'
    /// Modules): CloudFormation accepts it where CDK's region facts say it is available, though the resource
    /// specification does not list it (docs/localcloud-cloudformation-recorded.md, "CDK metadata").
    /// </summary>
    private static readonly ResourceTypeSpec CdkMetadata = new(
        "AWS::CDK::Metadata",
        new Dictionary<string, PropertySpec>(StringComparer.Ordinal)
        {
            ["Analytics"] = new("Analytics", new PropertyTypeSpec(PropertyKind.String, null, null, []), false, UpdateBehavior.InPlace),
            ["Modules"] = new("Modules", new PropertyTypeSpec(PropertyKind.String, null, null, []), false, UpdateBehavior.InPlace),
        },
        new Dictionary<string, PropertyTypeSpec>(StringComparer.Ordinal),
        [],
        null,
        null);

    private static IEnumerable<Dictionary<string, object?>> Entities(Dictionary<string, object?> schema, string section) =>
        ((List<object?>)Object(schema, section)["entities"]!).Cast<Dictionary<string, object?>>();

    private static Dictionary<string, object?> Object(Dictionary<string, object?> parent, string key) =>
        (Dictionary<string, object?>)parent[key]!;

    private sealed class PropertyTypeReader(Dictionary<string, ObjectTypeSpec> objectTypes)
    {
        // Leaf types are shared: the database repeats {"type":"string"} tens of thousands of times.
        private readonly Dictionary<PropertyKind, PropertyTypeSpec> _leaves = [];

        public Dictionary<string, PropertySpec> ReadProperties(Dictionary<string, object?> properties)
        {
            var result = new Dictionary<string, PropertySpec>(properties.Count, StringComparer.Ordinal);
            foreach (var (name, definition) in properties)
            {
                var value = (Dictionary<string, object?>)definition!;
                result[name] = new PropertySpec(
                    name,
                    ReadType(Object(value, "type")),
                    value.GetValueOrDefault("required") is true,
                    value.GetValueOrDefault("causesReplacement") switch
                    {
                        null => UpdateBehavior.InPlace,
                        "yes" => UpdateBehavior.Replacement,
                        "maybe" => UpdateBehavior.ConditionalReplacement,
                        var other => throw new InvalidDataException($"Unknown causesReplacement value '{other}' for property {name}."),
                    });
            }
            return result;
        }

        public PropertyTypeSpec ReadType(Dictionary<string, object?> type)
        {
            var kindName = (string)type["type"]!;
            return kindName switch
            {
                "array" => PropertyTypeSpec.ArrayOf(ReadType(Object(type, "element"))),
                "map" => PropertyTypeSpec.MapOf(ReadType(Object(type, "element"))),
                "ref" => PropertyTypeSpec.ObjectOf(objectTypes[(string)Object(type, "reference")["$ref"]!]),
                "union" => PropertyTypeSpec.UnionOf(((List<object?>)type["types"]!).Select(member => ReadType((Dictionary<string, object?>)member!)).ToArray()),
                "string" when type.GetValueOrDefault("allowedValues") is List<object?> allowed =>
                    new PropertyTypeSpec(PropertyKind.String, null, null, []) { AllowedValues = allowed.Cast<string>().ToArray() },
                _ => Leaf(kindName switch
                {
                    "string" => PropertyKind.String,
                    "integer" => PropertyKind.Integer,
                    "number" => PropertyKind.Number,
                    "boolean" => PropertyKind.Boolean,
                    "json" => PropertyKind.Json,
                    "date-time" => PropertyKind.DateTime,
                    "tag" => PropertyKind.Tag,
                    _ => throw new InvalidDataException($"Unknown property type '{kindName}' in the resource specification."),
                }),
            };
        }

        private PropertyTypeSpec Leaf(PropertyKind kind)
        {
            if (!_leaves.TryGetValue(kind, out var leaf))
            {
                leaf = new PropertyTypeSpec(kind, null, null, []);
                _leaves[kind] = leaf;
            }
            return leaf;
        }
    }
}

/// <summary>How CloudFormation updates a resource when a property changes (the spec's causesReplacement).</summary>
public enum UpdateBehavior
{
    InPlace,
    Replacement,
    ConditionalReplacement,
}

public enum PropertyKind
{
    String,
    Integer,
    Number,
    Boolean,
    Json,
    DateTime,
    Tag,
    Array,
    Map,
    Object,
    Union,
}

public sealed record PropertySpec(string Name, PropertyTypeSpec Type, bool Required, UpdateBehavior UpdateBehavior);

public sealed class PropertyTypeSpec(PropertyKind kind, PropertyTypeSpec? element, ObjectTypeSpec? objectType, IReadOnlyList<PropertyTypeSpec> unionTypes)
{
    public PropertyKind Kind { get; } = kind;

    /// <summary>The element type of an array or a map.</summary>
    public PropertyTypeSpec? Element { get; } = element;

    /// <summary>The nested property type of an object.</summary>
    public ObjectTypeSpec? ObjectType { get; } = objectType;

    /// <summary>The alternatives of a union.</summary>
    public IReadOnlyList<PropertyTypeSpec> UnionTypes { get; } = unionTypes;

    /// <summary>The values a string may take (the registry schema's enum), or null for any string.</summary>
    public IReadOnlyList<string>? AllowedValues { get; init; }

    internal static PropertyTypeSpec ArrayOf(PropertyTypeSpec element) => new(PropertyKind.Array, element, null, []);

    internal static PropertyTypeSpec MapOf(PropertyTypeSpec element) => new(PropertyKind.Map, element, null, []);

    internal static PropertyTypeSpec ObjectOf(ObjectTypeSpec objectType) => new(PropertyKind.Object, null, objectType, []);

    internal static PropertyTypeSpec UnionOf(IReadOnlyList<PropertyTypeSpec> types) => new(PropertyKind.Union, null, null, types);
}

/// <summary>A nested property type (the spec's typeDefinition).</summary>
public sealed class ObjectTypeSpec(string name)
{
    public string Name { get; } = name;

    public IReadOnlyDictionary<string, PropertySpec> Properties { get; private set; } = new Dictionary<string, PropertySpec>();

    internal void SetProperties(IReadOnlyDictionary<string, PropertySpec> properties) => Properties = properties;
}

public sealed class ResourceTypeSpec(
    string typeName,
    IReadOnlyDictionary<string, PropertySpec> properties,
    IReadOnlyDictionary<string, PropertyTypeSpec> attributes,
    IReadOnlyList<string> primaryIdentifier,
    string? arnTemplate,
    string? requiredTransform)
{
    public string TypeName { get; } = typeName;

    public IReadOnlyDictionary<string, PropertySpec> Properties { get; } = properties;

    /// <summary>GetAtt attribute names; nested ones are flattened with dots, e.g. Endpoint.Address.</summary>
    public IReadOnlyDictionary<string, PropertyTypeSpec> Attributes { get; } = attributes;

    /// <summary>
    /// A read-only property: a GetAtt attribute that is not also a writable property. A template may set one at the top
    /// of Properties; CloudFormation accepts and ignores it (docs/localcloud-cloudformation-validation.md,
    /// "Read-only properties set in a template").
    /// </summary>
    public bool IsReadOnlyProperty(string name) => !Properties.ContainsKey(name) && Attributes.ContainsKey(name);

    /// <summary>The properties or attributes that identify a resource of this type (its Ref is usually the first).</summary>
    public IReadOnlyList<string> PrimaryIdentifier { get; } = primaryIdentifier;

    /// <summary>
    /// What Ref returns: the spec's cfnRefIdentifier where CloudFormation's Ref differs from the primary identifier
    /// (CodeBuild projects: Name, not Id), else the primary identifier; several names are one value joined with "|"
    /// (docs/localcloud-cloudformation-recorded.md).
    /// </summary>
    public IReadOnlyList<string> RefIdentifier => RefIdentifierOverride ?? PrimaryIdentifier;

    internal IReadOnlyList<string>? RefIdentifierOverride { get; init; }

    /// <summary>e.g. arn:${Partition}:ec2:${Region}:${Account}:subnet/${SubnetId}</summary>
    public string? ArnTemplate { get; } = arnTemplate;

    /// <summary>The Transform a template must declare to use this type (e.g. AWS::Serverless-2016-10-31), if any.</summary>
    public string? RequiredTransform { get; } = requiredTransform;
}
