namespace Flotilla.Git.Render;

/// <summary>How <see cref="ChartRenderer"/> runs <c>helm template</c>.</summary>
public sealed record HelmRunnerOptions
{
    /// <summary>The defaults.</summary>
    public static HelmRunnerOptions Default { get; } = new();

    /// <summary>
    /// The helm executable. Default: the pinned helm (<see cref="Tools.PinnedTool.Helm"/>: <c>FLOTILLA_HELM</c>, the tools cache, then PATH).
    /// Looked up on first read, so a value given here is used without consulting the environment at all.
    /// </summary>
    public string ExecutablePath { get => _executablePath ??= Tools.PinnedTool.Helm.Locate(); init => _executablePath = value; }

    private string? _executablePath;

    /// <summary>How long one render may take before helm is killed. Default 60 seconds.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Largest chart accepted: the bytes of every file under the chart directory, vendored dependencies included.
    /// Default 16 MiB (an unpacked kube-prometheus-stack is about 6 MB).
    /// </summary>
    public long MaxChartBytes { get; init; } = 16 * RenderLimits.MiB;

    /// <summary>Largest rendered output accepted; helm is killed when it writes more. Default 64 MiB (the render total).</summary>
    public long MaxOutputBytes { get; init; } = 64 * RenderLimits.MiB;

    /// <summary>How much of standard error is kept for the failure message (the chart's own text). Default 2,000 characters.</summary>
    public int MaxErrorChars { get; init; } = 2_000;

    /// <summary>Throws when a value is unusable.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ExecutablePath);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxChartBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxOutputBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxErrorChars);
    }
}
