using CloudPatterns.Core.Deployment;
using CloudPatterns.Core.Security;

namespace CloudPatterns.Core.Tests.Security;

/// <summary>The DR-Orchestrator's roles in the shipped templates are exactly <see cref="OrchestratorPolicies"/>'s statements.</summary>
public sealed class OrchestratorPoliciesTests
{
    public static TheoryData<string, string, string, string, bool> Roles => new()
    {
        { "disaster-recovery/orchestrator.yaml", "ExecutionRole", "AlertTopicArn", "arn:aws:sns:us-east-2:222222222222:central-backup-failures", true },
        { "disaster-recovery/pilot-light-dr-account.yaml", "OrchestratorAccessRole", "OrchestratorRoleArn", "arn:aws:iam::222222222222:role/cloudpatterns-dr-orchestrator", false },
    };

    [Theory]
    [MemberData(nameof(Roles))]
    public void TheTemplatesRoleHasExactlyTheStatementsOfItsList(string path, string logicalId, string parameter, string value, bool executionRole)
    {
        var template = TemplateDocument.Parse(BundledTemplate.Body(path));
        var values = template.ParameterValues(new Dictionary<string, string> { [parameter] = value });
        var role = Assert.Single(template.Resources(values, "us-east-2", "222222222222"), resource => resource.LogicalId == logicalId);
        var shipped = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var policy in (List<object?>)role.Properties["Policies"]!)
        {
            var document = (Dictionary<string, object?>)((Dictionary<string, object?>)policy!)["PolicyDocument"]!;
            foreach (var statement in ((List<object?>)document["Statement"]!).Cast<Dictionary<string, object?>>())
            {
                var actions = statement["Action"] is List<object?> list ? list.Cast<string>() : new[] { (string)statement["Action"]! };
                shipped[(string)statement["Sid"]!] = string.Join(" ", actions.Order(StringComparer.Ordinal));
            }
        }

        var expected = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var statement in executionRole ? OrchestratorPolicies.ExecutionRole : OrchestratorPolicies.DrAccountRole)
        {
            expected[statement.Sid] = string.Join(" ", statement.Actions.Order(StringComparer.Ordinal));
        }

        Assert.Equal(expected, shipped);
    }
}
