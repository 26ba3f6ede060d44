using System.Collections.Immutable;
using System.Globalization;

namespace Flotilla.Core.Rollout;

/// <summary>
/// One plan of one run, in three passes over the clusters: assess (stage, status, deadline of each cluster, counts per
/// stage), advance (the stage machine: gates, budgets, releases, bake), emit (revisions and the new state). Working
/// memory is a few arrays sized by the clusters and the stages; nothing is looked up by hash.
/// </summary>
internal sealed class RolloutRun
{
    private const int Unmatched = -1;
    private const string NothingToRollBackTo = "no revision was fully healthy yet to roll back to";

    private readonly RolloutSpec _spec;
    private readonly ImmutableArray<RolloutStage> _stages;
    private readonly RolloutState _state;
    private readonly IReadOnlyList<ClusterObservation> _members;
    private readonly string _target;
    private readonly DateTimeOffset _now;

    private readonly int[] _stageOf;
    private readonly ClusterRolloutStatus[] _status;
    private readonly ClusterRecord?[] _record;
    private readonly StageCounts[] _counts;
    private readonly List<string> _unmatched = [];

    public RolloutRun(RolloutSpec spec, ImmutableArray<RolloutStage> stages, RolloutState state,
        IReadOnlyList<ClusterObservation> members, string target, DateTimeOffset now)
    {
        (_spec, _stages, _state, _members, _target, _now) = (spec, stages, state, members, target, now);
        _stageOf = new int[members.Count];
        _status = new ClusterRolloutStatus[members.Count];
        _record = new ClusterRecord?[members.Count];
        _counts = new StageCounts[stages.Length];
    }

    private bool Active => !_state.Paused && _state.Halted is null && _state.RolledBack is null;

    public RolloutPlan Plan()
    {
        Assess(detectFailures: Active);
        if (_state.RolledBack is { } why)
        {
            return _state.LastHealthyRevision is { } back
                ? Emit(_state, RolloutPhase.RolledBack, $"{why}: rolled back to {back}", null)
                : Halt(_state with { RolledBack = null }, $"{why}, but {NothingToRollBackTo}");
        }
        if (_state.Halted is { } halted) return Emit(_state, RolloutPhase.Halted, $"{halted}: paused", null);
        if (_unmatched.Count > 0)
            return Emit(_state, RolloutPhase.Invalid, $"clusters in no stage (unmatched: Error): {Names(_unmatched)}", null);
        if (_state.Paused)
            return Emit(_state, RolloutPhase.Paused, _state.Stage < _stages.Length ? $"paused by command at stage {_stages[_state.Stage].Name}" : "paused by command", null);
        return Advance();
    }

    private void Assess(bool detectFailures)
    {
        var records = _state.Clusters;
        var r = 0;
        for (var i = 0; i < _members.Count; i++)
        {
            var o = _members[i];
            while (r < records.Length && string.CompareOrdinal(records[r].Name, o.Name) < 0) r++;
            var record = r < records.Length && records[r].Name == o.Name ? records[r] : null;
            var stage = _stageOf[i] = StageOf(o);
            _record[i] = record;
            if (stage == Unmatched)
            {
                _status[i] = ClusterRolloutStatus.Unmatched;
                _unmatched.Add(o.Name);
                continue;
            }
            _status[i] = Classify(o, stage, ref _record[i], detectFailures, out var deadline);
            _counts[stage].Add(_status[i], o, deadline);
        }
    }

    private ClusterRolloutStatus Classify(ClusterObservation o, int stage, ref ClusterRecord? record, bool detectFailures, out DateTimeOffset? deadline)
    {
        deadline = null;
        if (record?.Failure is not null) return ClusterRolloutStatus.Failed;
        if (o.IsDoneAt(_target))
        {
            record = null; // done is read from the member from now on
            return ClusterRolloutStatus.Done;
        }
        var appliedTarget = o.AppliedRevision == _target;
        if (record is null && !appliedTarget) return stage < _state.Stage ? ClusterRolloutStatus.Deferred : ClusterRolloutStatus.Pending;

        // Released and not done. The deadline runs from the later of release and apply; a cluster found on the new
        // revision without being released (ahead of its stage) is judged only while its stage is rolling.
        var since = Later(record?.ReleasedAt, appliedTarget ? o.AppliedAt : null) ?? _now;
        deadline = since + _spec.ProgressDeadline;
        var judged = record is not null || (stage == _state.Stage && _state.Step == RolloutStep.Rolling);
        if (!detectFailures || !judged || _now < deadline) return ClusterRolloutStatus.InFlight;
        var reason = !o.Reachable ? "unreachable" : appliedTarget ? "not healthy on the new revision" : "new revision not applied";
        record = new ClusterRecord(o.Name, since, $"{reason} within {Format(_spec.ProgressDeadline)}");
        return ClusterRolloutStatus.Failed;
    }

