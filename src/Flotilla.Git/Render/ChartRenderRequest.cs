namespace Flotilla.Git.Render;

/// <summary>
/// What one <c>helm template</c> renders: the chart at <see cref="ChartPath"/> (relative to the snapshot root) with
/// <see cref="ValuesJson"/> (the merged, substituted values of <c>Core.Charts.ChartValuesPlan</c>) for a cluster of
/// <see cref="KubeVersion"/> serving <see cref="ApiVersions"/> (<c>group/version</c> and <c>group/version/Kind</c>).
/// </summary>
public sealed record ChartRenderRequest(
    string ChartPath,
    string ReleaseName,
    string Namespace,
    string ValuesJson,
    string KubeVersion,
    IReadOnlyList<string> ApiVersions,
    bool IncludeTests = false,
    bool SkipCrds = false);
