using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Flotilla.Core.Clusters;

namespace Flotilla.Core.Overrides;

/// <summary>
/// Sets entries of <c>metadata.labels</c> or <c>metadata.annotations</c>; a null value removes the entry. Only the
/// object's own metadata: a pod template's labels feed selectors, so changing them takes an explicit patch.
/// </summary>
public sealed record MetadataOverride(MetadataField Field, ImmutableSortedDictionary<string, string?> Entries) : OverrideAction
{
    internal override IEnumerable<string> Problems()
    {
        var field = Name;
        if (Entries.IsEmpty) yield return $"{field} is empty";
        foreach (var (key, value) in Entries)
        {
            if (!LabelValidation.IsValidKey(key)) yield return $"{field}: \"{key}\" is not a valid key";
            else if (Field == MetadataField.Labels && value is not null && !LabelValidation.IsValidValue(value))
                yield return $"{field}: the value of \"{key}\" is not a valid label value";
        }
    }

    internal override ChangeProblem? ApplyTo(JsonObject body)
    {
        if (body["metadata"] is not JsonObject metadata) return ChangeProblem.WrongType("/metadata", "an object");
        if (metadata[Name] is null) metadata[Name] = new JsonObject();
        if (metadata[Name] is not JsonObject map) return ChangeProblem.WrongType($"/metadata/{Name}", "a map");
        foreach (var (key, value) in Entries)
        {
            if (value is null) map.Remove(key);
            else map[key] = value;
        }

        return null;
    }

    private string Name => Field switch
    {
        MetadataField.Labels => "labels",
        MetadataField.Annotations => "annotations",
    };
}
