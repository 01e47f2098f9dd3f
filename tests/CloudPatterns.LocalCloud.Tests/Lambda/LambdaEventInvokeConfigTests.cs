using System.Text.Json;

namespace CloudPatterns.LocalCloud.Tests.Lambda;

/// <summary>
/// A function's asynchronous invocation settings through boto3 (python/lambda_event_invoke_config_client.py): the five
/// operations in the model's shapes, its limits, the destinations Lambda takes and those the execution role may not send
/// to refused before any change, and the
/// settings used: the retries a failing function gets, and the invocation records its destinations receive
/// (docs/localcloud-lambda.md, "Asynchronous invocation settings").
/// </summary>
public sealed class LambdaEventInvokeConfigTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task TheSettingsAreKeptInTheirShapeCheckedAgainstTheLimitsAndUsedByEventInvocations()
    {
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.Management, TimeSpan.FromMinutes(3), "lambda_event_invoke_config_client.py");
        await LambdaRetries.DrainAsync(fixture.Server);
        string arn = "arn:aws:lambda:us-east-2:111111111111:function:eic-fail";

        Assert.Equal($"ResourceNotFoundException: The function {arn}:$LATEST doesn't have an EventInvokeConfig", results.Text("noneYet"));
        Assert.StartsWith("ResourceNotFoundException", results.Text("updateNone"), StringComparison.Ordinal);
        // The execution role's permission to each destination: none yet; then the role may send to eic-* queues (the puts below are taken) except eic-denied, whose explicit deny wins.
        Assert.Equal($"InvalidParameterValueException: The function's execution role does not have permissions to call SendMessage on {results.Text("failures")}", results.Text("roleMayNot"));
        Assert.Equal("InvalidParameterValueException: The function's execution role does not have permissions to call Publish on arn:aws:sns:us-east-2:111111111111:eic-topic", results.Text("roleMayNotTopic"));
        Assert.Equal("InvalidParameterValueException: The function's execution role does not have permissions to call SendMessage on arn:aws:sqs:us-east-2:111111111111:eic-denied", results.Text("roleDenied"));
        var put = results.GetProperty("put");
        Assert.Equal((arn + ":$LATEST", 0, 120), (put.Text("FunctionArn"), put.GetProperty("MaximumRetryAttempts").GetInt32(), put.GetProperty("MaximumEventAgeInSeconds").GetInt32()));
        Assert.Equal(results.Text("failures"), put.At("DestinationConfig", "OnFailure").Text("Destination"));
        Assert.Equal(JsonValueKind.Object, put.At("DestinationConfig", "OnSuccess").ValueKind);
        // Update changes what it names and keeps the rest; Get and List answer the same.
        var updated = results.GetProperty("update");
        Assert.Equal((1, 120, results.Text("failures")), (updated.GetProperty("MaximumRetryAttempts").GetInt32(), updated.GetProperty("MaximumEventAgeInSeconds").GetInt32(), updated.At("DestinationConfig", "OnFailure").Text("Destination")));
        Assert.Equal(updated.GetRawText(), results.GetProperty("get").GetRawText());
        Assert.Equal(updated.GetRawText(), Assert.Single(results.GetProperty("list").EnumerateArray()).GetRawText());
        Assert.False(results.GetProperty("echo").TryGetProperty("MaximumRetryAttempts", out _), "Put without retries leaves Lambda's default, unstated");

        var errors = results.GetProperty("errors");
        Assert.Equal("ValidationException: 1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2", errors.Text("retries"));
        Assert.Equal("ValidationException: 1 validation error detected: Value '21601' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value less than or equal to 21600", errors.Text("age"));
        Assert.StartsWith("InvalidParameterValueException: The destination ARN arn:aws:s3:::records is an S3 bucket, which Lambda takes only for OnFailure", errors.Text("bucketOnSuccess"), StringComparison.Ordinal);
        Assert.StartsWith("InvalidParameterValueException: The destination ARN arn:aws:dynamodb:", errors.Text("table"), StringComparison.Ordinal);
        Assert.Equal(results.GetProperty("echo").GetRawText(), results.GetProperty("unchanged").GetRawText());

        // The failing function ran twice (one retry), then its record went to the OnFailure queue.
        var failed = JsonDocument.Parse(Assert.Single(fixture.Server.State.DeadLetters.Read(results.Text("failures"))).Body).RootElement;
        Assert.Equal(("RetriesExhausted", 2, arn + ":$LATEST"), (failed.At("requestContext").Text("condition"), failed.At("requestContext", "approximateInvokeCount").GetInt32(), failed.At("requestContext").Text("functionArn")));
        Assert.Equal("eic-fail", failed.At("requestPayload").Text("word"));
        Assert.Equal("Unhandled", failed.At("responseContext").Text("functionError"));
        Assert.Equal("ValueError", failed.At("responsePayload").Text("errorType"));
        var succeeded = JsonDocument.Parse(Assert.Single(fixture.Server.State.DeadLetters.Read(results.Text("successes"))).Body).RootElement;
        Assert.Equal(("Success", 1), (succeeded.At("requestContext").Text("condition"), succeeded.At("requestContext", "approximateInvokeCount").GetInt32()));
        Assert.Equal("eic-echo", succeeded.At("responsePayload").Text("word"));
        Assert.False(succeeded.At("responseContext").TryGetProperty("functionError", out _));

        Assert.StartsWith("ResourceNotFoundException", results.Text("afterDelete"), StringComparison.Ordinal);
        Assert.Empty(results.GetProperty("listAfterDelete").EnumerateArray());
    }
}
