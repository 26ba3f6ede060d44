using System.CommandLine;
using Flotilla.Cli.Output;
using Flotilla.Controllers;
using Flotilla.Controllers.Rollouts;
using Flotilla.Core.Rollout;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Registry;
using k8s;
using k8s.Models;

namespace Flotilla.Cli.Commands;

/// <summary>
/// <c>flotilla rollout status|pause|resume|approve|rollback BUNDLE</c>. A command is recorded on the Bundle (annotation
/// <see cref="RolloutCommandRequest.Annotation"/>, with a fresh id) and the CLI waits until the hub acknowledges it in
/// <c>status.rollout.lastCommandId</c>. Approve and rollback name the revision the user saw, so they never apply to a
/// newer run; approve names the gate that waits.
/// </summary>
public static class RolloutCommands
{
    private static readonly Option<string> NamespaceOption = new("--namespace", "-n") { Description = "Namespace on the hub", DefaultValueFactory = _ => "default" };
    private static readonly Option<TimeSpan> WaitOption = new("--wait") { Description = "How long to wait for the hub to take the command", DefaultValueFactory = _ => TimeSpan.FromSeconds(30) };

    public static Command Create()
    {
        var rollout = new Command("rollout", "Progressive rollouts: where a bundle's run stands, and pause, resume, approve or roll it back");
        rollout.Add(Status());
        rollout.Add(Send("pause", "Stop releasing clusters and passing gates (what moved keeps moving)", _ => new(NewId(), nameof(RolloutCommandKind.Pause))));
        rollout.Add(Send("resume", "Lift a pause or a failure halt; failed clusters are retried", _ => new(NewId(), nameof(RolloutCommandKind.Resume))));
        rollout.Add(Send("approve", "Approve the gate the run waits at", Approve));
        rollout.Add(Send("rollback", "Send the run's clusters back to the last fully healthy revision", Rollback));
        return rollout;
    }

    private static string NewId() => Guid.NewGuid().ToString("N")[..16];

    private static RolloutCommandRequest Approve(BundleRolloutStatus? status)
    {
        if (status?.AwaitingApproval is not { } gate || status.TargetRevision is not { } revision)
            throw new InvalidOperationException($"nothing waits for an approval (phase {status?.Phase ?? "none"})");
        Console.WriteLine($"approving gate {gate} of revision {Short(revision)}");
        return new(NewId(), nameof(RolloutCommandKind.Approve), revision, gate);
    }

    private static RolloutCommandRequest Rollback(BundleRolloutStatus? status)
    {
        if (status?.TargetRevision is not { } revision) throw new InvalidOperationException("the bundle has no rollout to roll back");
        if (status.LastHealthyRevision is null) throw new InvalidOperationException("there is no fully healthy revision to go back to");
        Console.WriteLine($"rolling back revision {Short(revision)} to {Short(status.LastHealthyRevision)}");
        return new(NewId(), nameof(RolloutCommandKind.Rollback), revision);
    }

    private static Command Send(string name, string description, Func<BundleRolloutStatus?, RolloutCommandRequest> make)
    {
        var bundleName = new Argument<string>("BUNDLE");
        var command = new Command(name, description) { bundleName, NamespaceOption, WaitOption };
        command.SetAction(async (r, ct) =>
        {
            using var hub = HubConnection.Connect(r);
            var (ns, bundle) = (r.GetValue(NamespaceOption)!, r.GetValue(bundleName)!);
            var current = await FlotillaObjects.GetAsync<BundleResource>(hub, ns, BundleResource.Plural, bundle, ct);
            if (current.Spec.Rollout is null)
            {
                Console.Error.WriteLine($"error: bundle {ns}/{bundle} has no spec.rollout");
                return 1;
            }
            RolloutCommandRequest request;
            try { request = make(current.Status?.Rollout); }
            catch (InvalidOperationException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
            var patch = KubernetesJson.Serialize(new { metadata = new { annotations = new Dictionary<string, string> { [RolloutCommandRequest.Annotation] = request.ToJson() } } });
            await hub.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch),
                FlotillaApi.Group, FlotillaApi.Version, ns, BundleResource.Plural, bundle, cancellationToken: ct);
            var deadline = DateTimeOffset.UtcNow + r.GetValue(WaitOption);
            while (DateTimeOffset.UtcNow < deadline)
            {
                var seen = await FlotillaObjects.GetAsync<BundleResource>(hub, ns, BundleResource.Plural, bundle, ct);
                if (seen.Status?.Rollout is { } status && status.LastCommandId == request.Id)
                {
                    Console.WriteLine($"{name}: taken; rollout {status.Phase}: {status.Message}");
                    return 0;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
            }
            Console.Error.WriteLine($"{name}: recorded on the bundle, but the hub has not taken it within {r.GetValue(WaitOption).TotalSeconds:0}s (is it running?)");
            return 1;
        });
        return command;
    }

    private static Command Status()
    {
        var bundleName = new Argument<string>("BUNDLE");
        var status = new Command("status", "The run: phase and why it waits, each stage's counts, each cluster's stage, revision and health") { bundleName, NamespaceOption };
        status.SetAction(async (r, ct) =>
        {
            using var hub = HubConnection.Connect(r);
            var bundle = await FlotillaObjects.GetAsync<BundleResource>(hub, r.GetValue(NamespaceOption)!, BundleResource.Plural, r.GetValue(bundleName)!, ct);
            if (bundle.Spec.Rollout is not { } rollout)
            {
                Console.Error.WriteLine("error: the bundle has no spec.rollout");
                return 1;
            }
            if (RolloutMapping.Spec(rollout, out var errors) is not { } spec)
            {
                Console.Error.WriteLine($"error: spec.rollout: {string.Join("; ", errors)}");
                return 1;
            }
            var s = bundle.Status?.Rollout;
            Console.WriteLine($"Bundle {bundle.Metadata.NamespaceProperty}/{bundle.Metadata.Name}: {spec.Strategy} rollout of {Short(s?.TargetRevision)}, phase {s?.Phase ?? "not planned yet"}; last healthy {Short(s?.LastHealthyRevision)}");
            if (s?.Message is { Length: > 0 } message) Console.WriteLine($"  {message}");
            if (s?.AwaitingApproval is { } gate) Console.WriteLine($"  waits for approval of {gate}: flotilla rollout approve {bundle.Metadata.Name} -n {bundle.Metadata.NamespaceProperty}");
            var state = s?.State is { } json ? TryParse(json) : null;
            if (state is not null)
            {
                Console.WriteLine();
                TableWriter.Write(Console.Out, ["STAGE", "CLUSTERS", "DONE", "FAILED", "NOW"], state.Stages.Select((stage, i) => (IReadOnlyList<string>)
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
            Console.WriteLine();
            TableWriter.Write(Console.Out, ["CLUSTER", "STAGE/STATUS", "DESIRED", "APPLIED", "HEALTH", "MESSAGE"], rows);
            return s?.Phase is nameof(RolloutPhase.Halted) or nameof(RolloutPhase.RolledBack) or nameof(RolloutPhase.Invalid) ? 2 : 0;
        });
        return status;
    }

    private static bool Done(BundleClusterStatus cluster, BundleRolloutStatus? rollout) =>
        rollout?.Phase != nameof(RolloutPhase.RolledBack) && cluster.AppliedRevision == rollout?.TargetRevision && cluster.Health == "Healthy";

    private static RolloutState? TryParse(string json)
    {
        try { return RolloutState.Parse(json); }
        catch (FormatException) { return null; }
    }

    private static string Short(string? revision) => revision is null ? "<none>" : revision.Length > 12 ? revision[..12] : revision;
}
