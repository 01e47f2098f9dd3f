using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CloudPatterns.LocalCloud.Services.Lambda;

/// <summary>A function's resource-based policy: the statements AddPermission (and AWS::Lambda::Permission) write.</summary>
internal static partial class LambdaPolicy
{
    /// <summary>
    /// One statement as AddPermission writes it: Principal a service (…amazonaws.com), an account id, an ARN or "*";
    /// SourceArn, SourceAccount and PrincipalOrgID as conditions.
    /// </summary>
    public static string Statement(string sid, string action, string principal, string functionArn, string? sourceArn, string? sourceAccount, string? principalOrgId)
    {
        var statement = new JsonObject
        {
            ["Sid"] = sid,
            ["Effect"] = "Allow",
            ["Principal"] = Principal(principal),
            ["Action"] = action,
            ["Resource"] = functionArn,
        };
        var conditions = new JsonObject();
        AddCondition(conditions, "ArnLike", "AWS:SourceArn", sourceArn);
        AddCondition(conditions, "StringEquals", "AWS:SourceAccount", sourceAccount);
        AddCondition(conditions, "StringEquals", "aws:PrincipalOrgID", principalOrgId);
        if (conditions.Count > 0)
        {
            statement["Condition"] = conditions;
        }

        return statement.ToJsonString();
    }

    /// <summary>The function's policy document, or null without statements (what GetPolicy and the permission evaluator read).</summary>
    public static string? Document(LambdaFunction function) => function.PolicyStatements.Count == 0
        ? null
        : new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Id"] = "default",
            ["Statement"] = new JsonArray([.. function.PolicyStatements.Values.Select(text => JsonNode.Parse(text))]),
        }.ToJsonString();

    private static JsonNode Principal(string principal) => principal switch
    {
        "*" => "*",
        _ when principal.EndsWith(".amazonaws.com", StringComparison.Ordinal) => new JsonObject { ["Service"] = principal },
        _ when AccountId().IsMatch(principal) => new JsonObject { ["AWS"] = $"arn:aws:iam::{principal}:root" },
        _ => new JsonObject { ["AWS"] = principal },
    };

    private static void AddCondition(JsonObject conditions, string operatorName, string key, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (conditions[operatorName] is not JsonObject entries)
        {
            conditions[operatorName] = entries = [];
        }

        entries[key] = value;
    }

    [GeneratedRegex(@"^\d{12}$")]
    private static partial Regex AccountId();
}