    // The requirements are checked in a loop rather than through LabelSelector.Matches, whose LINQ closure would be
    // allocated for every cluster and stage: this runs 5,000 clusters × 200 bundles per full plan.
    private int StageOf(ClusterObservation o)
    {
        for (var s = 0; s < _stages.Length; s++)
        {
            var matches = true;
            foreach (var requirement in _stages[s].Selector.Requirements)
            {
                if (requirement.Matches(o.Labels)) continue;
                matches = false;
                break;
            }
            if (matches) return s;
        }
        return Unmatched;
    }

    private RolloutPlan Advance()
    {
        var (stage, step, gate, since) = (_state.Stage, _state.Step, _state.Gate, _state.StepSince ?? _now);
        var summaries = _state.Stages.ToBuilder();
        var runTotal = 0;
        var runFailed = 0;
        foreach (var c in _counts) (runTotal, runFailed) = (runTotal + c.Total, runFailed + c.Failed);

        while (true)
        {
            RolloutState Moved() => _state with { Stage = stage, Step = step, Gate = gate, StepSince = since, Stages = summaries.ToImmutable() };

            if (stage >= _stages.Length)
            {
                var done = _counts.Sum(c => c.Done);
                var message = done == runTotal
                    ? $"{_target} is done on all {runTotal} clusters"
                    : $"{_target} is done on {done} of {runTotal} clusters" + (runFailed > 0 ? $", {runFailed} failed within the budget" : "");
                return Emit(Moved() with { LastHealthyRevision = _target }, RolloutPhase.Completed, message, null);
            }

            var st = _stages[stage];
            ref var counts = ref _counts[stage];
            if (counts.Total == 0)
            {
                // An empty stage is skipped with its gates (kubefleet#610): nothing in it needs guarding.
                summaries[stage] = counts.Summary(st.Name);
                (stage, step, gate, since) = (stage + 1, RolloutStep.Before, 0, _now);
                continue;
            }
            if (step != RolloutStep.Rolling)
            {
                var gates = step == RolloutStep.Before ? st.Before : st.After;
                if (gate < gates.Length)
                {
                    var id = RolloutGate.Id(st.Name, step, gate);
                    var g = gates[gate];
                    if (g.Kind == GateKind.Approval && !_state.Approvals.Contains(id))
                        return Emit(Moved(), RolloutPhase.AwaitingApproval, $"stage {st.Name} waits for approval ({id})", null, id);
                    if (g.Kind == GateKind.TimedWait && _now < since + g.Duration)
                        return Emit(Moved(), RolloutPhase.Waiting, $"stage {st.Name} waits until {Stamp(since + g.Duration)} ({id})", since + g.Duration);
                    (gate, since) = (gate + 1, _now);
                    continue;
                }
                if (step == RolloutStep.Before) (step, gate, since) = (RolloutStep.Rolling, 0, _now);
                else (stage, step, gate, since) = (stage + 1, RolloutStep.Before, 0, _now);
                continue;
            }

            var stageBudget = (st.MaxFailures ?? _spec.MaxFailures).Of(counts.Total);
            var runBudget = _spec.MaxFailures.Of(runTotal);
            if (counts.Failed > stageBudget) return Fail(Moved(), $"stage {st.Name}: {counts.Failed} of {counts.Total} failed, budget {stageBudget}");
            if (runFailed > runBudget) return Fail(Moved(), $"run: {runFailed} of {runTotal} failed, budget {runBudget}");

            var limit = st.MaxConcurrency is { } max ? Math.Max(1, max.Of(counts.Total)) : int.MaxValue;
            if (counts.Pending > 0 && counts.InFlight < limit) Release(stage, limit - counts.InFlight, ref counts);
            if (counts.Pending > 0 || counts.InFlight > 0)
            {
                var message = $"stage {st.Name}: {counts.Done} of {counts.Total} done, {counts.InFlight} in flight"
                    + (counts.Pending > 0 ? $", {counts.Pending} waiting" : "")
                    + (counts.Failed > 0 ? $", {counts.Failed} failed (budget {stageBudget})" : "");
                return Emit(Moved(), RolloutPhase.Progressing, message, counts.EarliestDeadline);
            }
            var bakedAt = counts.LatestHealthyStart + _spec.MinSuccessTime;
            if (_spec.MinSuccessTime > TimeSpan.Zero && _now < bakedAt)
                return Emit(Moved(), RolloutPhase.Baking, $"stage {st.Name}: {counts.Done} of {counts.Total} done, baking until {Stamp(bakedAt)}", bakedAt);
            summaries[stage] = counts.Summary(st.Name);
            (step, gate, since) = (RolloutStep.After, 0, _now);
        }
    }

