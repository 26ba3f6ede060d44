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
    private static readonly Option<TimeSpan> WaitOption = DurationOption.Create("--wait", "How long to wait for the hub to take the command", "30s");

    public static Command Create()
    {
        var rollout = new Command("rollout", "Progressive rollouts: where a bundle's run stands, and pause, resume, approve or roll it back");
        rollout.Add(RolloutStatusCommand.Create(NamespaceOption));
        rollout.Add(Send("pause", "Stop releasing clusters and passing gates (what moved keeps moving)", RolloutCommandKind.Pause));
        rollout.Add(Send("resume", "Lift a pause or a failure halt; failed clusters are retried", RolloutCommandKind.Resume));
        rollout.Add(Send("approve", "Approve the gate the run waits at", RolloutCommandKind.Approve));
        rollout.Add(Send("rollback", "Send the run's clusters back to the last fully healthy revision", RolloutCommandKind.Rollback));
        return rollout;
    }

    private static Command Send(string name, string description, RolloutCommandKind kind)
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
            try { request = RolloutCommandRequest.For(kind, current.Status?.Rollout); }
            catch (InvalidOperationException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
            if (kind == RolloutCommandKind.Approve) Console.WriteLine($"approving gate {request.Gate} of revision {Short(request.Revision)}");
            if (kind == RolloutCommandKind.Rollback) Console.WriteLine($"rolling back revision {Short(request.Revision)} to {Short(current.Status?.Rollout?.LastHealthyRevision)}");
            await request.RecordAsync(hub, ns, bundle, ct);
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

    internal static string Short(string? revision) => revision is null ? "<none>" : revision.Length > 12 ? revision[..12] : revision;
}
