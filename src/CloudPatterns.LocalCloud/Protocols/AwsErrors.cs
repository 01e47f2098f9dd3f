using System.Text.Json;
using System.Xml;

namespace CloudPatterns.LocalCloud.Protocols;

/// <summary>Writes AWS errors the way each protocol's clients parse them (see docs/aws-behaviour.md section 0).</summary>
internal static class AwsErrors
{
    public static Task WriteAsync(HttpContext http, AwsProtocol protocol, AwsServiceException error, string requestId, string? xmlNamespace = null)
    {
        var response = http.Response;
        response.StatusCode = error.StatusCode;
        return protocol switch
        {
            AwsProtocol.Query or AwsProtocol.RestXmlErrorResponse => WriteQueryAsync(response, error, requestId, xmlNamespace),
            AwsProtocol.Json => WriteJsonAsync(response, error, requestId, "application/x-amz-json-1.1", typeMember: "__type"),
            AwsProtocol.RestJson => WriteRestJsonAsync(response, error, requestId),
            _ => WriteS3Async(response, error, requestId),
        };
    }

    private static Task WriteQueryAsync(HttpResponse response, AwsServiceException error, string requestId, string? xmlNamespace)
    {
        response.Headers["x-amzn-RequestId"] = requestId;
        return ResponseBodies.WriteXmlAsync(response, writer =>
        {
            writer.WriteStartElement("ErrorResponse", xmlNamespace ?? "");
            writer.WriteStartElement("Error", xmlNamespace ?? "");
            writer.WriteElementString("Type", xmlNamespace ?? "", error.StatusCode >= 500 ? "Receiver" : "Sender");
            writer.WriteElementString("Code", xmlNamespace ?? "", error.Code);
            writer.WriteElementString("Message", xmlNamespace ?? "", error.Message);
            foreach (var (name, value) in error.Fields)
            {
                writer.WriteElementString(name, xmlNamespace ?? "", value);
            }

            writer.WriteEndElement();
            writer.WriteElementString("RequestId", xmlNamespace ?? "", requestId);
            writer.WriteEndElement();
        });
    }

    private static Task WriteRestJsonAsync(HttpResponse response, AwsServiceException error, string requestId)
    {
        response.Headers["X-Amzn-ErrorType"] = error.Code;
        return WriteJsonAsync(response, error, requestId, "application/json", typeMember: null);
    }

    private static async Task WriteJsonAsync(HttpResponse response, AwsServiceException error, string requestId, string contentType, string? typeMember)
    {
        response.Headers["x-amzn-RequestId"] = requestId;
        response.ContentType = contentType;
        await using var writer = new Utf8JsonWriter(response.Body);
        writer.WriteStartObject();
        if (typeMember is not null)
        {
            writer.WriteString(typeMember, error.Code);
        }

        writer.WriteString(error.JsonMessageMember, error.Message);
        foreach (var (name, value) in error.Fields)
        {
            writer.WriteString(name, value);
        }

        writer.WriteEndObject();
    }

    private static Task WriteS3Async(HttpResponse response, AwsServiceException error, string requestId)
    {
        response.Headers["x-amz-request-id"] = requestId;
        response.Headers["x-amz-id-2"] = requestId;
        return ResponseBodies.WriteXmlAsync(response, writer =>
        {
            writer.WriteStartElement("Error");
            writer.WriteElementString("Code", error.Code);
            writer.WriteElementString("Message", error.Message);
            foreach (var (name, value) in error.Fields)
            {
                writer.WriteElementString(name, value);
            }

            writer.WriteElementString("RequestId", requestId);
            writer.WriteElementString("HostId", requestId);
            writer.WriteEndElement();
        });
    }
}
