using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;

namespace Flotilla.Core.Sync;

/// <summary>
/// An object ready to plan: its identity with the namespace resolved for this cluster, the body to apply
/// (normalised, labelled as the bundle's, with <see cref="OwnershipLabels.DesiredHash"/> set), and where it came from.
/// </summary>
public sealed record DesiredObject(ObjectRef Ref, JsonObject Body, string Source)
{
    /// <summary>What normalising the rendered object changed that a person should know (a namespace cleared).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The desired-hash annotation the body carries.</summary>
    public string Hash => HashOf(Body);

    /// <summary>The desired hash a prepared body carries ("" when it has none).</summary>
    public static string HashOf(JsonObject body) => body["metadata"]?["annotations"]?[OwnershipLabels.DesiredHash]?.GetValue<string>() ?? "";
}
