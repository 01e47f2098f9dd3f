using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Reflection;

namespace CloudPatterns.Aws.Protocol;

/// <summary>The HTTP method and URI template of a REST operation, from its botocore model's <c>http</c> block.</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class RestOperationAttribute : Attribute
{
    public RestOperationAttribute(string method, string uriTemplate)
    {
        Method = method;
        UriTemplate = uriTemplate;
    }

    public string Method { get; }

    public string UriTemplate { get; }
}

/// <summary>A member that fills the <c>{Name}</c> label of the URI template (model: <c>location: uri</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class RestPathAttribute : Attribute
{
    public RestPathAttribute(string name) => Name = name;

    public string Name { get; }
}

/// <summary>A member sent as a query-string parameter (model: <c>location: querystring</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class RestQueryAttribute : Attribute
{
    public RestQueryAttribute(string name) => Name = name;

    public string Name { get; }
}

/// <summary>The REST members of a request type, read once per type.</summary>
internal sealed class RestBinding
{
    private static readonly ConcurrentDictionary<Type, RestBinding> Bindings = new();

    private RestBinding(RestOperationAttribute operation, (PropertyInfo, RestPathAttribute)[] pathMembers, (PropertyInfo, RestQueryAttribute)[] queryMembers)
    {
        Operation = operation;
        PathMembers = pathMembers;
        QueryMembers = queryMembers;
    }

    public RestOperationAttribute Operation { get; }

    public (PropertyInfo Property, RestPathAttribute Path)[] PathMembers { get; }

    public (PropertyInfo Property, RestQueryAttribute Query)[] QueryMembers { get; }

    /// <summary>Whether <paramref name="property"/> goes into the URI rather than the body.</summary>
    public bool InUri(PropertyInfo property) => PathMembers.Any(m => m.Property == property) || QueryMembers.Any(m => m.Property == property);

    public static RestBinding For(Type requestType) => Bindings.GetOrAdd(requestType, Of);

    private static RestBinding Of(Type requestType)
    {
        RestOperationAttribute operation = requestType.GetCustomAttribute<RestOperationAttribute>()
            ?? throw new InvalidOperationException($"{requestType.Name} has no [RestOperation] attribute.");
        PropertyInfo[] properties = requestType.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        return new RestBinding(
            operation,
            properties.Select(p => (p, p.GetCustomAttribute<RestPathAttribute>())).Where(x => x.Item2 is not null).Select(x => (x.p, x.Item2!)).ToArray(),
            properties.Select(p => (p, p.GetCustomAttribute<RestQueryAttribute>())).Where(x => x.Item2 is not null).Select(x => (x.p, x.Item2!)).ToArray());
    }
}
