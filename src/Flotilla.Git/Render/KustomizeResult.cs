using Flotilla.Core.Manifests;

namespace Flotilla.Git.Render;

/// <summary>The output of one kustomize build, or why there is none.</summary>
public sealed class KustomizeResult
{
    private KustomizeResult(string output, ManifestError? error)
    {
        Output = output;
        Error = error;
    }

    /// <summary>The rendered multi-document YAML; empty on failure.</summary>
    public string Output { get; }

    /// <summary>Why the build failed (<see cref="ManifestErrorCode.KustomizeFailed"/> or <see cref="ManifestErrorCode.LimitExceeded"/>); null on success.</summary>
    public ManifestError? Error { get; }

    internal static KustomizeResult Success(string output) => new(output, null);

    internal static KustomizeResult Failure(ManifestError error) => new(string.Empty, error);
}