    private void Release(int stage, int slots, ref StageCounts counts)
    {
        for (var i = 0; i < _members.Count && slots > 0; i++)
        {
            if (_stageOf[i] != stage || _status[i] != ClusterRolloutStatus.Pending) continue;
            _status[i] = ClusterRolloutStatus.InFlight;
            _record[i] = new ClusterRecord(_members[i].Name, _now);
            counts.Released(_now + _spec.ProgressDeadline);
            slots--;
        }
    }

    private RolloutPlan Fail(RolloutState state, string reason) =>
        _spec.OnFailure == FailureAction.Pause ? Halt(state, reason)
        : state.LastHealthyRevision is { } back ? Emit(state with { RolledBack = reason }, RolloutPhase.RolledBack, $"{reason}: rolled back to {back}", null)
        : Halt(state, $"{reason}, and {NothingToRollBackTo}");

    private RolloutPlan Halt(RolloutState state, string reason) => Emit(state with { Halted = reason }, RolloutPhase.Halted, $"{reason}: paused", null);

    private RolloutPlan Emit(RolloutState state, RolloutPhase phase, string message, DateTimeOffset? recheckAt, string? awaiting = null)
    {
        var clusters = ImmutableArray.CreateBuilder<ClusterRollout>(_members.Count);
        var records = ImmutableArray.CreateBuilder<ClusterRecord>();
        var back = phase == RolloutPhase.RolledBack ? state.LastHealthyRevision : null;
        var completed = phase == RolloutPhase.Completed;
        for (var i = 0; i < _members.Count; i++)
        {
            var o = _members[i];
            var status = _status[i];
            if (_record[i] is { } record) records.Add(record);
            var moved = completed || status is ClusterRolloutStatus.InFlight or ClusterRolloutStatus.Done or ClusterRolloutStatus.Failed;
            if (completed && status == ClusterRolloutStatus.Deferred) status = ClusterRolloutStatus.InFlight;
            // A rollback returns the clusters that moved; the others keep what they have, as when not reached yet.
            var revision = moved ? back ?? _target : o.AppliedRevision ?? state.LastHealthyRevision;
            clusters.Add(new ClusterRollout(o.Name, revision, _stageOf[i] == Unmatched ? null : _stages[_stageOf[i]].Name, status));
        }
        // Stages already passed keep their frozen counts; the current one and those after it show today's.
        var summaries = state.Stages.ToBuilder();
        for (var s = state.Stage; s < _stages.Length; s++) summaries[s] = _counts[s].Summary(_stages[s].Name);
        var next = state with { Clusters = records.ToImmutable(), Stages = summaries.ToImmutable() };
        return new RolloutPlan(clusters.MoveToImmutable(), next, phase, message, recheckAt, awaiting);
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static string Names(List<string> names) =>
        names.Count <= 5 ? string.Join(", ", names) : $"{string.Join(", ", names.Take(5))} and {names.Count - 5} more";

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    internal static string Format(TimeSpan span) =>
        span.TotalHours >= 1 && span.Minutes == 0 && span.Seconds == 0 ? $"{(int)span.TotalHours}h"
        : span.TotalMinutes >= 1 && span.Seconds == 0 ? $"{(int)span.TotalMinutes}m"
        : $"{(int)span.TotalSeconds}s";
}
