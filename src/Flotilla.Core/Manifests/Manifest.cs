using System.Text.Json.Nodes;

namespace Flotilla.Core.Manifests;

/// <summary>
/// One validated desired object: its JSON body, its identity and where it was read from.
/// Created only by <see cref="ManifestValidator.TryCreate"/>, so every instance has a valid
/// apiVersion, kind and name.
/// </summary>
/// <remarks>
/// The manifest owns <see cref="Object"/>; callers must not mutate it (deep-clone it first to
/// derive a changed object). Equality is by reference, like the JSON body it holds.
/// </remarks>
public sealed class Manifest
{
    internal Manifest(ObjectRef reference, JsonObject body, SourceLocation source, IReadOnlyList<string> warnings)
    {
        Ref = reference;
        Object = body;
        Source = source;
        Warnings = warnings;
    }

    /// <summary>The object's identity.</summary>
    public ObjectRef Ref { get; }

    /// <summary>The object as JSON.</summary>
    public JsonObject Object { get; }

    /// <summary>The file and document it was read from.</summary>
    public SourceLocation Source { get; }

    /// <summary>What validation changed in the object (e.g. a namespace dropped from a cluster-scoped kind); usually empty.</summary>
    public IReadOnlyList<string> Warnings { get; }

    // Its apply stage, 0 until first asked: every cluster's sync groups the bundle's manifests by it, and a Helm hook's
    // annotation decides it, so it is read once per manifest. Manifests are never changed (overrides make new ones).
    private int _stage;

    /// <summary>The stage that applies it (<see cref="Sync.ApplyOrder.StageOf(ObjectRef, JsonObject)"/>), worked out once.</summary>
    internal Sync.ApplyStageKind Stage
    {
        get
        {
            if (_stage == 0) _stage = (int)Sync.ApplyOrder.StageOf(Ref, Object);
            return (Sync.ApplyStageKind)_stage;
        }
    }

    /// <summary><c>ref (source)</c>.</summary>
    public override string ToString() => $"{Ref} ({Source})";
}
