using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates.Transforms;

/// <summary>
/// The SAM policy templates templates use most (docs/localcloud-cloudformation-transforms.md lists them): each a set of
/// statements whose resources are Fn::Sub texts over the template's parameters (its values may be intrinsic functions).
/// </summary>
internal static class SamPolicyTemplates
{
    private sealed record Statement(string[] Actions, string[] Resources);

    private sealed record PolicyTemplate(string[] Parameters, Statement[] Statements);

    private const string Arn = "arn:${AWS::Partition}";
    private const string Here = "${AWS::Region}:${AWS::AccountId}";

    private static readonly string[] S3Read = ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetObjectVersion", "s3:GetLifecycleConfiguration"];
    private static readonly string[] S3Write = ["s3:PutObject", "s3:PutObjectAcl", "s3:PutLifecycleConfiguration"];
    private static readonly string[] S3Bucket = [Arn + ":s3:::${BucketName}", Arn + ":s3:::${BucketName}/*"];
    private static readonly string[] Table = [Arn + ":dynamodb:" + Here + ":table/${TableName}", Arn + ":dynamodb:" + Here + ":table/${TableName}/index/*"];
    private static readonly string[] DynamoRead = ["dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:DescribeTable"];
    private static readonly string[] DynamoWrite = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"];
    private static readonly string[] Stream = [Arn + ":kinesis:" + Here + ":stream/${StreamName}"];
    private static readonly string[] Identity = [Arn + ":ses:" + Here + ":identity/${IdentityName}"];
    private static readonly string[] SesSend = ["ses:GetIdentityVerificationAttributes", "ses:SendEmail", "ses:SendRawEmail", "ses:VerifyEmailIdentity"];
    private static readonly string[] DeliveryStream = [Arn + ":firehose:" + Here + ":deliverystream/${DeliveryStreamName}"];

