using System.CommandLine;
using Flotilla.Cli.Output;
using Flotilla.Controllers;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using k8s;
using k8s.Models;

namespace Flotilla.Cli.Commands;

/// <summary><c>flotilla bundle status|diff</c> and <c>flotilla reconcile bundle|source</c>.</summary>
public static class BundleCommands
{
    private static readonly Option<string> NamespaceOption = new("--namespace", "-n") { Description = "Namespace on the hub", DefaultValueFactory = _ => "default" };

    public static Command Create()
    {
        var bundle = new Command("bundle", "Inspect bundles: per-cluster status and what a sync would change");
        bundle.Add(Status());
        return bundle;
    }

    public static Command CreateDiff() => new("diff", "Show what a sync would change") { BundleDiffCommand.Create(NamespaceOption) };

    public static Command CreateReconcile()
    {
        var reconcile = new Command("reconcile", "Ask the hub to reconcile an object now (fetch a source, sync a bundle)");
        reconcile.Add(Request("bundle", BundleResource.Plural));
        reconcile.Add(Request("source", GitRepositoryResource.Plural));
        return reconcile;
    }

    private static Command Request(string what, string plural)
    {
        var name = new Argument<string>("NAME");
        var command = new Command(what, $"Reconcile the {(what == "source" ? "GitRepository" : "Bundle")} NAME now") { name, NamespaceOption };
        command.SetAction(async (r, ct) =>
        {
            using var hub = HubConnection.Connect(r);
            var now = DateTimeOffset.UtcNow.ToString("O");
            var patch = KubernetesJson.Serialize(new { metadata = new { annotations = new Dictionary<string, string> { [ObjectDiscovery.ReconcileRequestAnnotation] = now } } });
            await hub.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch),
                FlotillaApi.Group, FlotillaApi.Version, r.GetValue(NamespaceOption)!, plural, r.GetValue(name)!, cancellationToken: ct);
            Console.WriteLine($"{plural}.flotilla.io/{r.GetValue(name)} reconcile requested");
            return 0;
        });
        return command;
    }

    private static Command Status()
    {
        var name = new Argument<string>("NAME");
        var output = OutputOption.Create();
        var status = new Command("status", "Per-cluster status of a bundle: phase, revision, health, objects, errors, drift") { name, NamespaceOption, output };
        status.SetAction(async (r, ct) =>
        {
            using var hub = HubConnection.Connect(r);
            var bundle = await FlotillaObjects.GetAsync<BundleResource>(hub, r.GetValue(NamespaceOption)!, BundleResource.Plural, r.GetValue(name)!, ct);
            if (r.GetValue(output) is OutputFormat.Json or OutputFormat.Yaml)
            {
                Serialization.Write(Console.Out, bundle, r.GetValue(output));
                return 0;
            }
            Print(bundle);
            var ready = bundle.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
            return ready?.Status == "True" ? 0 : 2;
        });
        return status;
    }

    /// <summary>Prints the bundle's summary line and its per-cluster table.</summary>
    public static void Print(BundleResource bundle)
    {
        var s = bundle.Status;
        var ready = s?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        Console.WriteLine($"Bundle {bundle.Metadata.NamespaceProperty}/{bundle.Metadata.Name}: revision {Short(s?.DesiredRevision)}, Ready={ready?.Status ?? "Unknown"} ({ready?.Reason}) {ready?.Message}");
        if (s?.RenderError is { } renderError) Console.WriteLine($"render error: {renderError}");
        var rows = (s?.Clusters ?? []).Select(c => (IReadOnlyList<string>)
        [
            c.Name, c.Phase ?? "", Short(c.AppliedRevision), c.Health ?? "", c.Objects?.ToString() ?? "", c.Written?.ToString() ?? "",
            c.Pruned?.ToString() ?? "", c.Error ?? c.Drift ?? "",
        ]).ToList();
        if (rows.Count == 0)
        {
            Console.WriteLine("No clusters placed.");
            return;
        }
        TableWriter.Write(Console.Out, ["CLUSTER", "PHASE", "REVISION", "HEALTH", "OBJECTS", "WRITTEN", "PRUNED", "MESSAGE"], rows);
    }

    private static string Short(string? revision) => revision is null ? "<none>" : revision.Length > 12 ? revision[..12] : revision;
}
