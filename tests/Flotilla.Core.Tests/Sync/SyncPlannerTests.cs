using System.Text.RegularExpressions;
using Flotilla.Core.Sync;

namespace Flotilla.Core.Tests.Sync;

/// <summary>
/// Golden cases under <c>testdata/sync-planner/&lt;case&gt;/</c> (formats in that folder's README): each case's
/// <see cref="ChangeSet"/>, section by section and line by line, must be what its <c>expect.txt</c> says.
/// </summary>
public sealed partial class SyncPlannerTests
{
    public static TheoryData<string> Cases() => new(SyncPlannerCase.Names());

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_plans_the_expected_change_set(string name)
    {
        var fixture = SyncPlannerCase.Load(name);
        var actual = Render(fixture.Run());
        var expected = fixture.Expected;
        var report = $"{name}: expected\n  {string.Join("\n  ", expected)}\ngot\n  {string.Join("\n  ", actual)}";

        Assert.True(expected.Count == actual.Count, report);
        foreach (var (want, got) in expected.Zip(actual))
            Assert.True(LineMatches(want, got), $"line \"{want}\" does not match \"{got}\"\n{report}");
    }

    [Fact]
    public void Cases_cover_every_change_action_and_the_refusal()
    {
        var lines = SyncPlannerCase.Names().SelectMany(n => SyncPlannerCase.Load(n).Expected).ToList();
        foreach (var action in Enum.GetValues<ChangeAction>())
            Assert.Contains(lines, l => l.StartsWith($"{action} ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("refusal:", StringComparison.Ordinal));
    }

    [Fact]
    public void Conflicted_keeps_the_manager_and_the_server_reason_and_stops_the_stage()
    {
        var create = new PlannedChange(new("", "v1", "ConfigMap", "shop", "settings"), ChangeAction.Create, new(), null);
        var conflict = SyncPlanner.Conflicted(create, "Apply failed with 1 conflict: conflict with \"helm\": .data.mode", "helm");

        Assert.Equal(ChangeAction.Conflict, conflict.Action);
        Assert.Equal("helm", conflict.Manager);
        Assert.Contains(".data.mode", conflict.Detail);
        Assert.False(conflict.Writes);
        Assert.True(conflict.Blocks);
        Assert.Same(conflict, new StagePlan(ApplyStageKind.Resources, [create, conflict]).FirstBlocking);
    }

    [Fact]
    public void Refusal_only_for_an_empty_render_over_a_non_empty_inventory_without_allow_empty()
    {
        var inventory = Inventory.Parse("_ConfigMap_shop_a_v1\n");

        Assert.Contains("refusing to prune the 1 applied", SyncPlanner.Refusal(0, inventory, new SyncPolicy()));
        Assert.Null(SyncPlanner.Refusal(0, inventory, new SyncPolicy(AllowEmpty: true)));
        Assert.Null(SyncPlanner.Refusal(1, inventory, new SyncPolicy()));
        Assert.Null(SyncPlanner.Refusal(0, Inventory.Empty, new SyncPolicy()));
    }

    /// <summary>
    /// <c>Action Ref ["detail substring"] [manager=name] [force]</c>; a missing part means it must be absent
    /// (no detail, no manager, no force). Section lines (<c>[Resources]</c>, <c>[Prune]</c>, <c>refusal: …</c>)
    /// must match exactly, the refusal by substring. Double quotes inside a detail are shown as single quotes.
    /// </summary>
    private static bool LineMatches(string want, string got)
    {
        if (want.StartsWith("refusal:", StringComparison.Ordinal))
            return got.StartsWith("refusal:", StringComparison.Ordinal) && got.Contains(want["refusal:".Length..].Trim(), StringComparison.Ordinal);
        if (want.StartsWith('[')) return want == got;

        var w = ChangeLine().Match(want);
        Assert.True(w.Success, $"malformed expect line \"{want}\"");
        var g = ChangeLine().Match(got);
        if (!g.Success) return false;
        return w.Groups["action"].Value == g.Groups["action"].Value
            && w.Groups["ref"].Value == g.Groups["ref"].Value
            && (w.Groups["detail"].Success ? g.Groups["detail"].Value.Contains(w.Groups["detail"].Value, StringComparison.Ordinal) : !g.Groups["detail"].Success)
            && w.Groups["manager"].Value == g.Groups["manager"].Value
            && w.Groups["force"].Success == g.Groups["force"].Success;
    }

    private static List<string> Render(ChangeSet plan)
    {
        var lines = new List<string>();
        if (plan.Refusal is not null) lines.Add($"refusal: {plan.Refusal}");
        foreach (var stage in plan.Stages)
        {
            lines.Add($"[{stage.Kind}]");
            lines.AddRange(stage.Changes.Select(Render));
        }
        if (plan.Prunes.Count > 0)
        {
            lines.Add("[Prune]");
            lines.AddRange(plan.Prunes.Select(Render));
        }
        return lines;
    }

    private static string Render(PlannedChange c) =>
        $"{c.Action} {c.Ref}{(c.Detail is null ? "" : $" \"{c.Detail.Replace('"', '\'')}\"")}{(c.Manager is null ? "" : $" manager={c.Manager}")}{(c.Force ? " force" : "")}";

    [GeneratedRegex("""^(?<action>\w+) (?<ref>\S+)(?: "(?<detail>[^"]*)")?(?: manager=(?<manager>\S+))?(?<force> force)?$""")]
    private static partial Regex ChangeLine();
}
