using System.CommandLine;
using Flotilla.Cli.Output;
using Flotilla.Controllers.Bundles;
using Flotilla.Controllers.Sources;
using Flotilla.Core.Overrides;
using Flotilla.Core.Sync;
using Flotilla.Git.Render;
using Flotilla.Git.Sources;
using Flotilla.Kube.Api;
using Flotilla.Kube.Cache;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Registry;
using Flotilla.Kube.Sync;
using k8s;

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
            var repository = await FlotillaObjects.GetAsync<GitRepositoryResource>(hub, ns, GitRepositoryResource.Plural, bundle.Spec.SourceRef.Name, ct);
            var work = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".flotilla", "cli-git");
            var fetched = await new GitFetcher(new GitFetcherOptions { WorkDirectory = work, AllowLocal = true }, TimeProvider.System)
                .FetchAsync(await GitSourceSpecs.FromAsync(hub, repository, ct), ct);
            var rendered = await new DirectoryRenderer(RenderLimits.Default, new KustomizeRunner(new KustomizeRunnerOptions()))
                .RenderAsync(fetched.SnapshotDirectory, string.IsNullOrEmpty(bundle.Spec.Path) ? "." : bundle.Spec.Path, ct);
            if (rendered.Manifests is null)
            {
                foreach (var e in rendered.Errors) Console.Error.WriteLine($"error: {e}");
                return 2;
            }
            var target = await new ClusterRegistry(hub).GetAsync(r.GetValue(cluster)!, ct)
                ?? throw new KeyNotFoundException($"cluster \"{r.GetValue(cluster)}\" is not registered");
            using var clients = new MemberClients(hub, TimeSpan.FromSeconds(15));
            var dynamic = new DynamicClient(await clients.GetAsync(target, ct));
            using var cache = new MemberObjectCache(dynamic);
            // The cluster's own objects: its overrides applied exactly as the hub applies them.
            var manifests = rendered.Manifests;
            if (bundle.Spec.Overrides is { Count: > 0 } rules)
            {
                if (!BundleOverrides.TryPrepare(OverrideRuleReader.Read(rules), manifests, out var prepared, out var invalid))
                {
                    foreach (var e in invalid) Console.Error.WriteLine($"error: spec.overrides: {e}");
                    return 2;
                }
                var overridden = prepared!.Apply(PlacementMapping.OverrideCluster(target));
                if (overridden.Manifests is null)
                {
                    foreach (var e in overridden.Errors) Console.Error.WriteLine($"error: {e}");
                    return 2;
                }
                manifests = overridden.Manifests;
            }
            var request = new SyncRequest(ns, bundle.Metadata.Name, fetched.CommitSha, manifests, BundlePolicy.Of(bundle));
            var outcome = await new ClusterSyncExecutor(new MemberClusterClient(dynamic, cache)).RunAsync(request, apply: false, ct);
            var diffs = ObjectDiff.From(outcome);
            Console.WriteLine($"# bundle {ns}/{bundle.Metadata.Name} at {fetched.CommitSha[..12]} on cluster {target.Metadata.Name}");
            foreach (var d in diffs.Where(d => d.Action != ChangeAction.Unchanged || d.Error is not null))
            {
                Console.WriteLine(d.Error is { } error ? $"! {d.Object}: {error}" : d.Action switch
                {
                    ChangeAction.Create => $"+ {d.Object} (create)",
                    ChangeAction.Update => $"~ {d.Object}",
                    ChangeAction.DriftCorrect => $"~ {d.Object} (drift: {d.Detail}, corrected)",
                    ChangeAction.DriftReport => $"? {d.Object} (drift: {d.Detail}, reported only)",
                    ChangeAction.Conflict => $"! {d.Object} (conflict: {d.Detail})",
                    ChangeAction.OwnedByOtherBundle => $"! {d.Object}: {d.Detail}",
                    ChangeAction.Prune => $"- {d.Object} (prune)",
                    ChangeAction.PruneSkipped => $"= {d.Object} (not pruned: {d.Detail})",
                    ChangeAction.Unchanged => $"= {d.Object}",
                });
                if (d.Error is null && d.Action is ChangeAction.Update or ChangeAction.DriftCorrect)
                    Console.Write(LineDiff.Unified(Serialization.ToYamlText(d.Before), Serialization.ToYamlText(d.After)));
            }
            var counts = diffs.GroupBy(d => d.Action).OrderBy(g => g.Key).Select(g => $"{g.Count()} {Words(g.Key)}");
            Console.WriteLine($"# {string.Join(", ", counts)}");
            return diffs.Any(d => d.Error is not null || d.Action is ChangeAction.Conflict or ChangeAction.OwnedByOtherBundle) ? 2
                : diffs.Any(d => d.Action is not (ChangeAction.Unchanged or ChangeAction.PruneSkipped)) ? 1 : 0;
        });
        return diff;
    }

    /// <summary><c>DriftCorrect</c> → <c>drift-correct</c>, as kubectl prints kinds of change.</summary>
    private static string Words(ChangeAction action) =>
        string.Concat(action.ToString().Select((ch, i) => char.IsUpper(ch) && i > 0 ? $"-{char.ToLowerInvariant(ch)}" : char.ToLowerInvariant(ch).ToString()));
}
