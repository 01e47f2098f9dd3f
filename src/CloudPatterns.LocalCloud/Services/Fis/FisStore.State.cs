using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.Services.Fis;

/// <summary>
/// FIS in the state file (docs/localcloud-fis.md, "State file"): templates, experiments with their actions' states and
/// resolved targets, and client tokens. An experiment running at shutdown goes on after the restart on the restored
/// clock; what its running actions did to the fleet is not restored (the fleet is not in the state file), so stopping
/// it then has nothing to undo.
/// </summary>
internal sealed partial class FisStore
{
    public FisSnapshot Snapshot()
    {
        lock (gate)
        {
            return new FisSnapshot(
                [.. templates.Values.Select(Saved)],
                [.. experiments.Values.Select(experiment => new SavedExperiment(
                    experiment.Id, Saved(experiment.Template), new Dictionary<string, string>(experiment.Tags, StringComparer.Ordinal), experiment.Created,
                    experiment.Status, experiment.Reason, experiment.End,
                    experiment.ResolvedTargets.ToDictionary(entry => entry.Key, entry => entry.Value.ToList(), StringComparer.Ordinal),
                    [.. experiment.Actions.Select(run => new SavedActionRun(run.Name, run.Status, run.Reason, run.Start, run.End))]))],
                new Dictionary<string, string>(clientTokens, StringComparer.Ordinal));
        }
    }

    public void Restore(FisSnapshot snapshot)
    {
        lock (gate)
        {
            templates.Clear();
            experiments.Clear();
            clientTokens.Clear();
            foreach (var saved in snapshot.Templates)
            {
                templates[saved.Id] = Template(saved);
            }

            foreach (var saved in snapshot.Experiments)
            {
                var experiment = new Experiment(saved.Id, Template(saved.Template), saved.Tags, saved.Created) { Status = saved.Status, Reason = saved.Reason, End = saved.End };
                foreach (var (name, arns) in saved.ResolvedTargets)
                {
                    experiment.ResolvedTargets[name] = arns;
                }

                foreach (var run in experiment.Actions)
                {
                    if (saved.Actions.FirstOrDefault(action => action.Name == run.Name) is { } state)
                    {
                        (run.Status, run.Reason, run.Start, run.End) = (state.Status, state.Reason, state.Start, state.End);
                    }
                }

                experiments[experiment.Id] = experiment;
            }

            foreach (var (key, id) in snapshot.ClientTokens)
            {
                clientTokens[key] = id;
            }
        }
    }

    private static SavedTemplate Saved(ExperimentTemplate template) => new(template.Id, template.AccountId, template.Region, template.Created, template.ToJson());

    private static ExperimentTemplate Template(SavedTemplate saved) =>
        ExperimentTemplate.Read(saved.Id, saved.AccountId, saved.Region, JsonSerializer.SerializeToElement(saved.Body), saved.Created);
}

/// <summary>The FIS part of the state file.</summary>
internal sealed record FisSnapshot(List<SavedTemplate> Templates, List<SavedExperiment> Experiments, Dictionary<string, string> ClientTokens);

/// <summary>A template as GetExperimentTemplate shows it, with what Read needs besides.</summary>
internal sealed record SavedTemplate(string Id, string AccountId, string Region, DateTimeOffset Created, JsonObject Body);

internal sealed record SavedExperiment(
    string Id,
    SavedTemplate Template,
    Dictionary<string, string> Tags,
    DateTimeOffset Created,
    string Status,
    string? Reason,
    DateTimeOffset? End,
    Dictionary<string, List<string>> ResolvedTargets,
    List<SavedActionRun> Actions);

internal sealed record SavedActionRun(string Name, string Status, string? Reason, DateTimeOffset? Start, DateTimeOffset? End);
