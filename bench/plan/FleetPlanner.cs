using Flotilla.Core.Overrides;
using Flotilla.Core.Placement;
using Flotilla.Core.Rollout;

namespace Flotilla.Bench.Plan;

/// <summary>One bundle's plan: its placement (with what a re-decision can reuse), prepared overrides and rollout plan.</summary>
internal sealed record BundlePlan(PlacementSnapshot Placement, PreparedOverrides? Overrides, RolloutPlan Rollout);

/// <summary>
/// The planning the hub does for a fleet, without any I/O: placement, then overrides for every selected cluster, then the
/// rollout plan. <see cref="Current"/> and the bundle counts are the previous plan's (the hub's steady state).
/// </summary>
internal sealed class FleetPlanner(SimulatedBundle[] bundles, DateTimeOffset now)
{
    public const string Revision = "rev-2";

    public IReadOnlySet<string>[] Current { get; private set; } = [.. bundles.Select(_ => new HashSet<string>())];

    /// <summary>How many other bundles each cluster holds, per bundle, as plain dictionaries (LeastBundles reads them).</summary>
    public IReadOnlyDictionary<string, int>[] OtherCounts { get; private set; } = [.. bundles.Select(_ => new Dictionary<string, int>())];

    // The same counts as the hub keeps them: one versioned table, each bundle's input a view less its own clusters.
    private BundleCountTable _table = BundleCountTable.Create();

    /// <summary>Plans every bundle in full: a new commit of every bundle, or a hub starting.</summary>
    public BundlePlan[] PlanAll(SimulatedFleet fleet)
    {
        var plans = new BundlePlan[bundles.Length];
        for (var b = 0; b < bundles.Length; b++)
        {
            var bundle = bundles[b];
            var placement = PlacementSnapshot.Take(bundle.Placement, Input(fleet, b));
            var prepared = bundle.Overrides.Count == 0 ? null
                : BundleOverrides.TryPrepare(bundle.Overrides, bundle.Manifests, out var ready, out var errors) ? ready
                : throw new InvalidOperationException($"{bundle.Name}: {string.Join("; ", errors)}");
            var outcomes = placement.Decision.Outcomes;
            for (var i = 0; i < outcomes.Length; i++)
                if (outcomes[i].Selected && prepared?.Apply(fleet.OverrideClusters[i]) is { Succeeded: false } failed)
                    throw new InvalidOperationException($"{bundle.Name} on {outcomes[i].Cluster}: {failed.Errors[0].Message}");
            plans[b] = new BundlePlan(placement, prepared, Rollout(fleet, b, placement.Decision, null));
        }
        return plans;
    }

    /// <summary>
    /// Plans again after <paramref name="changed"/> changed in <paramref name="fleet"/>: every bundle's placement (decided in
    /// full, or through its snapshot), that cluster's overrides where it is selected (the others' inputs did not change),
    /// and a rollout plan for each bundle whose placed clusters changed.
    /// </summary>
    public BundlePlan[] Replan(BundlePlan[] previous, SimulatedFleet fleet, string changed, bool incremental) =>
        Replan(previous, fleet, changed, b => incremental
            ? previous[b].Placement.Redecide(Input(fleet, b), [changed])
            : PlacementSnapshot.Take(bundles[b].Placement, Input(fleet, b)));

    /// <summary>
    /// Plans again the way the hub's bundle reconciles do: each bundle through <see cref="PlacementMemo"/>, with the
    /// inputs built as <c>BundleReconciler</c> builds them — the directory's facts list, the targets' set of the bundle's
    /// current clusters (one instance while it stays the same) and a view of the versioned count table less the bundle's
    /// own clusters — so the memo finds the changed clusters itself. (The hub publishes a bundle whose clusters moved
    /// before the next one decides; here every bundle decides from the steady counts, as the full re-plan does, so the
    /// decisions can be compared.)
    /// </summary>
    public BundlePlan[] ReplanLikeTheHub(BundlePlan[] previous, SimulatedFleet fleet, string changed, PlacementMemo memo) =>
        Replan(previous, fleet, changed, b => memo.Decide(bundles[b].Name, 1, () => bundles[b].Placement, HubInput(fleet, b)));

    /// <summary>A memo that has seen every bundle's steady input, as a hub that has run a while has.</summary>
    public PlacementMemo PrimedMemo(SimulatedFleet fleet)
    {
        var memo = new PlacementMemo();
        for (var b = 0; b < bundles.Length; b++) memo.Decide(bundles[b].Name, 1, () => bundles[b].Placement, HubInput(fleet, b));
        return memo;
    }

    private BundlePlan[] Replan(BundlePlan[] previous, SimulatedFleet fleet, string changed, Func<int, PlacementSnapshot> place)
    {
        var plans = new BundlePlan[bundles.Length];
        var index = fleet.IndexOf(changed);
        for (var b = 0; b < bundles.Length; b++)
        {
            var before = previous[b];
            var placement = place(b);
            var decision = placement.Decision;
            if (decision.Outcomes[index].Selected) before.Overrides?.Apply(fleet.OverrideClusters[index]);
            var rollout = decision.Selected.SequenceEqual(before.Placement.Decision.Selected)
                ? before.Rollout
                : Rollout(fleet, b, decision, before.Rollout.State);
            plans[b] = new BundlePlan(placement, before.Overrides, rollout);
        }
        return plans;
    }

    /// <summary>Makes <paramref name="plans"/> the steady state the next plans start from.</summary>
    public void Settle(BundlePlan[] plans)
    {
        Current = [.. plans.Select(p => p.Placement.Decision.Selected.ToHashSet(StringComparer.Ordinal))];
        _table = Current.Aggregate(BundleCountTable.Create(), (table, own) => table.Add([.. own], +1));
        OtherCounts = [.. Current.Select(own => new OtherBundleCounts(_table, own).ToDictionary(StringComparer.Ordinal))];
    }

    private PlacementInput Input(SimulatedFleet fleet, int bundle) =>
        new(fleet.Facts, now) { Current = Current[bundle], BundleCounts = OtherCounts[bundle] };

    private PlacementInput HubInput(SimulatedFleet fleet, int bundle) =>
        new(fleet.Facts, now) { Current = Current[bundle], BundleCounts = new OtherBundleCounts(_table, Current[bundle]) };

    private RolloutPlan Rollout(SimulatedFleet fleet, int bundle, PlacementDecision decision, RolloutState? state)
    {
        var observations = new List<ClusterObservation>(decision.Selected.Length);
        var outcomes = decision.Outcomes;
        for (var i = 0; i < outcomes.Length; i++)
            if (outcomes[i].Selected) observations.Add(fleet.Observations[i]);
        return RolloutPlanner.Plan(bundles[bundle].Rollout, state, observations, Revision, now);
    }
}
