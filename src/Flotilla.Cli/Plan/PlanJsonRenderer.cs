using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flotilla.Cli.Plan;

/// <summary>
/// The plan as JSON (<c>-o json</c>), for scripts: every bundle (unchanged ones too) with its outcome, clusters (each
/// naming its diff group) and the diff groups with their object lines; field names are stable.
/// </summary>
public static class PlanJsonRenderer
{
    // Not for HTML: "<redacted: changed>" stays readable instead of becoming \u003C…\u003E.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(TextWriter output, FleetPlan plan) => output.WriteLine(ToJson(plan).ToJsonString(Indented));

    public static JsonObject ToJson(FleetPlan plan) => new()
    {
        ["source"] = plan.Source,
        ["outcome"] = plan.Outcome.ToString(),
        ["bundles"] = new JsonArray([.. plan.Bundles.Select(Bundle)]),
    };

    private static JsonObject Bundle(BundlePlan bundle)
    {
        var groups = DiffGrouping.Group(bundle.Clusters);
        return new JsonObject
        {
            ["namespace"] = bundle.Namespace,
            ["name"] = bundle.Name,
            ["revision"] = bundle.Revision,
            ["outcome"] = bundle.Outcome.ToString(),
            ["errors"] = Strings(bundle.Errors),
            ["clusters"] = new JsonArray([.. bundle.Clusters.Select(c => new JsonObject
            {
                ["name"] = c.Cluster,
                ["placement"] = c.Membership.ToString(),
                ["reason"] = c.Reason,
                ["stage"] = c.Stage,
                ["appliedOverrides"] = Strings(c.AppliedOverrides),
                ["outcome"] = c.Outcome.ToString(),
                ["error"] = c.Error,
                ["diff"] = DiffGrouping.LabelOf(groups, c.Cluster),
            })]),
            ["rollout"] = bundle.Stages.IsEmpty ? null : new JsonObject
            {
                ["strategy"] = bundle.RolloutStrategy,
                ["stages"] = new JsonArray([.. PlanText.Stages(bundle).Select(s => new JsonObject { ["name"] = s.Stage, ["clusters"] = Strings(s.Clusters) })]),
            },
            ["diffs"] = new JsonArray([.. groups.Select(g => new JsonObject
            {
                ["label"] = g.Label,
                ["clusters"] = Strings(g.Clusters),
                ["changes"] = new JsonArray([.. g.Changes.Select(c => new JsonObject
                {
                    ["object"] = c.Object,
                    ["action"] = c.Action.ToString(),
                    ["failed"] = c.Failed,
                    ["line"] = c.Line,
                    ["diff"] = c.Diff,
                })]),
            })]),
        };
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
}
