namespace CloudPatterns.LocalCloud.Tests.Iam;

/// <summary>--state keeps IAM: roles made since the start with their policies, and the seed roles that were deleted stay deleted.</summary>
public sealed class IamStateTests : IDisposable
{
    private const string Production = "333333333333";
    private const string Trust = """{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole"}]}""";
    private readonly string statePath = Path.Combine(Path.GetTempPath(), $"localcloud-iam-state-{Guid.NewGuid():N}", "state.json");

    [Fact]
    public async Task Restart_WithTheSameStateFile_KeepsCreatedRolesPoliciesAndProfiles_AndDeletedSeedRolesStayDeleted()
    {
        string roleId;
        await using (var first = await LocalCloudServer.StartAsync(new LocalCloudOptions { StatePath = statePath }))
        {
            var iam = first.State.Iam;
            var now = first.Clock.GetUtcNow();
            roleId = iam.CreateRole(Production, "/kept/", "KeptRole", Trust, "kept across restarts", 7200, [new("team", "dr")], now).RoleId;
            iam.PutRolePolicy(Production, "KeptRole", "inline", """{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""");
            var policy = iam.CreatePolicy(Production, "/", "KeptPolicy", """{"Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}""", null, [], now);
            iam.AttachRolePolicy(Production, "KeptRole", policy.Arn);
            iam.CreateInstanceProfile(Production, "/", "KeptProfile", [], now);
            iam.AddRoleToInstanceProfile(Production, "KeptProfile", "KeptRole");
            iam.DetachRolePolicy(Production, "OrganizationAccountAccessRole", "arn:aws:iam::aws:policy/AdministratorAccess");
            iam.DeleteRole(Production, "OrganizationAccountAccessRole");
        }

        await using var second = await LocalCloudServer.StartAsync(new LocalCloudOptions { StatePath = statePath });

        var restored = second.State.Iam;
        var role = restored.GetRole(Production, "KeptRole");
        Assert.Equal((roleId, "/kept/", "kept across restarts", 7200), (role.RoleId, role.Path, role.Description, role.MaxSessionDuration));
        Assert.Equal(["inline"], role.InlinePolicies.Keys);
        Assert.Equal([$"arn:aws:iam::{Production}:policy/KeptPolicy"], role.AttachedPolicyArns);
        Assert.Equal(new Services.Iam.IamTag("team", "dr"), Assert.Single(role.Tags));
        Assert.Equal("KeptRole", Assert.Single(restored.GetInstanceProfile(Production, "KeptProfile").Roles).RoleName);
        Assert.Null(restored.FindRole($"arn:aws:iam::{Production}:role/OrganizationAccountAccessRole"));
        Assert.NotNull(restored.FindRole($"arn:aws:iam::{Production}:role/CloudPatternsExecution"));
    }

    public void Dispose()
    {
        var directory = Path.GetDirectoryName(statePath)!;
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
