using System.Collections.Immutable;
using Flotilla.Core.Manifests;

namespace Flotilla.Core.Overrides;

/// <summary>
/// One cluster's objects after overrides, or why it cannot have them. Shared by every cluster with the same
/// <see cref="OverrideKey"/>, so it names no cluster. Objects no rule or variable changed are the input
/// <see cref="Manifest"/> instances themselves (so per-manifest caches such as <c>DesiredObjects</c> keep hitting).
/// </summary>
public sealed class OverrideResult
{
    internal OverrideResult(ManifestSet? manifests, ImmutableArray<string> appliedOverrides, ImmutableArray<OverrideError> errors)
    {
        Manifests = manifests;
        AppliedOverrides = appliedOverrides;
        Errors = errors;
    }

    /// <summary>The cluster's objects; null when <see cref="Errors"/> is not empty (the cluster keeps what it has).</summary>
    public ManifestSet? Manifests { get; }

    /// <summary>The rules that match this cluster and target an object, in the order they apply (<c>appliedOverrides</c> in status).</summary>
    public ImmutableArray<string> AppliedOverrides { get; }

    /// <summary>Every object that failed, with its first error, in object order; empty on success.</summary>
    public ImmutableArray<OverrideError> Errors { get; }

    /// <summary>True when the cluster has its objects.</summary>
    public bool Succeeded => Errors.IsEmpty;
}
