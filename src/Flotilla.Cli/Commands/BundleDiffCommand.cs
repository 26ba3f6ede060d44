using System.CommandLine;
using Flotilla.Cli.Output;
using Flotilla.Controllers.Bundles;
using Flotilla.Kube.Api;
using Flotilla.Kube.Registry;
using Flotilla.Kube.Sync;

namespace Flotilla.Cli.Commands;

/// <summary>
/// <c>flotilla diff bundle NAME --cluster C</c>: fetches and renders the bundle's source like the hub does, then runs
/// the sync executor on that cluster as a preview — the same planner and dry-runs as a sync, no writes — and prints
/// what it would do (Secret values redacted, no hash of them). Exit code 1 when something would change, as
/// <c>kubectl diff</c>; 2 when an object would be refused.
/// </summary>
public static class BundleDiffCommand
{
    public static Command Create(Option<string> namespaceOption)
    {
        var name = new Argument<string>("NAME");
        var cluster = new Option<string>("--cluster") { Description = "Registered cluster to compare against", Required = true };
        var diff = new Command("bundle", "Show what syncing the bundle's current source revision would change on one cluster") { name, namespaceOption, cluster };
        diff.SetAction(async (r, ct) =>
        {
            using var hub = HubConnection.Connect(r);
            var ns = r.GetValue(namespaceOption)!;
            var bundle = await FlotillaObjects.GetAsync<BundleResource>(hub, ns, BundleResource.Plural, r.GetValue(name)!, ct);
            var source = bundle.Spec.SourceRef.IsHelmRepository
                ? await BundlePreview.FetchChartAsync(hub, bundle, ct)
                : BundlePreview.Of(await BundlePreview.FetchAsync(hub, bundle, at: null, ct), bundle);
            var target = await new ClusterRegistry(hub).GetAsync(r.GetValue(cluster)!, ct)
                ?? throw new KeyNotFoundException($"cluster \"{r.GetValue(cluster)}\" is not registered");
            using var clients = new MemberClients(hub, TimeSpan.FromSeconds(15));
            // A chart renders for the cluster (its values and capabilities); anything else renders once.
            var rendered = source.IsChart
                ? await ChartForAsync(new ChartPreviews(clients), source, bundle, target, ct)
                : Plain(await BundlePreview.RenderAsync(source.Root, bundle, ct));
            if (rendered.Manifests is null)
            {
                foreach (var e in rendered.Errors) Console.Error.WriteLine($"error: {e}");
                return 2;
            }
            var prepared = BundlePreview.PrepareOverrides(bundle, rendered.Manifests, out var invalid);
            var overridden = invalid.Count > 0 ? null : BundlePreview.ForCluster(prepared, rendered.Manifests, target);
            if (overridden?.Manifests is not { } manifests)
            {
                foreach (var e in overridden?.Errors ?? invalid) Console.Error.WriteLine($"error: {e}");
                return 2;
            }
            using var previews = new MemberPreviews(clients);
            var request = new SyncRequest(ns, bundle.Metadata.Name, source.Revision, manifests, BundlePolicy.Of(bundle));
            var diffs = await previews.DryRunAsync(target, request, ct);
            Console.WriteLine($"# bundle {ns}/{bundle.Metadata.Name} at {Plan.PlanText.Short(source.Revision)} on cluster {target.Metadata.Name}");
            foreach (var d in diffs.Where(ObjectDiffText.Shown))
            {
                Console.WriteLine(ObjectDiffText.Line(d));
                Console.Write(ObjectDiffText.Body(d));
            }
            var counts = diffs.GroupBy(d => d.Action).OrderBy(g => g.Key).Select(g => $"{g.Count()} {ObjectDiffText.Words(g.Key)}");
            Console.WriteLine($"# {string.Join(", ", counts)}");
            return diffs.Any(ObjectDiffText.IsFailure) ? 2 : diffs.Any(d => ObjectDiffText.IsChange(d.Action)) ? 1 : 0;
        });
        return diff;
    }

    private static (Core.Manifests.ManifestSet? Manifests, IReadOnlyList<string> Errors) Plain(Git.Render.RenderResult result) =>
        (result.Manifests, [.. result.Errors.Select(e => e.ToString())]);

    private static async Task<(Core.Manifests.ManifestSet? Manifests, IReadOnlyList<string> Errors)> ChartForAsync(
        ChartPreviews charts, PreviewSource source, BundleResource bundle, ClusterResource cluster, CancellationToken ct)
    {
        var (outcomes, problem) = await charts.RenderAsync(source, bundle, [cluster], ct);
        if (problem is not null) return (null, [problem]);
        var outcome = outcomes![cluster.Metadata.Name];
        return outcome.Manifests is { } manifests ? (manifests, []) : (null, [$"chart: {outcome.Error}"]);
    }
}
