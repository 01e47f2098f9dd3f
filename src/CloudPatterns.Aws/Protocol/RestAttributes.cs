using System;

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
