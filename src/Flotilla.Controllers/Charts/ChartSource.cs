using Flotilla.Controllers.Sources;

namespace Flotilla.Controllers.Charts;

/// <summary>
/// Where one revision of a bundle's chart is: the snapshot (a Git commit's, or a HelmRepository chart version's
/// content-addressed cache entry) and the chart's path inside it.
/// </summary>
public sealed record ChartSource(SourceArtifact Artifact, string? ChartPath);
