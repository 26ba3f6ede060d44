using Flotilla.Controllers.Charts;
using Flotilla.Controllers.Sources;
using Flotilla.Git.Render;
using Flotilla.Kube.Api;
using Flotilla.Kube.Discovery;
using Flotilla.Kube.Registry;

namespace Flotilla.Cli.Commands;

/// <summary>
/// Renders chart bundles for <c>flotilla diff</c> and <c>flotilla plan</c> exactly as the hub does (<see cref="BundleCharts"/>:
/// the same values, each member's discovered version and API versions, helm once per distinct input). One instance per
/// command, so a plan over many clusters shares its renders and discoveries.
/// </summary>
public sealed class ChartPreviews(MemberClients clients)
{
    private readonly BundleCharts _charts = Create(clients);

    /// <summary>Each cluster's render, or the bundle-level problem (a values file missing, a variable written wrongly).</summary>
    public async Task<(IReadOnlyDictionary<string, ChartOutcome>? Outcomes, string? Problem)> RenderAsync(
        PreviewSource source, BundleResource bundle, IReadOnlyList<ClusterResource> clusters, CancellationToken ct)
    {
        var (outcomes, problem) = await _charts.RenderAsync(bundle, new SourceArtifact(source.Revision, source.Root, DateTimeOffset.UtcNow), source.Path, clusters, ct);
        return (outcomes, problem?.Message);
    }

    private static BundleCharts Create(MemberClients clients)
    {
        var renderer = new ChartRenderer(RenderLimits.Default, HelmRunnerOptions.Default);
        var capabilities = new CapabilityCache(
            async (cluster, token) => await ClusterCapabilities.DiscoverAsync(await clients.GetAsync(cluster, token), token),
            async (cluster, token) => await ClusterCapabilities.FingerprintAsync(await clients.GetAsync(cluster, token), token), TimeProvider.System);
        return new BundleCharts(renderer, new ChartRenders(renderer), capabilities);
    }
}
