namespace CloudPatterns.LocalCloud.Protocols;

/// <summary>
/// One emulated AWS service. Services derive from the protocol base classes (<see cref="QueryService"/>,
/// <see cref="JsonService"/>, <see cref="RestJsonService"/>), which route requests to operations, and are listed in
/// <see cref="Hosting.ServiceCatalog"/>.
/// </summary>
internal interface IAwsService
{
    /// <summary>The service name in the SigV4 credential scope, e.g. "sts", "organizations", "backup".</summary>
    string SigningName { get; }

    AwsProtocol Protocol { get; }

    /// <summary>The operations the service implements, as named in its model.</summary>
    IReadOnlyCollection<string> OperationNames { get; }

    /// <summary>The error code this service answers with when throttled (HTTP 400).</summary>
    string ThrottlingErrorCode { get; }

    /// <summary>Finds the operation a request asks for; throws <see cref="AwsServiceException"/> when there is none.</summary>
    AwsOperationCall Resolve(HttpContext http, byte[] body);

    Task WriteErrorAsync(HttpContext http, AwsServiceException error, string requestId);
}

/// <summary>An operation bound to one request, ready to run once the request is authenticated.</summary>
/// <param name="Name">Operation name as in the service model, e.g. ListAccounts.</param>
/// <param name="Mutating">True when the operation changes state (what -WhatIf must never reach).</param>
/// <param name="InvokeAsync">Runs the operation and writes the response.</param>
internal sealed record AwsOperationCall(string Name, bool Mutating, Func<AwsRequest, Task> InvokeAsync)
{
    /// <summary>
    /// A request parameter by its model name (path label, query or form field, top-level JSON member), read before the
    /// operation runs so authorization can name the resource (Authorization/OperationActions.cs).
    /// </summary>
    public Func<string, string?> Parameter { get; init; } = _ => null;
}
