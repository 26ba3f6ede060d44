using System.Text.Json.Nodes;

namespace Flotilla.Core.Overrides;

/// <summary>An RFC 7386 JSON Merge Patch: objects merge, <c>null</c> deletes, lists and values replace. It creates what is missing, so it never fails on a path.</summary>
/// <param name="Patch">The patch; not mutated.</param>
public sealed record MergePatchOverride(JsonObject Patch) : OverrideAction
{
    internal override IEnumerable<string> Problems() => Patch.Count == 0 ? ["mergePatch is empty"] : [];

    internal override ChangeProblem? ApplyTo(JsonObject body)
    {
        MergePatcher.Apply(body, Patch);
        return null;
    }
}
