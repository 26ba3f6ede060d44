using System.CommandLine;
using Flotilla.Cli.Output;
using Flotilla.Controllers.Bundles;
using Flotilla.Controllers.Sources;
using Flotilla.Core.Sync;
using Flotilla.Git.Render;
using Flotilla.Git.Sources;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.Registry;
using Flotilla.Kube.Sync;
using k8s;

namespace Flotilla.Cli.Commands;

/// <summary>
/// <c>flotilla diff bundle NAME --cluster C</c>: fetches and renders the bundle's source like the hub does, then
/// dry-runs every object on that cluster and prints what would change (Secret values redacted). Exit code 1 when
/// something would change, as <c>kubectl diff</c>.
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
            var member = await new MemberSyncClients(clients).GetAsync(target, ct);
            var request = new SyncRequest(ns, bundle.Metadata.Name, fetched.CommitSha, rendered.Manifests, BundlePolicy.Of(bundle));
            var diffs = await new ClusterSyncer(member).DiffAsync(request, ct);
            Console.WriteLine($"# bundle {ns}/{bundle.Metadata.Name} at {fetched.CommitSha[..12]} on cluster {target.Metadata.Name}");
            foreach (var d in diffs.Where(d => d.Action != DiffAction.Unchanged))
            {
                Console.WriteLine(d.Action switch
                {
                    DiffAction.Create => $"+ {d.Object} (create)",
                    DiffAction.Update => $"~ {d.Object}",
                    DiffAction.Prune => $"- {d.Object} (prune)",
                    DiffAction.Invalid => $"! {d.Object}: {d.Error}",
                    DiffAction.Unchanged => $"= {d.Object}",
                });
                if (d.Action == DiffAction.Update) Console.Write(LineDiff.Unified(Serialization.ToYamlText(d.Before), Serialization.ToYamlText(d.After)));
            }
            var counts = diffs.GroupBy(d => d.Action).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}");
            Console.WriteLine($"# {string.Join(", ", counts)}");
            return diffs.Any(d => d.Action is DiffAction.Invalid) ? 2 : diffs.Any(d => d.Action != DiffAction.Unchanged) ? 1 : 0;
        });
        return diff;
    }
}
