namespace Flotilla.Git.Render;

/// <summary>How <see cref="KustomizeRunner"/> runs kustomize.</summary>
public sealed record KustomizeRunnerOptions
{
    /// <summary>The defaults.</summary>
    public static KustomizeRunnerOptions Default { get; } = new();

    /// <summary>
    /// The kubectl executable; run as <c>kubectl kustomize DIR --load-restrictor=LoadRestrictionsRootOnly
    /// --enable-alpha-plugins=false --enable-helm=false</c> (flags of kubectl ≥ 1.27's embedded kustomize v5).
    /// Default: the pinned kubectl (<see cref="Tools.PinnedTool.Kubectl"/>: <c>FLOTILLA_KUBECTL</c>, the tools cache, then PATH).
    /// Looked up on first read, so a value given here is used without consulting the environment at all.
    /// </summary>
    public string ExecutablePath { get => _executablePath ??= Tools.PinnedTool.Kubectl.Locate(); init => _executablePath = value; }

    private string? _executablePath;

    /// <summary>How long one build may take before it is killed. Default 60 seconds.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Largest output accepted; the process is killed when it writes more. Default 64 MiB (the render total).</summary>
    public long MaxOutputBytes { get; init; } = 64 * RenderLimits.MiB;

    /// <summary>How much of standard error is kept for the failure message. Default 2,000 characters.</summary>
    public int MaxErrorChars { get; init; } = 2_000;

    /// <summary>Throws when a value is unusable.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ExecutablePath);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxOutputBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxErrorChars);
    }
}
