using System.Text.Json.Nodes;

namespace Flotilla.Core.Sync.Normalization;

/// <summary>An object ready to apply, and what was changed in it that the user should hear about.</summary>
public sealed class NormalizedManifest(JsonObject obj, IReadOnlyList<string> warnings)
{
    /// <summary>A new object; the input is never modified.</summary>
    public JsonObject Object { get; } = obj;

    /// <summary>
    /// Notes for the Bundle status, e.g. <c>namespace X ignored: policy/PodSecurityPolicy/y is cluster-scoped</c>.
    /// They name objects and fields, never values. Empty when nothing needs saying.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; } = warnings;
}
