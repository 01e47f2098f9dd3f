using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates.Transforms;

/// <summary>
/// SAM's policy templates (docs/localcloud-cloudformation-transforms.md, "Policy templates"): each a set of statements
/// whose resources are Fn::Sub texts over the template's parameters (its values may be intrinsic functions).
/// </summary>
internal static class SamPolicyTemplates
{
    /// <param name="Condition">A StringEquals condition (key, Fn::Sub text of the value), as two templates have.</param>
    private sealed record Statement(string[] Actions, string[] Resources, (string Key, string Value)? Condition = null);

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
        // The rest of SAM's catalogue (aws-sam-translator 1.110.0's policy_templates.json, see the doc), written the same way.
        ["AWSSecretsManagerRotationPolicy"] = new(["FunctionName"], [new(["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue",
            "secretsmanager:UpdateSecretVersionStage"], [Arn + ":secretsmanager:" + Here + ":secret:*"],
            ("secretsmanager:resource/AllowRotationLambdaArn", Arn + ":lambda:" + Here + ":function:${FunctionName}")), new(["secretsmanager:GetRandomPassword"], ["*"])]),
        ["EFSWriteAccessPolicy"] = new(["AccessPoint", "FileSystem"], [new(["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
            [Arn + ":elasticfilesystem:" + Here + ":file-system/${FileSystem}"], ("elasticfilesystem:AccessPointArn", Arn + ":elasticfilesystem:" + Here + ":access-point/${AccessPoint}"))]),
        ["AcmGetCertificatePolicy"] = new(["CertificateArn"], [new(["acm:GetCertificate"], ["${CertificateArn}"])]),
        ["AthenaQueryPolicy"] = new(["WorkGroupName"], [new(["athena:ListWorkGroups", "athena:GetExecutionEngine", "athena:GetExecutionEngines", "athena:GetNamespace", "athena:GetCatalogs", "athena:GetNamespaces", "athena:GetTables", "athena:GetTable"], ["*"]), new(["athena:StartQueryExecution", "athena:GetQueryResults", "athena:DeleteNamedQuery", "athena:GetNamedQuery", "athena:ListQueryExecutions", "athena:StopQueryExecution", "athena:GetQueryResultsStream", "athena:ListNamedQueries", "athena:CreateNamedQuery", "athena:GetQueryExecution", "athena:BatchGetNamedQuery", "athena:BatchGetQueryExecution", "athena:GetWorkGroup"], [Arn + ":athena:" + Here + ":workgroup/${WorkGroupName}"])]),
        ["CloudFormationDescribeStacksPolicy"] = new([], [new(["cloudformation:DescribeStacks"], [Arn + ":cloudformation:" + Here + ":stack/*"])]),
        ["CloudWatchDashboardPolicy"] = new([], [new(["cloudwatch:GetDashboard", "cloudwatch:ListDashboards", "cloudwatch:PutDashboard", "cloudwatch:ListMetrics"], ["*"])]),
        ["CloudWatchDescribeAlarmHistoryPolicy"] = new([], [new(["cloudwatch:DescribeAlarmHistory"], ["*"])]),
        ["CodeCommitCrudPolicy"] = new(["RepositoryName"], [new(["codecommit:GitPull", "codecommit:GitPush", "codecommit:CreateBranch", "codecommit:DeleteBranch", "codecommit:GetBranch", "codecommit:ListBranches", "codecommit:MergeBranchesByFastForward", "codecommit:MergeBranchesBySquash", "codecommit:MergeBranchesByThreeWay", "codecommit:UpdateDefaultBranch", "codecommit:BatchDescribeMergeConflicts", "codecommit:CreateUnreferencedMergeCommit", "codecommit:DescribeMergeConflicts", "codecommit:GetMergeCommit", "codecommit:GetMergeOptions", "codecommit:BatchGetPullRequests", "codecommit:CreatePullRequest", "codecommit:DescribePullRequestEvents", "codecommit:GetCommentsForPullRequest", "codecommit:GetCommitsFromMergeBase", "codecommit:GetMergeConflicts", "codecommit:GetPullRequest", "codecommit:ListPullRequests", "codecommit:MergePullRequestByFastForward", "codecommit:MergePullRequestBySquash", "codecommit:MergePullRequestByThreeWay", "codecommit:PostCommentForPullRequest", "codecommit:UpdatePullRequestDescription", "codecommit:UpdatePullRequestStatus", "codecommit:UpdatePullRequestTitle", "codecommit:DeleteFile", "codecommit:GetBlob", "codecommit:GetFile", "codecommit:GetFolder", "codecommit:PutFile", "codecommit:DeleteCommentContent", "codecommit:GetComment", "codecommit:GetCommentsForComparedCommit", "codecommit:PostCommentForComparedCommit", "codecommit:PostCommentReply", "codecommit:UpdateComment", "codecommit:BatchGetCommits", "codecommit:CreateCommit", "codecommit:GetCommit", "codecommit:GetCommitHistory", "codecommit:GetDifferences", "codecommit:GetObjectIdentifier", "codecommit:GetReferences", "codecommit:GetTree", "codecommit:GetRepository", "codecommit:UpdateRepositoryDescription", "codecommit:ListTagsForResource", "codecommit:TagResource", "codecommit:UntagResource", "codecommit:GetRepositoryTriggers", "codecommit:PutRepositoryTriggers", "codecommit:TestRepositoryTriggers", "codecommit:GetBranch", "codecommit:GetCommit", "codecommit:UploadArchive", "codecommit:GetUploadArchiveStatus", "codecommit:CancelUploadArchive"], [Arn + ":codecommit:" + Here + ":${RepositoryName}"])]),
        ["CodeCommitReadPolicy"] = new(["RepositoryName"], [new(["codecommit:GitPull", "codecommit:GetBranch", "codecommit:ListBranches", "codecommit:BatchDescribeMergeConflicts", "codecommit:DescribeMergeConflicts", "codecommit:GetMergeCommit", "codecommit:GetMergeOptions", "codecommit:BatchGetPullRequests", "codecommit:DescribePullRequestEvents", "codecommit:GetCommentsForPullRequest", "codecommit:GetCommitsFromMergeBase", "codecommit:GetMergeConflicts", "codecommit:GetPullRequest", "codecommit:ListPullRequests", "codecommit:GetBlob", "codecommit:GetFile", "codecommit:GetFolder", "codecommit:GetComment", "codecommit:GetCommentsForComparedCommit", "codecommit:BatchGetCommits", "codecommit:GetCommit", "codecommit:GetCommitHistory", "codecommit:GetDifferences", "codecommit:GetObjectIdentifier", "codecommit:GetReferences", "codecommit:GetTree", "codecommit:GetRepository", "codecommit:ListTagsForResource", "codecommit:GetRepositoryTriggers", "codecommit:TestRepositoryTriggers", "codecommit:GetBranch", "codecommit:GetCommit", "codecommit:GetUploadArchiveStatus"], [Arn + ":codecommit:" + Here + ":${RepositoryName}"])]),
        ["CodePipelineLambdaExecutionPolicy"] = new([], [new(["codepipeline:PutJobSuccessResult", "codepipeline:PutJobFailureResult"], ["*"])]),
        ["CodePipelineReadOnlyPolicy"] = new(["PipelineName"], [new(["codepipeline:ListPipelineExecutions"], [Arn + ":codepipeline:" + Here + ":${PipelineName}"])]),
        ["CostExplorerReadOnlyPolicy"] = new([], [new(["ce:GetCostAndUsage", "ce:GetDimensionValues", "ce:GetReservationCoverage", "ce:GetReservationPurchaseRecommendation", "ce:GetReservationUtilization", "ce:GetTags"], ["*"])]),
        ["DynamoDBBackupFullAccessPolicy"] = new(["TableName"], [new(["dynamodb:CreateBackup", "dynamodb:DescribeContinuousBackups"], [Arn + ":dynamodb:" + Here + ":table/${TableName}"]), new(["dynamodb:DeleteBackup", "dynamodb:DescribeBackup", "dynamodb:ListBackups"], [Arn + ":dynamodb:" + Here + ":table/${TableName}/backup/*"])]),
        ["DynamoDBRestoreFromBackupPolicy"] = new(["TableName"], [new(["dynamodb:RestoreTableFromBackup"], [Arn + ":dynamodb:" + Here + ":table/${TableName}/backup/*"]), new(["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:BatchWriteItem"], [Arn + ":dynamodb:" + Here + ":table/${TableName}"])]),
        ["EC2CopyImagePolicy"] = new(["ImageId"], [new(["ec2:CopyImage"], [Arn + ":ec2:" + Here + ":image/${ImageId}"])]),
        ["EC2DescribePolicy"] = new([], [new(["ec2:DescribeRegions", "ec2:DescribeInstances"], ["*"])]),
        ["EKSDescribePolicy"] = new([], [new(["eks:DescribeCluster", "eks:ListClusters"], ["*"])]),
        ["EcsRunTaskPolicy"] = new(["TaskDefinition"], [new(["ecs:RunTask"], [Arn + ":ecs:" + Here + ":task-definition/${TaskDefinition}"])]),
        ["ElasticMapReduceAddJobFlowStepsPolicy"] = new(["ClusterId"], [new(["elasticmapreduce:AddJobFlowSteps"], [Arn + ":elasticmapreduce:" + Here + ":cluster/${ClusterId}"])]),
        ["ElasticMapReduceCancelStepsPolicy"] = new(["ClusterId"], [new(["elasticmapreduce:CancelSteps"], [Arn + ":elasticmapreduce:" + Here + ":cluster/${ClusterId}"])]),
        ["ElasticMapReduceModifyInstanceFleetPolicy"] = new(["ClusterId"], [new(["elasticmapreduce:ModifyInstanceFleet", "elasticmapreduce:ListInstanceFleets"], [Arn + ":elasticmapreduce:" + Here + ":cluster/${ClusterId}"])]),
        ["ElasticMapReduceModifyInstanceGroupsPolicy"] = new(["ClusterId"], [new(["elasticmapreduce:ModifyInstanceGroups", "elasticmapreduce:ListInstanceGroups"], [Arn + ":elasticmapreduce:" + Here + ":cluster/${ClusterId}"])]),
        ["ElasticMapReduceSetTerminationProtectionPolicy"] = new(["ClusterId"], [new(["elasticmapreduce:SetTerminationProtection"], [Arn + ":elasticmapreduce:" + Here + ":cluster/${ClusterId}"])]),
        ["ElasticMapReduceTerminateJobFlowsPolicy"] = new(["ClusterId"], [new(["elasticmapreduce:TerminateJobFlows"], [Arn + ":elasticmapreduce:" + Here + ":cluster/${ClusterId}"])]),
        ["ElasticsearchHttpPostPolicy"] = new(["DomainName"], [new(["es:ESHttpPost", "es:ESHttpPut"], [Arn + ":es:" + Here + ":domain/${DomainName}/*"])]),
        ["FilterLogEventsPolicy"] = new(["LogGroupName"], [new(["logs:FilterLogEvents"], [Arn + ":logs:" + Here + ":log-group:${LogGroupName}:log-stream:*"])]),
        ["KMSEncryptPolicy"] = new(["KeyId"], [new(["kms:Encrypt"], [Arn + ":kms:" + Here + ":key/${KeyId}"])]),
        ["KMSEncryptPolicy_v2"] = new(["KeyId"], [new(["kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:GenerateDataKeyPair", "kms:GenerateDataKeyPairWithoutPlaintext"], [Arn + ":kms:" + Here + ":key/${KeyId}"])]),
        ["MobileAnalyticsWriteOnlyAccessPolicy"] = new([], [new(["mobileanalytics:PutEvents"], ["*"])]),
        ["OrganizationsListAccountsPolicy"] = new([], [new(["organizations:ListAccounts"], ["*"])]),
        ["PinpointEndpointAccessPolicy"] = new(["PinpointApplicationId"], [new(["mobiletargeting:GetEndpoint", "mobiletargeting:UpdateEndpoint", "mobiletargeting:UpdateEndpointsBatch"], [Arn + ":mobiletargeting:" + Here + ":apps/${PinpointApplicationId}/endpoints/*"])]),
        ["PollyFullAccessPolicy"] = new(["LexiconName"], [new(["polly:GetLexicon", "polly:DeleteLexicon"], [Arn + ":polly:" + Here + ":lexicon/${LexiconName}"]), new(["polly:DescribeVoices", "polly:ListLexicons", "polly:PutLexicon", "polly:SynthesizeSpeech"], [Arn + ":polly:" + Here + ":lexicon/*"])]),
        ["RekognitionFacesManagementPolicy"] = new(["CollectionId"], [new(["rekognition:IndexFaces", "rekognition:DeleteFaces", "rekognition:SearchFaces", "rekognition:SearchFacesByImage", "rekognition:ListFaces"], [Arn + ":rekognition:" + Here + ":collection/${CollectionId}"])]),
        ["RekognitionFacesPolicy"] = new([], [new(["rekognition:CompareFaces", "rekognition:DetectFaces"], ["*"])]),
        ["RekognitionLabelsPolicy"] = new([], [new(["rekognition:DetectLabels", "rekognition:DetectModerationLabels"], ["*"])]),
        ["RekognitionNoDataAccessPolicy"] = new(["CollectionId"], [new(["rekognition:CompareFaces", "rekognition:DetectFaces", "rekognition:DetectLabels", "rekognition:DetectModerationLabels"], [Arn + ":rekognition:" + Here + ":collection/${CollectionId}"])]),
        ["RekognitionReadPolicy"] = new(["CollectionId"], [new(["rekognition:ListCollections", "rekognition:ListFaces", "rekognition:SearchFaces", "rekognition:SearchFacesByImage"], [Arn + ":rekognition:" + Here + ":collection/${CollectionId}"])]),
        ["RekognitionWriteOnlyAccessPolicy"] = new(["CollectionId"], [new(["rekognition:CreateCollection", "rekognition:IndexFaces"], [Arn + ":rekognition:" + Here + ":collection/${CollectionId}"])]),
        ["Route53ChangeResourceRecordSetsPolicy"] = new(["HostedZoneId"], [new(["route53:ChangeResourceRecordSets"], [Arn + ":route53:::hostedzone/${HostedZoneId}"])]),
        ["S3FullAccessPolicy"] = new(["BucketName"], [new(["s3:GetObject", "s3:GetObjectAcl", "s3:GetObjectVersion", "s3:PutObject", "s3:PutObjectAcl", "s3:DeleteObject", "s3:DeleteObjectTagging", "s3:DeleteObjectVersionTagging", "s3:GetObjectTagging", "s3:GetObjectVersionTagging", "s3:PutObjectTagging", "s3:PutObjectVersionTagging"], [Arn + ":s3:::${BucketName}/*"]), new(["s3:ListBucket", "s3:GetBucketLocation", "s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration"], [Arn + ":s3:::${BucketName}"])]),
        ["SESBulkTemplatedCrudPolicy_v2"] = new(["IdentityName", "TemplateName"], [new(["ses:SendEmail", "ses:SendRawEmail", "ses:SendTemplatedEmail", "ses:SendBulkTemplatedEmail"], [Arn + ":ses:" + Here + ":identity/${IdentityName}", Arn + ":ses:" + Here + ":template/${TemplateName}"]), new(["ses:GetIdentityVerificationAttributes", "ses:VerifyEmailIdentity"], ["*"])]),
        ["SNSCrudPolicy"] = new(["TopicName"], [new(["sns:ListSubscriptionsByTopic", "sns:CreateTopic", "sns:SetTopicAttributes", "sns:Subscribe", "sns:Publish"], [Arn + ":sns:" + Here + ":${TopicName}*"])]),
        ["SageMakerCreateEndpointConfigPolicy"] = new(["EndpointConfigName"], [new(["sagemaker:CreateEndpointConfig"], [Arn + ":sagemaker:" + Here + ":endpoint-config/${EndpointConfigName}"])]),
        ["SageMakerCreateEndpointPolicy"] = new(["EndpointName"], [new(["sagemaker:CreateEndpoint"], [Arn + ":sagemaker:" + Here + ":endpoint/${EndpointName}"])]),
        ["ServerlessRepoReadWriteAccessPolicy"] = new([], [new(["serverlessrepo:CreateApplication", "serverlessrepo:CreateApplicationVersion", "serverlessrepo:UpdateApplication", "serverlessrepo:GetApplication", "serverlessrepo:ListApplications", "serverlessrepo:ListApplicationVersions", "serverlessrepo:ListApplicationDependencies"], [Arn + ":serverlessrepo:" + Here + ":applications/*"])]),
        ["StepFunctionsCallbackPolicy"] = new(["StateMachineName"], [new(["states:SendTaskFailure", "states:SendTaskHeartbeat", "states:SendTaskSuccess"], [Arn + ":states:" + Here + ":stateMachine:${StateMachineName}"])]),
        ["StepFunctionsExecutionPolicy_v2"] = new(["StateMachineName"], [new(["states:StartExecution", "states:StartSyncExecution"], [Arn + ":states:" + Here + ":stateMachine:${StateMachineName}"])]),
        ["TextractDetectAnalyzePolicy"] = new([], [new(["textract:DetectDocumentText", "textract:StartDocumentTextDetection", "textract:StartDocumentAnalysis", "textract:AnalyzeDocument"], ["*"])]),
        ["TextractGetResultPolicy"] = new([], [new(["textract:GetDocumentTextDetection", "textract:GetDocumentAnalysis"], ["*"])]),
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
        JsonNode Sub(string text) => text == "*" ? JsonValue.Create("*") : new JsonObject { ["Fn::Sub"] = new JsonArray(text, variables.DeepClone()) };
        return new JsonArray(template.Statements.Select(statement =>
        {
            var json = new JsonObject
            {
                ["Effect"] = "Allow",
                ["Action"] = new JsonArray(statement.Actions.Select(action => (JsonNode)JsonValue.Create(action)).ToArray()),
                ["Resource"] = new JsonArray(statement.Resources.Select(Sub).ToArray()),
            };
            if (statement.Condition is var (key, value))
            {
                json["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { [key] = Sub(value) } };
            }
            return (JsonNode)json;
        }).ToArray());
    }
}
