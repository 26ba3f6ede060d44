using System.CommandLine;
using Flotilla.Cli.Output;
using Flotilla.Controllers.Rollouts;
using Flotilla.Core.Rollout;
using Flotilla.Kube.Api;
using Flotilla.Kube.Registry;
using k8s;
using static Flotilla.Cli.Commands.RolloutCommands;

namespace Flotilla.Cli.Commands;

/// <summary>
/// <c>flotilla rollout status BUNDLE [--watch]</c>: the run's phase and why it waits, each stage's counts, each cluster's
/// stage, revision and health. With <c>--watch</c> it prints the view again whenever the run moves (phase, message or a
/// stage's counts) and ends, like <c>kubectl rollout status</c>, when the run of the source's newest revision is over:
/// exit 0 when it completed, 2 when it halted, rolled back or is invalid, 1 at <c>--timeout</c>.
/// </summary>
public static class RolloutStatusCommand
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(1);

    public static Command Create(Option<string> namespaceOption)
    {
        var bundleName = new Argument<string>("BUNDLE");
        var watch = new Option<bool>("--watch", "-w") { Description = "Print the run again each time it moves, until the newest revision's run is over" };
        var timeout = DurationOption.Create("--timeout", "With --watch: give up after this long (exit 1)", "10m");
        var status = new Command("status", "The run: phase and why it waits, each stage's counts, each cluster's stage, revision and health")
        {
            bundleName, namespaceOption, watch, timeout,
        };
        status.SetAction(async (r, ct) =>
        {
            using var hub = HubConnection.Connect(r);
            var (ns, name) = (r.GetValue(namespaceOption)!, r.GetValue(bundleName)!);
            if (!r.GetValue(watch))
            {
                var view = await ViewAsync(hub, ns, name, ct);
                if (view.Error is not null) return Fail(view.Error);
                Console.Write(view.Text);
                return view.Phase is nameof(RolloutPhase.Halted) or nameof(RolloutPhase.RolledBack) or nameof(RolloutPhase.Invalid) ? 2 : 0;
            }
            var deadline = DateTimeOffset.UtcNow + r.GetValue(timeout);
            string? shown = null;
            while (true)
            {
                var view = await ViewAsync(hub, ns, name, ct);
                if (view.Error is not null) return Fail(view.Error);
                if (view.Moves != shown)
                {
                    if (shown is not null) Console.WriteLine($"--- {DateTimeOffset.UtcNow:HH:mm:ss}");
                    Console.Write(view.Text);
                    shown = view.Moves;
                }
                if (view.Current)
                {
                    if (view.Phase == nameof(RolloutPhase.Completed)) return 0;
                    if (view.Phase is nameof(RolloutPhase.Halted) or nameof(RolloutPhase.RolledBack) or nameof(RolloutPhase.Invalid)) return 2;
                }
                if (DateTimeOffset.UtcNow >= deadline)
                {
                    Console.Error.WriteLine($"error: the rollout of {ns}/{name} is not over after {r.GetValue(timeout).TotalSeconds:0}s (phase {view.Phase ?? "not planned yet"})");
                    return 1;
                }
                await Task.Delay(PollEvery, ct);
            }
        });
        return status;
    }

    private static int Fail(string error)
    {
        Console.Error.WriteLine($"error: {error}");
        return 1;
    }

    /// <param name="Text">The whole view, as printed.</param>
    /// <param name="Moves">What a watch compares: phase, message, approval and the stage table.</param>
    /// <param name="Current">The run is of the source's newest fetched revision (a watch started right after a commit waits for it).</param>
    private sealed record View(string Text, string Moves, string? Phase, bool Current, string? Error = null);

    private static async Task<View> ViewAsync(IKubernetes hub, string ns, string name, CancellationToken ct)
    {
        var bundle = await FlotillaObjects.GetAsync<BundleResource>(hub, ns, BundleResource.Plural, name, ct);
        if (bundle.Spec.Rollout is not { } rollout) return new("", "", null, false, "the bundle has no spec.rollout");
        if (RolloutMapping.Spec(rollout, out var errors) is not { } spec) return new("", "", null, false, $"spec.rollout: {string.Join("; ", errors)}");
        var source = await FlotillaObjects.FindAsync<GitRepositoryResource>(hub, ns, GitRepositoryResource.Plural, bundle.Spec.SourceRef.Name, ct);
        var s = bundle.Status?.Rollout;
        var head = new StringWriter();
        head.WriteLine($"Bundle {ns}/{name}: {spec.Strategy} rollout of {Short(s?.TargetRevision)}, phase {s?.Phase ?? "not planned yet"}; last healthy {Short(s?.LastHealthyRevision)}");
        if (s?.Message is { Length: > 0 } message) head.WriteLine($"  {message}");
        if (s?.AwaitingApproval is { } gate) head.WriteLine($"  waits for approval of {gate}: flotilla rollout approve {name} -n {ns}");
        if (RolloutState.TryParse(s?.State) is { } state)
        {
            head.WriteLine();
            TableWriter.Write(head, ["STAGE", "CLUSTERS", "DONE", "FAILED", "NOW"], state.Stages.Select((stage, i) => (IReadOnlyList<string>)
            [
                stage.Name, stage.Clusters.ToString(), stage.Done.ToString(), stage.Failed.ToString(),
                i == state.Stage ? state.Step.ToString() : i < state.Stage ? "passed" : "",
            ]));
        }
        var labels = (await new ClusterRegistry(hub).ListAsync(ct)).ToDictionary(c => c.Metadata.Name,
            c => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(c.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal), StringComparer.Ordinal);
        var rows = (bundle.Status?.Clusters ?? []).Select(c => (IReadOnlyList<string>)
        [
            c.Name,
            // The status names the stage of (the first 100) clusters not done yet; the others' stage is recomputed from their labels.
            c.Rollout ?? $"{(labels.TryGetValue(c.Name, out var l) ? RolloutMapping.StageOf(spec, l) : null) ?? "-"}/{(Done(c, s) ? "Done" : "?")}",
            Short(c.DesiredRevision ?? c.AppliedRevision), Short(c.AppliedRevision), c.Health ?? "", c.Error ?? "",
        ]).ToList();
        var text = new StringWriter();
        text.Write(head.ToString());
        text.WriteLine();
        TableWriter.Write(text, ["CLUSTER", "STAGE/STATUS", "DESIRED", "APPLIED", "HEALTH", "MESSAGE"], rows);
        var current = s?.TargetRevision is { } target && (source?.Status?.Revision is not { } newest || newest == target);
        return new(text.ToString(), head.ToString(), s?.Phase, current);
    }

    private static bool Done(BundleClusterStatus cluster, BundleRolloutStatus? rollout) =>
        rollout?.Phase != nameof(RolloutPhase.RolledBack) && cluster.AppliedRevision == rollout?.TargetRevision && cluster.Health == "Healthy";
}
