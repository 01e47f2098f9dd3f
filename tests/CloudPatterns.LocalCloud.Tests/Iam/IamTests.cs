using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using CloudPatterns.LocalCloud.CloudFormation.Stacks;

namespace CloudPatterns.LocalCloud.Tests.Iam;

/// <summary>IAM through boto3: paging with Marker/IsTruncated, URL-encoded documents decoded, AWS's refusals.</summary>
public sealed class IamBoto3Tests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task Roles_Policies_AndTags_AnswerAsBotocoreExpects_AndRefuseAsIamDoes()
    {
        var results = await AwsClients.RunPythonScriptAsync(fixture.Server, fixture.AdminOf("333333333333"), "iam_client.py");

        Assert.Equal("[[\"boto-a\",\"boto-b\"],[\"boto-c\"]]", JsonSerializer.Serialize(results.GetProperty("RolePages")));
        var role = results.GetProperty("GetRole").GetProperty("Role");
        Assert.Equal("arn:aws:iam::333333333333:role/boto/boto-a", role.GetProperty("Arn").GetString());
        Assert.Equal(7200, role.GetProperty("MaxSessionDuration").GetInt32());
        Assert.StartsWith("AROA", role.GetProperty("RoleId").GetString(), StringComparison.Ordinal);
        Assert.Equal("backup.amazonaws.com", role.GetProperty("AssumeRolePolicyDocument").GetProperty("Statement")[0].GetProperty("Principal").GetProperty("Service").GetString());
        Assert.Equal("s3:GetObject", results.GetProperty("GetRolePolicy").GetProperty("PolicyDocument").GetProperty("Statement")[0].GetProperty("Action").GetString());
        Assert.Equal("[\"read\"]", JsonSerializer.Serialize(results.GetProperty("ListRolePolicies").GetProperty("PolicyNames")));
        Assert.Equal(
            ["boto-managed", "AWSBackupServiceRolePolicyForBackup"],
            results.GetProperty("ListAttachedRolePolicies").GetProperty("AttachedPolicies").EnumerateArray().Select(policy => policy.GetProperty("PolicyName").GetString()));
        var policy = results.GetProperty("GetPolicy").GetProperty("Policy");
        Assert.Equal(("arn:aws:iam::333333333333:policy/boto/boto-managed", 1, "v1", "made by boto3"), (policy.GetProperty("Arn").GetString(), policy.GetProperty("AttachmentCount").GetInt32(), policy.GetProperty("DefaultVersionId").GetString(), policy.GetProperty("Description").GetString()));
        Assert.True(results.GetProperty("GetPolicyVersion").GetProperty("PolicyVersion").GetProperty("IsDefaultVersion").GetBoolean());
        Assert.Equal(["boto-managed"], results.GetProperty("ListLocalPolicies").GetProperty("Policies").EnumerateArray().Select(local => local.GetProperty("PolicyName").GetString()));
        AssertRefused(results, "DeleteAttachedPolicy", 409, "DeleteConflict", "Cannot delete a policy attached to entities.");
        AssertRefused(results, "DeleteRoleWithAttachedPolicies", 409, "DeleteConflict", "Cannot delete entity, must detach all policies first.");
        AssertRefused(results, "DeleteRoleWithInlinePolicy", 409, "DeleteConflict", "Cannot delete entity, must delete policies first.");
        Assert.Equal("[{\"Key\":\"team\",\"Value\":\"dr\"}]", JsonSerializer.Serialize(results.GetProperty("ListRoleTags").GetProperty("Tags")));
        AssertRefused(results, "TrustPolicyWithResource", 400, "MalformedPolicyDocument", "Has prohibited field Resource");
        AssertRefused(results, "PermissionPolicyWithoutResource", 400, "MalformedPolicyDocument", "Policy statement must contain resources.");
        AssertRefused(results, "SessionTooLong", 400, "ValidationError",
            "1 validation error detected: Value '50000' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200");
        Assert.Equal(JsonValueKind.Object, results.GetProperty("DeleteRole").ValueKind);
        Assert.False(results.GetProperty("DeleteRole").TryGetProperty("error", out _));
        AssertRefused(results, "GetDeletedRole", 404, "NoSuchEntity", "The role with name boto-c cannot be found.");

        AssertRefused(results, "NoPasswordPolicy", 404, "NoSuchEntity", "The Password Policy with domain name 333333333333 cannot be found.");
        Assert.Equal(
            "{\"MinimumPasswordLength\":14,\"RequireSymbols\":true,\"RequireNumbers\":false,\"RequireUppercaseCharacters\":false,\"RequireLowercaseCharacters\":false,\"AllowUsersToChangePassword\":false,\"ExpirePasswords\":true,\"MaxPasswordAge\":90,\"PasswordReusePrevention\":24}",
            JsonSerializer.Serialize(results.GetProperty("PasswordPolicy").GetProperty("PasswordPolicy")));
        AssertRefused(results, "PasswordPolicyOutOfRange", 400, "ValidationError",
            "2 validation errors detected: Value '5' at 'minimumPasswordLength' failed to satisfy constraint: Member must have value greater than or equal to 6; Value '2000' at 'maxPasswordAge' failed to satisfy constraint: Member must have value less than or equal to 1095");
        Assert.Equal(
            "{\"MinimumPasswordLength\":6,\"RequireSymbols\":false,\"RequireNumbers\":false,\"RequireUppercaseCharacters\":false,\"RequireLowercaseCharacters\":false,\"AllowUsersToChangePassword\":false,\"ExpirePasswords\":false}",
            JsonSerializer.Serialize(results.GetProperty("DefaultPasswordPolicy").GetProperty("PasswordPolicy")));
        Assert.False(results.GetProperty("DeletePasswordPolicy").TryGetProperty("error", out _));
        AssertRefused(results, "DeleteMissingPasswordPolicy", 404, "NoSuchEntity", "The Password Policy with domain name 333333333333 cannot be found.");
    }

    private static void AssertRefused(JsonElement results, string name, int status, string code, string message)
    {
        var refusal = results.GetProperty(name);
        Assert.Equal((code, message, status), (refusal.GetProperty("error").GetString(), refusal.GetProperty("message").GetString(), refusal.GetProperty("status").GetInt32()));
    }
}

