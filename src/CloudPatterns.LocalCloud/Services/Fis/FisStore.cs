using System.Security.Cryptography;
using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Fis;

/// <summary>
/// AWS Fault Injection Service's templates and experiments of every account and region (docs/localcloud-fis.md).
/// Experiments run on the sandbox clock: every FIS call, every tick of the clock and every move of it settle what is due
/// (stop conditions, actions that end or may start); a network disruption's end is also in the fleet's own timeline, so
/// the zone comes back at the right simulated second even when nobody asks FIS. Experiments and templates are in the
/// state file (<see cref="Snapshot"/>). One lock guards it all; thread-safe.
/// </summary>
internal sealed partial class FisStore(TimeProvider clock, FisActions actions)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, ExperimentTemplate> templates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Experiment> experiments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> clientTokens = new(StringComparer.Ordinal);

    public DateTimeOffset Now => clock.GetUtcNow();

    public ExperimentTemplate CreateTemplate(string accountId, string region, System.Text.Json.JsonElement body, string? clientToken)
    {
        lock (gate)
        {
            if (clientToken is not null && clientTokens.TryGetValue(Key(accountId, region, "template:" + clientToken), out var existing) && templates.TryGetValue(existing, out var same))
            {
                return same;
            }

            var template = ExperimentTemplate.Read(NewId("EXT"), accountId, region, body, clock.GetUtcNow());
            actions.Validate(template);
            templates[template.Id] = template;
            if (clientToken is not null)
            {
                clientTokens[Key(accountId, region, "template:" + clientToken)] = template.Id;
            }

            return template;
        }
    }

    public ExperimentTemplate GetTemplate(string accountId, string region, string id)
    {
        lock (gate)
        {
            return templates.TryGetValue(id, out var template) && template.AccountId == accountId && template.Region == region
                ? template
                : throw NotFound($"Experiment template {id} not found.");
        }
    }

    public IReadOnlyList<ExperimentTemplate> ListTemplates(string accountId, string region)
    {
        lock (gate)
        {
            return templates.Values.Where(template => template.AccountId == accountId && template.Region == region).OrderBy(template => template.Created).ThenBy(template => template.Id, StringComparer.Ordinal).ToList();
        }
    }

    public ExperimentTemplate DeleteTemplate(string accountId, string region, string id)
    {
        lock (gate)
        {
            var template = GetTemplate(accountId, region, id);
            templates.Remove(id);
            return template;
        }
    }

    /// <summary>Puts a template under its id (a CloudFormation update keeps the id and changes the content).</summary>
    public void Replace(ExperimentTemplate template)
    {
        lock (gate)
        {
            templates[template.Id] = template;
        }
    }

    /// <summary>
    /// StartExperiment: copies the template, resolves its targets and starts the actions that wait for nothing. What
    /// goes wrong once the experiment exists (the role, an empty target, an action's refusal) fails the experiment,
    /// as in FIS, rather than the call.
    /// </summary>
    public Experiment Start(string accountId, string region, string templateId, IReadOnlyDictionary<string, string> tags, string? clientToken)
    {
        lock (gate)
        {
            var tokenKey = Key(accountId, region, "experiment:" + clientToken);
            if (clientToken is not null && clientTokens.TryGetValue(tokenKey, out var existing) && experiments.TryGetValue(existing, out var same))
            {
                return same;
            }

            var template = GetTemplate(accountId, region, templateId);
            var now = clock.GetUtcNow();
            var experiment = new Experiment(NewId("EXP"), template, tags, now);
            experiments[experiment.Id] = experiment;
            if (clientToken is not null)
            {
                clientTokens[tokenKey] = experiment.Id;
            }

            if (actions.Prepare(experiment) is { } refusal)
            {
                Fail(experiment, refusal, now);
                return experiment;
            }

            experiment.Status = "running";
            Settle(experiment, now);
            return experiment;
        }
    }

    public Experiment Get(string accountId, string region, string id)
    {
        lock (gate)
        {
            var experiment = experiments.TryGetValue(id, out var found) && found.Template.AccountId == accountId && found.Template.Region == region
                ? found
                : throw NotFound($"Experiment {id} not found.");
            Settle(experiment, clock.GetUtcNow());
            return experiment;
        }
    }

    public IReadOnlyList<Experiment> List(string accountId, string region)
    {
        lock (gate)
        {
            var now = clock.GetUtcNow();
            var selected = experiments.Values.Where(experiment => experiment.Template.AccountId == accountId && experiment.Template.Region == region)
                .OrderBy(experiment => experiment.Created).ThenBy(experiment => experiment.Id, StringComparer.Ordinal).ToList();
            selected.ForEach(experiment => Settle(experiment, now));
            return selected;
        }
    }

    /// <summary>StopExperiment: running actions are stopped and undone, pending ones cancelled. An ended experiment is left as it is.</summary>
    public Experiment Stop(string accountId, string region, string id)
    {
        lock (gate)
        {
            var experiment = Get(accountId, region, id);
            if (!experiment.Ended)
            {
                End(experiment, "stopped", "Experiment stopped by user.", clock.GetUtcNow());
            }

            return experiment;
        }
    }

    /// <summary>The experiments that have not ended, settled to now (the admin API's fault table).</summary>
    public IReadOnlyList<Experiment> Running()
    {
        lock (gate)
        {
            SettleAll();
            return experiments.Values.Where(experiment => !experiment.Ended).OrderBy(experiment => experiment.Created).ToList();
        }
    }

    /// <summary>Settles every experiment that has not ended (for callers that change what stop conditions read).</summary>
    public void SettleAll()
    {
        lock (gate)
        {
            var now = clock.GetUtcNow();
            foreach (var experiment in experiments.Values.Where(experiment => !experiment.Ended))
            {
                Settle(experiment, now);
            }
        }
    }

    private void Settle(Experiment experiment, DateTimeOffset now)
    {
        if (experiment.Ended)
        {
            return;
        }

        // Settled on every tick of the clock and after each move (ClockAutoAdvance), not only on FIS calls: the
        // experiment stops when its alarm went to ALARM, however late anyone asks.
        if (actions.StopConditionMet(experiment) is { } alarm)
        {
            var at = alarm.Since < experiment.Created ? experiment.Created : alarm.Since > now ? now : alarm.Since;
            End(experiment, "stopped", $"Experiment stopped by stop condition: the alarm {alarm.AlarmArn} is in ALARM.", at);
            return;
        }

        bool progressed;
        do
        {
            progressed = false;
            foreach (var run in experiment.Actions.Where(run => run.Status == "running" && run.End is { } end && end <= now))
            {
                run.Status = "completed";
                progressed = true;
            }

            foreach (var run in experiment.Actions.Where(run => run.Status == "pending").ToList())
            {
                var before = experiment.Actions.Where(other => run.Action.StartAfter.Contains(other.Name, StringComparer.Ordinal)).ToList();
                if (before.Any(other => other.Status != "completed"))
                {
                    continue;
                }

                var start = before.Select(other => other.End ?? experiment.Created).DefaultIfEmpty(experiment.Created).Max();
                if (actions.Run(experiment, run, start) is { } failure)
                {
                    run.Status = "failed";
                    run.Reason = failure;
                    Fail(experiment, $"Action {run.Name} failed: {failure}", start);
                    return;
                }

                progressed = true;
            }
        }
        while (progressed);

        if (experiment.Actions.All(run => run.Status == "completed"))
        {
            experiment.Status = "completed";
            experiment.Reason = "Experiment completed.";
            experiment.End = experiment.Actions.Select(run => run.End ?? experiment.Created).DefaultIfEmpty(experiment.Created).Max();
        }
    }

    private void Fail(Experiment experiment, string reason, DateTimeOffset at) => End(experiment, "failed", reason, at);

    private static void End(Experiment experiment, string status, string reason, DateTimeOffset at)
    {
        foreach (var run in experiment.Actions)
        {
            if (run.Status == "running")
            {
                run.Undo?.Invoke();
                run.Status = "stopped";
                run.End = at;
            }
            else if (run.Status == "pending")
            {
                run.Status = "cancelled";
            }
        }

        experiment.Status = status;
        experiment.Reason = reason;
        experiment.End = at;
    }

    private static string NewId(string prefix) =>
        prefix + string.Concat(RandomNumberGenerator.GetItems<char>("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 14));

    private static string Key(string accountId, string region, string name) => $"{accountId}|{region}|{name}";

    public static AwsServiceException NotFound(string message) => new(404, "ResourceNotFoundException", message);

    public static AwsServiceException Validation(string message) => new(400, "ValidationException", message);
}
