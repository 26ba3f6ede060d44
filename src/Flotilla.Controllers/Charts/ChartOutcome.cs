using Flotilla.Core.Manifests;

namespace Flotilla.Controllers.Charts;

/// <summary>
/// One cluster's rendered chart, or why it has none. Shared by every cluster with the same render key, so the same
/// instance means the same objects (a bundle's reconcile queues a pair only when its instance changed).
/// </summary>
public sealed class ChartOutcome
{
    private ChartOutcome(ManifestSet? manifests, string? error, string? renderKey)
    {
        Manifests = manifests;
        Error = error;
        RenderKey = renderKey;
    }

    /// <summary>The objects; null when <see cref="Error"/> says why there are none.</summary>
    public ManifestSet? Manifests { get; }

    /// <summary>Why the cluster gets nothing new (the chart's own error text, a missing variable, failed discovery); it keeps what it has.</summary>
    public string? Error { get; }

    /// <summary>The <see cref="Core.Charts.ChartRenderKey.Id"/> of the render; null when it never got that far.</summary>
    public string? RenderKey { get; }

    public static ChartOutcome Rendered(ManifestSet manifests, string renderKey) => new(manifests, null, renderKey);

    public static ChartOutcome Failed(string error, string? renderKey = null) => new(null, error, renderKey);
}
