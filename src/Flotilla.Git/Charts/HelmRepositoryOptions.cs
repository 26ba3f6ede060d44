using Flotilla.Git.Render;

namespace Flotilla.Git.Charts;

/// <summary>How <see cref="HelmRepositoryClient"/> fetches.</summary>
public sealed record HelmRepositoryOptions
{
    /// <summary>Where chart tarballs are unpacked, one directory per sha256 (content-addressed, like Git snapshots). Required.</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>Largest index.yaml accepted. Default 16 MiB (the file cap of rendering).</summary>
    public long MaxIndexBytes { get; init; } = 16 * RenderLimits.MiB;

    /// <summary>Largest chart tarball, and largest total unpacked. Default 16 MiB (the chart cap of rendering).</summary>
    public long MaxChartBytes { get; init; } = 16 * RenderLimits.MiB;

    /// <summary>How long one request may take. Default 60 seconds.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}