    private static readonly Dictionary<string, PolicyTemplate> Templates = new(StringComparer.Ordinal)
    {
        ["S3ReadPolicy"] = new(["BucketName"], [new(S3Read, S3Bucket)]),
        ["S3WritePolicy"] = new(["BucketName"], [new(S3Write, S3Bucket)]),
        ["S3CrudPolicy"] = new(["BucketName"], [new([.. S3Read, .. S3Write, "s3:DeleteObject"], S3Bucket)]),
        ["DynamoDBReadPolicy"] = new(["TableName"], [new(DynamoRead, Table)]),
        ["DynamoDBWritePolicy"] = new(["TableName"], [new(DynamoWrite, Table)]),
        ["DynamoDBCrudPolicy"] = new(["TableName"], [new([.. DynamoRead, .. DynamoWrite, "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"], Table)]),
        ["SQSSendMessagePolicy"] = new(["QueueName"], [new(["sqs:SendMessage*"], [Arn + ":sqs:" + Here + ":${QueueName}"])]),
        ["SQSPollerPolicy"] = new(["QueueName"], [new(["sqs:ChangeMessageVisibility", "sqs:ChangeMessageVisibilityBatch", "sqs:DeleteMessage",
            "sqs:DeleteMessageBatch", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"], [Arn + ":sqs:" + Here + ":${QueueName}"])]),
        ["SNSPublishMessagePolicy"] = new(["TopicName"], [new(["sns:Publish"], [Arn + ":sns:" + Here + ":${TopicName}"])]),
        ["LambdaInvokePolicy"] = new(["FunctionName"], [new(["lambda:InvokeFunction"], [Arn + ":lambda:" + Here + ":function:${FunctionName}*"])]),
        ["SSMParameterReadPolicy"] = new(["ParameterName"], [new(["ssm:DescribeParameters"], ["*"]),
            new(["ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath"], [Arn + ":ssm:" + Here + ":parameter/${ParameterName}"])]),
        ["AWSSecretsManagerGetSecretValuePolicy"] = new(["SecretArn"], [new(["secretsmanager:GetSecretValue"], ["${SecretArn}"])]),
        ["KMSDecryptPolicy"] = new(["KeyId"], [new(["kms:Decrypt"], [Arn + ":kms:" + Here + ":key/${KeyId}"])]),
        ["StepFunctionsExecutionPolicy"] = new(["StateMachineName"], [new(["states:StartExecution"], [Arn + ":states:" + Here + ":stateMachine:${StateMachineName}"])]),
        ["EventBridgePutEventsPolicy"] = new(["EventBusName"], [new(["events:PutEvents"], [Arn + ":events:" + Here + ":event-bus/${EventBusName}"])]),
        ["CloudWatchPutMetricPolicy"] = new([], [new(["cloudwatch:PutMetricData"], ["*"])]),
        ["DynamoDBStreamReadPolicy"] = new(["TableName", "StreamName"], [
            new(["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"], [Arn + ":dynamodb:" + Here + ":table/${TableName}/stream/${StreamName}"]),
            new(["dynamodb:ListStreams"], [Arn + ":dynamodb:" + Here + ":table/${TableName}/stream/*"])]),
        ["DynamoDBReconfigurePolicy"] = new(["TableName"], [new(["dynamodb:UpdateTable"], [Arn + ":dynamodb:" + Here + ":table/${TableName}"])]),
        ["KinesisStreamReadPolicy"] = new(["StreamName"], [new(["kinesis:ListStreams", "kinesis:DescribeLimits"], [Arn + ":kinesis:" + Here + ":stream/*"]),
            new(["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator"], Stream)]),
        ["KinesisCrudPolicy"] = new(["StreamName"], [new(["kinesis:AddTagsToStream", "kinesis:CreateStream", "kinesis:DecreaseStreamRetentionPeriod", "kinesis:DeleteStream",
            "kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetShardIterator", "kinesis:IncreaseStreamRetentionPeriod", "kinesis:ListTagsForStream",
            "kinesis:MergeShards", "kinesis:PutRecord", "kinesis:PutRecords", "kinesis:SplitShard", "kinesis:RemoveTagsFromStream"], Stream)]),
        ["SESCrudPolicy"] = new(["IdentityName"], [new(SesSend, Identity)]),
        ["SESBulkTemplatedCrudPolicy"] = new(["IdentityName"], [new([.. SesSend, "ses:SendTemplatedEmail", "ses:SendBulkTemplatedEmail"], Identity)]),
        ["SESSendBouncePolicy"] = new(["IdentityName"], [new(["ses:SendBounce"], Identity)]),
        ["SESEmailTemplateCrudPolicy"] = new([], [new(["ses:CreateTemplate", "ses:GetTemplate", "ses:ListTemplates", "ses:UpdateTemplate", "ses:DeleteTemplate",
            "ses:TestRenderTemplate"], ["*"])]),
        ["SSMParameterWithSlashPrefixReadPolicy"] = new(["ParameterName"], [new(["ssm:DescribeParameters"], ["*"]),
            new(["ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath"], [Arn + ":ssm:" + Here + ":parameter${ParameterName}"])]),
        ["FirehoseWritePolicy"] = new(["DeliveryStreamName"], [new(["firehose:PutRecord", "firehose:PutRecordBatch"], DeliveryStream)]),
        ["FirehoseCrudPolicy"] = new(["DeliveryStreamName"], [new(["firehose:CreateDeliveryStream", "firehose:DeleteDeliveryStream", "firehose:DescribeDeliveryStream",
            "firehose:PutRecord", "firehose:PutRecordBatch", "firehose:UpdateDestination"], DeliveryStream)]),
        ["ComprehendBasicAccessPolicy"] = new([], [new(["comprehend:BatchDetectKeyPhrases", "comprehend:DetectDominantLanguage", "comprehend:DetectEntities",
            "comprehend:BatchDetectEntities", "comprehend:DetectKeyPhrases", "comprehend:DetectSentiment", "comprehend:BatchDetectDominantLanguage",
            "comprehend:BatchDetectSentiment"], ["*"])]),
        ["RekognitionDetectOnlyPolicy"] = new([], [new(["rekognition:DetectFaces", "rekognition:DetectLabels", "rekognition:DetectModerationLabels", "rekognition:DetectText"], ["*"])]),
        ["TextractPolicy"] = new([], [new(["textract:*"], ["*"])]),
        ["AMIDescribePolicy"] = new([], [new(["ec2:DescribeImages"], ["*"])]),
        ["VPCAccessPolicy"] = new([], [new(["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces",
            "ec2:DetachNetworkInterface"], ["*"])]),
    };

    public static IEnumerable<string> Names => Templates.Keys;

    /// <summary>The statements of a policy template, or null when the name is not one of them.</summary>
    public static JsonArray? Statements(string name, JsonObject? parameters)
    {
        if (!Templates.TryGetValue(name, out var template))
        {
            return null;
        }
        var variables = new JsonObject();
        foreach (var parameter in template.Parameters)
        {
            variables[parameter] = parameters?[parameter]?.DeepClone() ?? throw TemplateTransforms.Failed(TemplateTransforms.Serverless,
                $"Invalid Serverless Application Specification document. Number of errors found: 1. Policy template '{name}' is missing its parameter '{parameter}'.");
        }
        return new JsonArray(template.Statements.Select(statement => (JsonNode)new JsonObject
        {
            ["Effect"] = "Allow",
            ["Action"] = new JsonArray(statement.Actions.Select(action => (JsonNode)JsonValue.Create(action)).ToArray()),
            ["Resource"] = new JsonArray(statement.Resources.Select(resource => (JsonNode)(resource == "*" ? JsonValue.Create("*")
                : new JsonObject { ["Fn::Sub"] = new JsonArray(resource, variables.DeepClone()) })).ToArray()),
        }).ToArray());
    }
}
