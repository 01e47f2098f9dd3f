using System.Text.Json;

namespace CloudPatterns.LocalCloud.Services.Backup;

// BackupStore: the plans Organizations backup policies put in each account (OrganizationBackupPlans).
internal sealed partial class BackupStore
{
    /// <summary>Makes the account's organization-managed plans exactly <paramref name="plans"/>: creates, updates, removes.</summary>
    public void SyncOrganizationPlans(string accountId, IReadOnlyList<OrganizationPlan> plans, DateTimeOffset now)
    {
        lock (gate)
        {
            var wanted = plans.ToDictionary(plan => plan.Id, StringComparer.Ordinal);
            foreach (var stale in plansById.Values.Where(plan => plan.AccountId == accountId && plan.OrganizationSource is not null && !wanted.ContainsKey(plan.Id)).ToList())
            {
                plansById.Remove(stale.Id);
            }

            foreach (var desired in plans)
            {
                var existing = plansById.GetValueOrDefault(desired.Id);
                if (existing?.OrganizationSource == desired.Source)
                {
                    continue;
                }

                var (document, rules) = ReadPlan(JsonSerializer.SerializeToElement(desired.Document), existing?.Rules ?? [], now);
                var plan = existing ?? new BackupPlan(desired.Id, accountId, desired.Region, now, null)
                {
                    VersionId = BackupPlan.NewVersionId(),
                    Document = document,
                    Rules = rules,
                };
                plan.Document = document;
                plan.Rules = rules;
                plan.VersionId = existing is null ? plan.VersionId : BackupPlan.NewVersionId();
                plan.OrganizationSource = desired.Source;
                plan.Selections.Clear();
                foreach (var selection in desired.Selections)
                {
                    var id = Guid.NewGuid().ToString();
                    plan.Selections.Add(id, new BackupSelection(id, plan.Id, selection, now, null));
                }

                plansById[plan.Id] = plan;
            }
        }
    }
}
