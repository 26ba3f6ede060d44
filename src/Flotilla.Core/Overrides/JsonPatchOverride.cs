using System.Text.Json.Nodes;

namespace Flotilla.Core.Overrides;

/// <summary>An RFC 6902 JSON Patch (add, remove, replace, move, copy, test), applied in order; every path must exist as the RFC says.</summary>
/// <param name="Patch">The operations, as JSON objects with <c>op</c>, <c>path</c>, and <c>from</c> or <c>value</c>. Not mutated.</param>
public sealed record JsonPatchOverride(JsonArray Patch) : OverrideAction
{
    internal override IEnumerable<string> Problems()
    {
        if (Patch.Count == 0) return ["jsonPatch has no operations"];
        JsonPatchOperation.TryParseAll(Patch, out _, out var problems);
        return problems;
    }

    internal override ChangeProblem? ApplyTo(JsonObject body)
    {
        // Validated before any cluster sees it (BundleOverrides.Prepare), so parsing cannot fail here.
        JsonPatchOperation.TryParseAll(Patch, out var operations, out _);
        return JsonPatcher.Apply(body, operations!);
    }
}
