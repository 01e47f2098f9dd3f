using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;
using Amazon.Runtime;
using CloudPatterns.Aws.Protocol;

// Shapes of AWS Fault Injection Service 2020-12-01 (botocore model fis/2020-12-01): its wire names are camelCase, so
// each member names its own; only what the Multi-AZ drill reads.
namespace CloudPatterns.Aws.Fis;

[RestOperation("GET", "/experimentTemplates")]
public sealed class ListExperimentTemplatesRequest : AmazonWebServiceRequest, IPaginatedRequest
{
    [RestQuery("nextToken")]
    public string? NextToken { get; set; }
}

public sealed class ListExperimentTemplatesResponse : AmazonWebServiceResponse, IPaginatedResponse
{
    [JsonPropertyName("experimentTemplates")]
    public List<ExperimentTemplateSummary> ExperimentTemplates { get; set; } = new();

    [JsonPropertyName("nextToken")]
    public string? NextToken { get; set; }
}

public sealed class ExperimentTemplateSummary
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("tags")]
    public Dictionary<string, string> Tags { get; set; } = new();
}

[RestOperation("GET", "/experimentTemplates/{id}")]
public sealed class GetExperimentTemplateRequest : AmazonWebServiceRequest
{
    [RestPath("id")]
    public string? Id { get; set; }
}

public sealed class GetExperimentTemplateResponse : AmazonWebServiceResponse
{
    [JsonPropertyName("experimentTemplate")]
    public ExperimentTemplate? ExperimentTemplate { get; set; }
}

public sealed class ExperimentTemplate
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("targets")]
    public Dictionary<string, ExperimentTarget> Targets { get; set; } = new();

    [JsonPropertyName("actions")]
    public Dictionary<string, ExperimentAction> Actions { get; set; } = new();

    [JsonPropertyName("tags")]
    public Dictionary<string, string> Tags { get; set; } = new();
}

public sealed class ExperimentTarget
{
    [JsonPropertyName("resourceType")]
    public string? ResourceType { get; set; }

    [JsonPropertyName("filters")]
    public List<ExperimentTargetFilter> Filters { get; set; } = new();
}

public sealed class ExperimentTargetFilter
{
    [JsonPropertyName("path")]
    public string? Path { get; set; }

    [JsonPropertyName("values")]
    public List<string> Values { get; set; } = new();
}

public sealed class ExperimentAction
{
    [JsonPropertyName("actionId")]
    public string? ActionId { get; set; }

    [JsonPropertyName("parameters")]
    public Dictionary<string, string> Parameters { get; set; } = new();

    [JsonPropertyName("state")]
    public ExperimentState? State { get; set; }
}

[RestOperation("POST", "/experiments")]
public sealed class StartExperimentRequest : AmazonWebServiceRequest
{
    [JsonPropertyName("clientToken")]
    public string ClientToken { get; set; } = Guid.NewGuid().ToString();

    [JsonPropertyName("experimentTemplateId")]
    public string? ExperimentTemplateId { get; set; }

    [JsonPropertyName("tags")]
    public Dictionary<string, string>? Tags { get; set; }
}

public sealed class StartExperimentResponse : AmazonWebServiceResponse
{
    [JsonPropertyName("experiment")]
    public Experiment? Experiment { get; set; }
}

[RestOperation("GET", "/experiments/{id}")]
public sealed class GetExperimentRequest : AmazonWebServiceRequest
{
    [RestPath("id")]
    public string? Id { get; set; }
}

public sealed class GetExperimentResponse : AmazonWebServiceResponse
{
    [JsonPropertyName("experiment")]
    public Experiment? Experiment { get; set; }
}

[RestOperation("DELETE", "/experiments/{id}")]
public sealed class StopExperimentRequest : AmazonWebServiceRequest
{
    [RestPath("id")]
    public string? Id { get; set; }
}

public sealed class StopExperimentResponse : AmazonWebServiceResponse
{
    [JsonPropertyName("experiment")]
    public Experiment? Experiment { get; set; }
}

public sealed class Experiment
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("state")]
    public ExperimentState? State { get; set; }

    [JsonPropertyName("actions")]
    public Dictionary<string, ExperimentAction> Actions { get; set; } = new();

    [JsonPropertyName("startTime")]
    public DateTime? StartTime { get; set; }

    [JsonPropertyName("endTime")]
    public DateTime? EndTime { get; set; }

    /// <summary>Whether the experiment has ended: completed, stopped or failed.</summary>
    [JsonIgnore]
    public bool Ended => State?.Status is "completed" or "stopped" or "failed";
}

public sealed class ExperimentState
{
    /// <summary>pending, initiating, running, completed, stopping, stopped, failed (actions also cancelled).</summary>
    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonPropertyName("reason")]
    public string? Reason { get; set; }
}
