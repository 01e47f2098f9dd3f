using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.CloudFormation.Provisioning;
using CloudPatterns.LocalCloud.Protocols;
using CloudPatterns.LocalCloud.Services.CloudFormation;

namespace CloudPatterns.LocalCloud.Services.Backup;

/// <summary>
/// AWS::Backup::BackupVault in LocalCloud's Backup, with AccessPolicy, LockConfiguration and Notifications: Ref is
/// the vault name; GetAtt BackupVaultArn and BackupVaultName. Deleting a vault that holds recovery points fails as
/// DeleteBackupVault does.
/// </summary>
internal sealed class BackupVaultProvisioner(BackupStore store, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var vault = store.CreateVault(
            request.Stack.AccountId, request.Stack.Region, properties.GetStringOrNull("BackupVaultName") ?? "", properties.GetStringOrNull("EncryptionKeyArn"), creatorRequestId: null, Now);
        Configure(vault, properties);
        return Provisioned(vault.Name, ("BackupVaultArn", vault.Arn), ("BackupVaultName", vault.Name));
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        Configure(Vault(request, current), properties);
        return current;
    }

    protected override void Delete(ResourceRequest request, ProvisionedResource current) => store.DeleteVault(Vault(request, current));

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) =>
        store.ListVaults(request.Stack.AccountId, request.Stack.Region).Any(vault => vault.Name == current.PhysicalId);

    private void Configure(BackupVault vault, JsonElement properties)
    {
        store.SetAccessPolicy(vault, PolicyDocument(properties, "AccessPolicy"));
        store.SetNotifications(vault, properties.GetObjectOrNull("Notifications") is { } notifications
            ? new VaultNotifications(notifications.GetStringOrNull("SNSTopicArn") ?? "", notifications.GetStringsOrEmpty("BackupVaultEvents"))
            : null);
        if (properties.GetObjectOrNull("LockConfiguration") is { } vaultLock)
        {
            // Numbers from template parameters (Ref) arrive as strings, as CloudFormation passes them.
            store.SetLock(vault, (long?)Number(vaultLock, "MinRetentionDays"), (long?)Number(vaultLock, "MaxRetentionDays"), (long?)Number(vaultLock, "ChangeableForDays"), Now);
        }
        else if (vault.Lock is not null)
        {
            store.DeleteLock(vault, Now);
        }
    }

    private BackupVault Vault(ResourceRequest request, ProvisionedResource current) => store.GetVault(request.Stack.AccountId, request.Stack.Region, current.PhysicalId);
}

/// <summary>
/// AWS::Backup::BackupPlan in LocalCloud's Backup: Ref is the plan id; GetAtt BackupPlanArn, BackupPlanId, VersionId.
/// The template's shape (BackupPlanRule, TargetBackupVault) is the API's (Rules, TargetBackupVaultName) renamed.
/// </summary>
internal sealed class BackupPlanProvisioner(BackupStore store, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var plan = store.CreatePlan(request.Stack.AccountId, request.Stack.Region, ApiPlan(properties), creatorRequestId: null, Now);
        return Identity(plan);
    }

    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current)
    {
        var plan = Plan(request, current);
        store.UpdatePlan(plan, ApiPlan(properties), Now);
        return Identity(plan);
    }

    protected override void Delete(ResourceRequest request, ProvisionedResource current) => store.DeletePlan(Plan(request, current));

    protected override bool Exists(ResourceRequest request, ProvisionedResource current) =>
        store.ListPlans(request.Stack.AccountId, request.Stack.Region).Any(plan => plan.Id == current.PhysicalId);

    private static ProvisionedResource Identity(BackupPlan plan) =>
        Provisioned(plan.Id, ("BackupPlanArn", plan.Arn), ("BackupPlanId", plan.Id), ("VersionId", plan.VersionId));

    private BackupPlan Plan(ResourceRequest request, ProvisionedResource current) => store.GetPlan(request.Stack.AccountId, request.Stack.Region, current.PhysicalId);

    private static JsonElement ApiPlan(JsonElement properties)
    {
        var plan = JsonNode.Parse(properties.GetObjectOrNull("BackupPlan")?.GetRawText() ?? "{}")!.AsObject();
        var rules = plan["BackupPlanRule"]?.DeepClone().AsArray() ?? [];
        foreach (var rule in rules.OfType<JsonObject>())
        {
            rule["TargetBackupVaultName"] = rule["TargetBackupVault"]?.DeepClone();
            rule.Remove("TargetBackupVault");

            // CloudFormation passes template values in the schema's types: a Number parameter (!Ref RetentionDays)
            // arrives as text but reaches AWS Backup as a number, and "true" as a boolean.
            var lifecycles = (rule["CopyActions"]?.AsArray() ?? []).OfType<JsonObject>().Select(action => action["Lifecycle"]).Prepend(rule["Lifecycle"]);
            foreach (var lifecycle in lifecycles.OfType<JsonObject>())
            {
                foreach (var member in new[] { "DeleteAfterDays", "MoveToColdStorageAfterDays" })
                {
                    if (lifecycle[member] is JsonValue text && text.TryGetValue<string>(out var days) && long.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                    {
                        lifecycle[member] = number;
                    }
                }
            }

            if (rule["EnableContinuousBackup"] is JsonValue flag && flag.TryGetValue<string>(out var continuous) && bool.TryParse(continuous, out var enabled))
            {
                rule["EnableContinuousBackup"] = enabled;
            }
        }

        plan.Remove("BackupPlanRule");
        plan["Rules"] = rules;
        return JsonSerializer.SerializeToElement(plan);
    }
}

/// <summary>AWS::Backup::BackupSelection in LocalCloud's Backup: Ref is the selection id; GetAtt BackupPlanId, Id, SelectionId.</summary>
internal sealed class BackupSelectionProvisioner(BackupStore store, TimeProvider clock) : ServiceProvisioner(clock)
{
    protected override ProvisionedResource Create(ResourceRequest request, JsonElement properties)
    {
        var plan = store.GetPlan(request.Stack.AccountId, request.Stack.Region, properties.GetStringOrNull("BackupPlanId") ?? "");
        var selection = store.CreateSelection(plan, properties.GetObjectOrNull("BackupSelection") ?? JsonSerializer.SerializeToElement(new JsonObject()), creatorRequestId: null, Now);
        return Provisioned(selection.Id, ("BackupPlanId", plan.Id), ("Id", selection.Id), ("SelectionId", selection.Id));
    }

    /// <summary>Every property of a selection needs replacement, so the engine never updates one in place.</summary>
    protected override ProvisionedResource Update(ResourceRequest request, JsonElement properties, ProvisionedResource current) => current;

    protected override void Delete(ResourceRequest request, ProvisionedResource current)
    {
        var plan = store.GetPlan(request.Stack.AccountId, request.Stack.Region, current.Attributes["BackupPlanId"].GetValue<string>());
        store.DeleteSelection(plan, store.GetSelection(plan, current.PhysicalId));
    }

    protected override bool Exists(ResourceRequest request, ProvisionedResource current)
    {
        try
        {
            var plan = store.GetPlan(request.Stack.AccountId, request.Stack.Region, current.Attributes["BackupPlanId"].GetValue<string>());
            store.GetSelection(plan, current.PhysicalId);
            return true;
        }
        catch (AwsServiceException)
        {
            return false;
        }
    }
}
