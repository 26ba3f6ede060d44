using System.Text.Json.Nodes;

namespace Flotilla.Core.Overrides;

/// <summary>RFC 7386 JSON Merge Patch, in place: objects merge, <c>null</c> deletes, anything else (arrays too) replaces.</summary>
internal static class MergePatcher
{
    public static void Apply(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null) target.Remove(key);
            else if (value is JsonObject inner)
            {
                if (target[key] is not JsonObject existing) target[key] = existing = new JsonObject();
                Apply(existing, inner);
            }
            else target[key] = value.DeepClone();
        }
    }
}
