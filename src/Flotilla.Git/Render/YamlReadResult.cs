using Flotilla.Core.Manifests;

namespace Flotilla.Git.Render;

/// <summary>The outcome of reading one YAML stream: objects, or the errors that stopped it (never both).</summary>
public sealed class YamlReadResult
{
    internal YamlReadResult(IReadOnlyList<ParsedObject> objects, IReadOnlyList<ManifestError> errors)
    {
        Objects = objects;
        Errors = errors;
    }

    /// <summary>The mappings read, in document order; empty when <see cref="Errors"/> is not.</summary>
    public IReadOnlyList<ParsedObject> Objects { get; }

    /// <summary>Why reading stopped; empty on success.</summary>
    public IReadOnlyList<ManifestError> Errors { get; }

    /// <summary>True when there are no errors.</summary>
    public bool Succeeded => Errors.Count == 0;

    internal static YamlReadResult Failed(ManifestError error) => new([], [error]);
}
