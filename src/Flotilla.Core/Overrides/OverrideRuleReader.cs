using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Flotilla.Core.Clusters;

namespace Flotilla.Core.Overrides;

/// <summary>
/// Reads rules written the way <c>Bundle.spec.overrides</c> holds them (see <c>docs/overrides.md</c>) into the domain
/// rules, with the actions in the documented order: jsonPatch, mergePatch, image, replicas, env, labels, annotations.
/// A field of the wrong shape throws <see cref="FormatException"/> naming the rule and the field (the Bundle is Stalled).
/// </summary>
public static class OverrideRuleReader
{
    public static List<OverrideRule> Read(IEnumerable<JsonObject> rules) => rules.Select((rule, i) =>
    {
        try { return Read(rule); }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            throw new FormatException($"spec.overrides[{i}] ({rule["name"]?.ToString() ?? "no name"}): {e.Message}", e);
        }
    }).ToList();

    public static OverrideRule Read(JsonObject rule) =>
        new(
            rule["name"]?.GetValue<string>() ?? "",
            (int)(rule["priority"]?.GetValue<long>() ?? 0),
            rule["clusterSelector"] is JsonObject selector ? Selector(selector) : null,
            [.. (rule["targets"] as JsonArray ?? []).OfType<JsonObject>().Select(Target)],
            [.. Actions(rule)]);

    public static LabelSelector Selector(JsonObject selector)
    {
        var matchLabels = (selector["matchLabels"] as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        var requirements = LabelSelector.FromMatchLabels(matchLabels).Requirements.ToBuilder();
        foreach (var e in (selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var text = e["operator"]?.GetValue<string>();
            var op = MatchExpressionOperators.Parse(text) ?? throw new FormatException($"matchExpressions operator \"{text}\" is not one of {MatchExpressionOperators.Expected}");
            requirements.Add(new LabelRequirement(e["key"]!.GetValue<string>(), op,
                [.. (e["values"] as JsonArray ?? []).Select(v => v!.GetValue<string>()).Order(StringComparer.Ordinal)]));
        }

        return new LabelSelector(requirements.ToImmutable());
    }

    private static ObjectTarget Target(JsonObject target) =>
        new(target["kind"]?.GetValue<string>(), target["name"]?.GetValue<string>(), target["namespace"]?.GetValue<string>(),
            target["labelSelector"] is JsonObject labels ? Selector(labels) : null);

    private static IEnumerable<OverrideAction> Actions(JsonObject rule)
    {
        if (rule["jsonPatch"] is JsonArray jsonPatch) yield return new JsonPatchOverride(jsonPatch);
        if (rule["mergePatch"] is JsonObject mergePatch) yield return new MergePatchOverride(mergePatch);
        if (rule["image"] is JsonObject image)
            yield return new ImageOverride(image["container"]?.GetValue<string>(), image["image"]?.GetValue<string>(), image["registry"]?.GetValue<string>());
        if (rule["replicas"] is JsonValue replicas) yield return new ReplicasOverride((int)replicas.GetValue<long>());
        foreach (var env in (rule["env"] as JsonArray ?? []).OfType<JsonObject>())
            yield return new EnvOverride(env["container"]?.GetValue<string>(), env["name"]?.GetValue<string>() ?? "", env["value"]?.GetValue<string>() ?? "",
                Enum.Parse<EnvMode>(env["mode"]?.GetValue<string>() ?? nameof(EnvMode.Set)));
        if (rule["labels"] is JsonObject labels) yield return Metadata(MetadataField.Labels, labels);
        if (rule["annotations"] is JsonObject annotations) yield return Metadata(MetadataField.Annotations, annotations);
    }

    private static MetadataOverride Metadata(MetadataField field, JsonObject entries) =>
        new(field, entries.ToImmutableSortedDictionary(p => p.Key, p => p.Value?.GetValue<string>(), StringComparer.Ordinal));
}
