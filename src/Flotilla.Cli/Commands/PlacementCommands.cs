using System.CommandLine;
using Flotilla.Cli.Output;
using Flotilla.Controllers;
using Flotilla.Controllers.Bundles;
using Flotilla.Core.Placement;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Registry;

namespace Flotilla.Cli.Commands;

/// <summary>
/// <c>flotilla placement explain BUNDLE [--cluster C]</c>: why each cluster was or was not chosen. The decision is
/// recomputed with the hub's own engine from the Cluster objects, the bundle's current decision (its status) and the
/// other bundles' decisions, so every cluster gets its reason, not only the few the status keeps.
/// </summary>
public static class PlacementCommands
{
    public static Command Create()
    {
        var placement = new Command("placement", "Inspect placement decisions");
        var name = new Argument<string>("BUNDLE");
        var ns = new Option<string>("--namespace", "-n") { Description = "Namespace on the hub", DefaultValueFactory = _ => "default" };
        var cluster = new Option<string?>("--cluster") { Description = "Only this cluster's row" };
        var explain = new Command("explain", "Show, for every registered cluster, whether the bundle is placed there and why (score or first reason)") { name, ns, cluster };
        explain.SetAction(async (r, ct) =>
        {
            using var hub = HubConnection.Connect(r);
            var bundle = await FlotillaObjects.GetAsync<BundleResource>(hub, r.GetValue(ns)!, BundleResource.Plural, r.GetValue(name)!, ct);
            var spec = PlacementMapping.Spec(bundle.Spec.Placement);
            if (spec.Validate() is { Length: > 0 } invalid)
            {
                foreach (var problem in invalid) Console.Error.WriteLine($"error: spec.placement: {problem}");
                return 2;
            }
            var now = DateTimeOffset.UtcNow;
            var clusters = (await new ClusterRegistry(hub).ListAsync(ct)).Where(c => c.Metadata.DeletionTimestamp is null).ToList();
            var only = r.GetValue(cluster);
            if (only is not null && clusters.All(c => c.Metadata.Name != only))
            {
                Console.Error.WriteLine($"error: cluster \"{only}\" is not registered");
                return 1;
            }
            var key = ObjectKey.Of(bundle.Metadata.NamespaceProperty, bundle.Metadata.Name);
            var decision = HubPlacement.Decide(spec, bundle, clusters, await HubLists.BundlesAsync(hub, ct), now);
            Console.WriteLine($"Bundle {key}: {decision.Selected.Length} of {clusters.Count} clusters selected"
                + (decision.RecheckAt is { } at ? $"; decided again at {at:u} (a toleration's seconds run out)" : ""));
            TableWriter.Write(Console.Out, PlacementExplainer.Headers, PlacementExplainer.Rows(decision, only).Select(row => row.Cells));
            return 0;
        });
        placement.Add(explain);
        return placement;
    }
}
