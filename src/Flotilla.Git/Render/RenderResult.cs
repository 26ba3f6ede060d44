using System.Diagnostics.CodeAnalysis;
using Flotilla.Core.Manifests;

namespace Flotilla.Git.Render;

/// <summary>The outcome of rendering one path: a manifest set, or every error found (never both).</summary>
public sealed class RenderResult
{
    private RenderResult(ManifestSet? manifests, IReadOnlyList<ManifestError> errors)
    {
        Manifests = manifests;
        Errors = errors;
    }

    /// <summary>The rendered objects; null when there were errors.</summary>
    public ManifestSet? Manifests { get; }

    /// <summary>Every problem found, each naming its file (and document); empty on success.</summary>
    public IReadOnlyList<ManifestError> Errors { get; }

    /// <summary>True when <see cref="Manifests"/> is set.</summary>
    [MemberNotNullWhen(true, nameof(Manifests))]
    public bool Succeeded => Manifests is not null;

    internal static RenderResult Success(ManifestSet manifests) => new(manifests, []);

    internal static RenderResult Failure(IReadOnlyList<ManifestError> errors) => new(null, errors);
}