/// <summary>IAM through the AWS CLI v1 (one batch, as the management account): instance profiles and refusals.</summary>
public sealed class IamCliTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    [Fact]
    public async Task InstanceProfiles_AndRefusals_AsTheCliReportsThem()
    {
        var results = await CliBatch.RunAsync(AwsCli.V1, fixture.Server, fixture.Management,
        [
            new("role", "iam", "create-role", "--role-name", "web", "--assume-role-policy-document", Trust, "--description", "web servers"),
            new("duplicate", "iam", "create-role", "--role-name", "WEB", "--assume-role-policy-document", Trust),
            new("badName", "iam", "create-role", "--role-name", "web servers", "--assume-role-policy-document", Trust),
            new("invalidJson", "iam", "create-role", "--role-name", "broken", "--assume-role-policy-document", "{\"Statement\": ["),
            new("profile", "iam", "create-instance-profile", "--instance-profile-name", "web-profile", "--path", "/app/"),
            new("add", "iam", "add-role-to-instance-profile", "--instance-profile-name", "web-profile", "--role-name", "web"),
            new("addSecond", "iam", "add-role-to-instance-profile", "--instance-profile-name", "web-profile", "--role-name", "web"),
            new("getProfile", "iam", "get-instance-profile", "--instance-profile-name", "web-profile"),
            new("deleteRoleInProfile", "iam", "delete-role", "--role-name", "web"),
            new("deleteProfileWithRole", "iam", "delete-instance-profile", "--instance-profile-name", "web-profile"),
            new("attachUnknown", "iam", "attach-role-policy", "--role-name", "web", "--policy-arn", "arn:aws:iam::aws:policy/NoSuchManagedPolicy"),
            new("remove", "iam", "remove-role-from-instance-profile", "--instance-profile-name", "web-profile", "--role-name", "web"),
            new("deleteProfile", "iam", "delete-instance-profile", "--instance-profile-name", "web-profile"),
            new("deleteRole", "iam", "delete-role", "--role-name", "web"),
            new("getRole", "iam", "get-role", "--role-name", "web"),
            new("seedRoles", "iam", "list-roles"),
        ]);

        Assert.Equal("web servers", results["role"].Json.GetProperty("Role").GetProperty("Description").GetString());
        AssertError(results["duplicate"], "EntityAlreadyExists", "Role with name WEB already exists.");
        AssertError(results["badName"], "ValidationError", "Value 'web servers' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
        AssertError(results["invalidJson"], "MalformedPolicyDocument", "This policy contains invalid Json");
        Assert.Equal(0, results["add"].ExitCode);
        AssertError(results["addSecond"], "LimitExceeded", "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
        var profile = results["getProfile"].Json.GetProperty("InstanceProfile");
        Assert.Equal("arn:aws:iam::111111111111:instance-profile/app/web-profile", profile.GetProperty("Arn").GetString());
        Assert.Equal("web", Assert.Single(profile.GetProperty("Roles").EnumerateArray()).GetProperty("RoleName").GetString());
        AssertError(results["deleteRoleInProfile"], "DeleteConflict", "Cannot delete entity, must remove roles from instance profile first.");
        AssertError(results["deleteProfileWithRole"], "DeleteConflict", "Cannot delete entity, must remove roles from instance profile first.");
        AssertError(results["attachUnknown"], "NoSuchEntity", "Policy arn:aws:iam::aws:policy/NoSuchManagedPolicy does not exist or is not attachable.");
        Assert.Equal((0, 0, 0), (results["remove"].ExitCode, results["deleteProfile"].ExitCode, results["deleteRole"].ExitCode));
        AssertError(results["getRole"], "NoSuchEntity", "The role with name web cannot be found.");
        Assert.Empty(results["seedRoles"].Json.GetProperty("Roles").EnumerateArray());
    }

    private static void AssertError(ProcessResult result, string code, string message)
    {
        Assert.Equal(code, result.ErrorCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }
}

/// <summary>
/// AWS::IAM::* resources are made in LocalCloud's IAM: visible through the IAM API, assumable through STS as their
/// trust policy says, and drift-detected from what IAM holds.
/// </summary>
public sealed class IamCloudFormationTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private const string Production = "333333333333";

    private const string AppTemplate = """
        Resources:
          AppRole:
            Type: AWS::IAM::Role
            Properties:
              Description: assumed by the management account
              AssumeRolePolicyDocument:
                Version: "2012-10-17"
                Statement:
                  - Effect: Allow
                    Principal: { AWS: "arn:aws:iam::111111111111:root" }
                    Action: sts:AssumeRole
              Policies:
                - PolicyName: inline
                  PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: "s3:GetObject", Resource: "*" }] }
              ManagedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"]
          ExtraPolicy:
            Type: AWS::IAM::Policy
            Properties:
              PolicyName: extra
              Roles: [!Ref AppRole]
              PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: "sns:Publish", Resource: "*" }] }
          Managed:
            Type: AWS::IAM::ManagedPolicy
            Properties:
              ManagedPolicyName: app-managed
              Roles: [!Ref AppRole]
              PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: "kms:Decrypt", Resource: "*" }] }
          Profile:
            Type: AWS::IAM::InstanceProfile
            Properties:
              Roles: [!Ref AppRole]
        Outputs:
          RoleName: { Value: !Ref AppRole }
          RoleArn: { Value: !GetAtt AppRole.Arn }
          RoleId: { Value: !GetAtt AppRole.RoleId }
          ManagedArn: { Value: !Ref Managed }
          ProfileName: { Value: !Ref Profile }
        """;

    [Fact]
    public async Task A_stacks_role_policies_and_profile_are_visible_through_iam_and_gone_with_the_stack()
    {
        var stack = await DeployAsync("app", AppTemplate);
        Assert.Equal("CREATE_COMPLETE", stack.Status);
        var roleName = Output(stack, "RoleName");
        var managedArn = Output(stack, "ManagedArn");
        var profileName = Output(stack, "ProfileName");
        Assert.Matches("^app-AppRole-[0-9A-Z]{13}$", roleName);
        Assert.Equal($"arn:aws:iam::{Production}:role/{roleName}", Output(stack, "RoleArn"));

        var visible = await IamAsync(
            new("role", "iam", "get-role", "--role-name", roleName),
            new("inline", "iam", "list-role-policies", "--role-name", roleName),
            new("extra", "iam", "get-role-policy", "--role-name", roleName, "--policy-name", "extra"),
            new("attached", "iam", "list-attached-role-policies", "--role-name", roleName),
            new("managed", "iam", "get-policy-version", "--policy-arn", managedArn, "--version-id", "v1"),
            new("profile", "iam", "get-instance-profile", "--instance-profile-name", profileName));

        Assert.Equal(Output(stack, "RoleId"), visible["role"].Json.GetProperty("Role").GetProperty("RoleId").GetString());
        Assert.Equal("assumed by the management account", visible["role"].Json.GetProperty("Role").GetProperty("Description").GetString());
        Assert.Equal("[\"extra\",\"inline\"]", JsonSerializer.Serialize(visible["inline"].Json.GetProperty("PolicyNames")));
        Assert.Equal("sns:Publish", visible["extra"].Json.GetProperty("PolicyDocument").GetProperty("Statement")[0].GetProperty("Action").GetString());
        Assert.Equal(
            ["arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup", $"arn:aws:iam::{Production}:policy/app-managed"],
            visible["attached"].Json.GetProperty("AttachedPolicies").EnumerateArray().Select(policy => policy.GetProperty("PolicyArn").GetString()));
        Assert.Equal("kms:Decrypt", visible["managed"].Json.GetProperty("PolicyVersion").GetProperty("Document").GetProperty("Statement")[0].GetProperty("Action").GetString());
        Assert.Equal(roleName, Assert.Single(visible["profile"].Json.GetProperty("InstanceProfile").GetProperty("Roles").EnumerateArray()).GetProperty("RoleName").GetString());

        cloud.Server.State.CloudFormation.DeleteStack(Production, "us-east-2", "app");
        await stack.Operation;
        var gone = await IamAsync(
            new("role", "iam", "get-role", "--role-name", roleName),
            new("managed", "iam", "get-policy", "--policy-arn", managedArn),
            new("profile", "iam", "get-instance-profile", "--instance-profile-name", profileName));
        Assert.Equal("DELETE_COMPLETE", stack.Status);
        Assert.All(gone.Values, result => Assert.Equal("NoSuchEntity", result.ErrorCode));
    }

    [Fact]
    public async Task A_role_made_by_a_stack_is_assumable_by_whom_its_trust_policy_names_and_not_by_others()
    {
        var stack = await DeployAsync("assumable", """
            Resources:
              Auditor:
                Type: AWS::IAM::Role
                Properties:
                  RoleName: StackAuditor
                  AssumeRolePolicyDocument:
                    Statement: [{ Effect: Allow, Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: sts:AssumeRole, Condition: { StringEquals: { "sts:ExternalId": audit-2026 } } }]
            """);
        Assert.Equal("CREATE_COMPLETE", stack.Status);
        using var management = StsClient("111111111111");
        using var staging = StsClient("444444444444");

        var assumed = await management.AssumeRoleAsync(Assume("StackAuditor", "audit-2026"));
        var withoutExternalId = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => management.AssumeRoleAsync(Assume("StackAuditor", externalId: null)));
        var byOtherAccount = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => staging.AssumeRoleAsync(Assume("StackAuditor", "audit-2026")));

        Assert.Equal($"arn:aws:sts::{Production}:assumed-role/StackAuditor/audit", assumed.AssumedRoleUser.Arn);
        Assert.Equal(("AccessDenied", HttpStatusCode.Forbidden), (withoutExternalId.ErrorCode, withoutExternalId.StatusCode));
        Assert.Equal(
            $"User: arn:aws:iam::444444444444:user/admin is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::{Production}:role/StackAuditor",
            byOtherAccount.Message);
    }

    [Fact]
    public async Task Changes_through_the_iam_api_show_as_drift_and_a_deleted_role_can_no_longer_be_assumed()
    {
        var stack = await DeployAsync("drifting", """
            Resources:
              Trusting:
                Type: AWS::IAM::Role
                Properties:
                  RoleName: DriftTrusting
                  AssumeRolePolicyDocument:
                    Statement: [{ Effect: Allow, Principal: { AWS: "111111111111" }, Action: sts:AssumeRole }]
              Doomed:
                Type: AWS::IAM::Role
                Properties:
                  RoleName: DriftDoomed
                  AssumeRolePolicyDocument:
                    Statement: [{ Effect: Allow, Principal: { AWS: "111111111111" }, Action: sts:AssumeRole }]
            """);
        Assert.Equal("CREATE_COMPLETE", stack.Status);
        using var management = StsClient("111111111111");
        await management.AssumeRoleAsync(Assume("DriftDoomed", externalId: null));

        var changes = await IamAsync(
            new("trust", "iam", "update-assume-role-policy", "--role-name", "DriftTrusting", "--policy-document",
                """{"Statement":[{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"sts:AssumeRole"}]}"""),
            new("delete", "iam", "delete-role", "--role-name", "DriftDoomed"));
        Assert.All(changes.Values, result => Assert.Equal(0, result.ExitCode));
        var engine = cloud.Server.State.CloudFormation;
        engine.DetectStackDrift(Production, "us-east-2", "drifting");
        await stack.Operation;
        var drifts = engine.DescribeResourceDrifts(Production, "us-east-2", "drifting").ToDictionary(drift => drift.LogicalResourceId);
        var notTrusted = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => management.AssumeRoleAsync(Assume("DriftTrusting", externalId: null)));
        var deleted = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => management.AssumeRoleAsync(Assume("DriftDoomed", externalId: null)));

        Assert.Equal("MODIFIED", drifts["Trusting"].DriftStatus);
        var difference = Assert.Single(drifts["Trusting"].Differences);
        Assert.Equal(("/AssumeRolePolicyDocument/Statement/0/Principal/AWS", "111111111111", "222222222222", "NOT_EQUAL"),
            (difference.PropertyPath, difference.ExpectedValue, difference.ActualValue, difference.DifferenceType));
        Assert.Equal("DELETED", drifts["Doomed"].DriftStatus);
        Assert.Equal("AccessDenied", notTrusted.ErrorCode);
        Assert.Equal("AccessDenied", deleted.ErrorCode);
    }

    [Fact]
    public async Task An_update_replaces_the_roles_own_policies_in_place_and_keeps_what_other_resources_put_on_it()
    {
        const string template = """
            Resources:
              Worker:
                Type: AWS::IAM::Role
                Properties:
                  RoleName: UpdatedWorker
                  Description: DESCRIPTION
                  AssumeRolePolicyDocument:
                    Statement: [{ Effect: Allow, Principal: { AWS: "111111111111" }, Action: sts:AssumeRole }]
                  Policies:
                    - PolicyName: INLINE
                      PolicyDocument: { Statement: [{ Effect: Allow, Action: "s3:GetObject", Resource: "*" }] }
                  ManagedPolicyArns: ["arn:aws:iam::aws:policy/MANAGED"]
              Extra:
                Type: AWS::IAM::Policy
                Properties:
                  PolicyName: extra
                  Roles: [!Ref Worker]
                  PolicyDocument: { Statement: [{ Effect: Allow, Action: "sns:Publish", Resource: "*" }] }
            """;
        string Version(string description, string inline, string managed) =>
            template.Replace("DESCRIPTION", description).Replace("INLINE", inline).Replace("MANAGED", managed);
        var stack = await DeployAsync("updated", Version("first", "first-inline", "ReadOnlyAccess"));
        var roleId = cloud.Server.State.Iam.GetRole(Production, "UpdatedWorker").RoleId;

        cloud.Server.State.CloudFormation.UpdateStack(Production, "us-east-2", new StackInput
        {
            StackName = "updated",
            TemplateBody = Version("second", "second-inline", "AdministratorAccess"),
            Capabilities = ["CAPABILITY_NAMED_IAM"],
        });
        await stack.Operation;

        Assert.Equal("UPDATE_COMPLETE", stack.Status);
        var role = cloud.Server.State.Iam.GetRole(Production, "UpdatedWorker");
        Assert.Equal((roleId, "second"), (role.RoleId, role.Description));
        Assert.Equal(["extra", "second-inline"], role.InlinePolicies.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["arn:aws:iam::aws:policy/AdministratorAccess"], role.AttachedPolicyArns);
    }

    [Fact]
    public async Task A_role_name_already_taken_fails_the_stack_with_iams_refusal()
    {
        var stack = await DeployAsync("taken", """
            Resources:
              Execution:
                Type: AWS::IAM::Role
                Properties:
                  RoleName: CloudPatternsExecution
                  AssumeRolePolicyDocument:
                    Statement: [{ Effect: Allow, Principal: { AWS: "111111111111" }, Action: sts:AssumeRole }]
            """);

        Assert.Equal("ROLLBACK_COMPLETE", stack.Status);
        var failure = Assert.Single(stack.Events, change => change.LogicalResourceId == "Execution" && change.ResourceStatus == "CREATE_FAILED");
        Assert.Equal("Role with name CloudPatternsExecution already exists.", failure.ResourceStatusReason);
        Assert.NotNull(cloud.Server.State.Iam.FindRole($"arn:aws:iam::{Production}:role/CloudPatternsExecution"));
    }

    [Fact]
    public async Task A_role_name_outside_the_model_fails_the_stack_with_iams_validation_error()
    {
        var stack = await DeployAsync("invalid-name", """
            Resources:
              Spaced:
                Type: AWS::IAM::Role
                Properties:
                  RoleName: has spaces
                  AssumeRolePolicyDocument:
                    Statement: [{ Effect: Allow, Principal: { AWS: "111111111111" }, Action: sts:AssumeRole }]
            """);

        Assert.Equal("ROLLBACK_COMPLETE", stack.Status);
        var failure = Assert.Single(stack.Events, change => change.LogicalResourceId == "Spaced" && change.ResourceStatus == "CREATE_FAILED");
        Assert.Equal(
            "1 validation error detected: Value 'has spaces' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
            failure.ResourceStatusReason);
    }

    private async Task<Stack> DeployAsync(string name, string template)
    {
        var stack = cloud.Server.State.CloudFormation.CreateStack(Production, "us-east-2", new StackInput
        {
            StackName = name,
            TemplateBody = template,
            Capabilities = ["CAPABILITY_NAMED_IAM"],
        });
        await stack.Operation;
        return stack;
    }

    private static string Output(Stack stack, string key) => stack.Outputs.Single(output => output.OutputKey == key).OutputValue;

    private Task<IReadOnlyDictionary<string, ProcessResult>> IamAsync(params CliCommand[] commands) =>
        CliBatch.RunAsync(AwsCli.V1, cloud.Server, cloud.AdminOf(Production), commands);

    private static AssumeRoleRequest Assume(string roleName, string? externalId) => new()
    {
        RoleArn = $"arn:aws:iam::{Production}:role/{roleName}",
        RoleSessionName = "audit",
        ExternalId = externalId,
    };

    private AmazonSecurityTokenServiceClient StsClient(string accountId)
    {
        var admin = cloud.Organization.FindAccount(accountId)!.Admin;
        return new AmazonSecurityTokenServiceClient(new BasicAWSCredentials(admin.AccessKeyId, admin.SecretAccessKey), new AmazonSecurityTokenServiceConfig
        {
            ServiceURL = cloud.Server.Url.ToString(),
            AuthenticationRegion = cloud.Organization.PrimaryRegion,
            MaxErrorRetry = 0,
        });
    }
}
