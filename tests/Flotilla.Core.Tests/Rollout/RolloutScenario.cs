using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Flotilla.Core.Clusters;
using Flotilla.Core.Rollout;
using Flotilla.Core.Tests.TestSupport;

namespace Flotilla.Core.Tests.Rollout;

/// <summary>
/// One file under <c>testdata/rollout/</c>: a spec, a fleet of simulated members, and steps in time. Each step changes the
/// fleet the way members would (apply what the last plan said, report health, go offline, join, leave), passes commands,
/// plans, and checks the plan. Between steps the state goes through its JSON form, as a hub restarted at any step would
/// read it back. The format is in <c>testdata/rollout/README.md</c>.
/// </summary>
internal sealed class RolloutScenario
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "testdata", "rollout");

    private readonly JsonObject _document;
    private readonly SortedDictionary<string, Member> _fleet = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _told = new(StringComparer.Ordinal);

    private RolloutScenario(string name)
    {
        Name = name;
        _document = YamlFixture.LoadObject(File.ReadAllText(Path.Combine(Root, name + ".yaml")));
        Spec = ReadSpec(_document["spec"] as JsonObject ?? []);
        foreach (var (cluster, body) in _document["clusters"]!.AsObject())
            _fleet[cluster] = Member.From(body!.AsObject());
    }

    public string Name { get; }

    public RolloutSpec Spec { get; }

    public static string[] Names() =>
        Directory.GetFiles(Root, "*.yaml").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    public static RolloutScenario Load(string name) => new(name);

    /// <summary>Runs every step; <paramref name="check"/> gets the step's number, its <c>expect</c> block and the plan.</summary>
    public void Run(Action<int, JsonObject, RolloutPlan> check)
    {
        var state = InitialState();
        var revision = _document["revision"]?.GetValue<string>();
        var number = 0;
        foreach (var step in _document["steps"]!.AsArray().Select(s => s!.AsObject()))
        {
            number++;
            var now = Start + Duration(step["at"]?.ToString() ?? "0s");
            revision = step["revision"]?.GetValue<string>() ?? revision;
            ChangeFleet(step, now);
            var commands = (step["commands"] as JsonArray ?? []).Select(c => Command(c!.GetValue<string>(), revision!)).ToList();
            var observations = _fleet.Select(m => m.Value.Observe(m.Key)).ToList();

            var plan = RolloutPlanner.Plan(Spec, state, observations, revision!, now, commands);

            // Planning again at the same moment with what was stored changes nothing: a hub that crashed after writing
            // the status and plans again does not move further or record anything twice.
            var again = RolloutPlanner.Plan(Spec, plan.State, observations, revision!, now);
            Assert.True(plan.Equals(again), $"{Name} step {number}: planning twice differs\n{plan.Message} | {again.Message}\n{plan.State.ToJson()}\n{again.State.ToJson()}");

            check(number, step["expect"]!.AsObject(), plan);
            foreach (var c in plan.Clusters) _told[c.Name] = c.Revision;
            var json = plan.State.ToJson();
            state = RolloutState.Parse(json);
            Assert.True(state.Equals(plan.State), $"{Name} step {number}: state changed in its JSON round trip: {json}");
        }
    }

    private RolloutState? InitialState()
    {
        // "settled: r1" — a bundle whose earlier run of r1 completed: every stage passed, r1 is the last healthy revision.
        if (_document["settled"]?.GetValue<string>() is not { } settled) return null;
        var names = Spec.Strategy != RolloutStrategy.Staged ? [RolloutSpec.FleetStageName]
            : Spec.Stages.Select(s => s.Name).Concat(Spec.Unmatched == UnmatchedClusters.Last ? [RolloutSpec.UnmatchedStageName] : []).ToList();
        return new RolloutState
        {
            Revision = settled,
            LastHealthyRevision = settled,
            Stage = names.Count,
            Stages = [.. names.Select(n => new StageSummary(n, 0, 0, 0))],
        };
    }

    private void ChangeFleet(JsonObject step, DateTimeOffset now)
    {
        foreach (var name in Names(step, "leave")) Assert.True(_fleet.Remove(name), $"{Name}: leave {name}: no such cluster");
        foreach (var (name, body) in step["join"] as JsonObject ?? [])
            Assert.True(_fleet.TryAdd(name, Member.From(body!.AsObject())), $"{Name}: join {name}: already there");
        // The member applies what the last plan told it, then reports its health (or not yet, or fails).
        foreach (var name in Names(step, "apply")) Fleet(name).Apply(Told(name), now);
        foreach (var name in Names(step, "sync")) Fleet(name).Apply(Told(name), now).Report(healthy: true, now);
        foreach (var name in Names(step, "fail")) Fleet(name).Apply(Told(name), now).Report(healthy: false, now);
        foreach (var name in Names(step, "healthy")) Fleet(name).Report(healthy: true, now);
        foreach (var name in Names(step, "unhealthy")) Fleet(name).Report(healthy: false, now);
        foreach (var name in Names(step, "offline")) Fleet(name).Reachable = false;
        foreach (var name in Names(step, "online")) Fleet(name).Reachable = true;
        foreach (var (name, labels) in step["relabel"] as JsonObject ?? []) Fleet(name).Labels = Labels(labels!.GetValue<string>());
    }

    private Member Fleet(string name) => _fleet.TryGetValue(name, out var m) ? m : throw new InvalidOperationException($"{Name}: no cluster {name}");

    private string Told(string name) =>
        _told.TryGetValue(name, out var revision) && revision is not null ? revision : throw new InvalidOperationException($"{Name}: nothing told to {name}");

    private static IEnumerable<string> Names(JsonObject step, string key) =>
        step[key]?.GetValue<string>().Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];

    private static RolloutCommand Command(string text, string revision)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // "approve GATE [for REVISION]" and "rollback [REVISION]": the revision the user saw, the current one by default.
        return parts[0] switch
        {
            "pause" => RolloutCommand.Pause(),
            "resume" => RolloutCommand.Resume(),
            "approve" => RolloutCommand.Approve(parts.Length > 3 ? parts[3] : revision, parts[1]),
            "rollback" => RolloutCommand.Rollback(parts.Length > 1 ? parts[1] : revision),
            _ => throw new InvalidOperationException($"unknown command \"{text}\""),
        };
    }

    private static RolloutSpec ReadSpec(JsonObject spec)
    {
        var defaults = new RolloutSpec();
        return new RolloutSpec
        {
            Strategy = Enum.Parse<RolloutStrategy>(spec["strategy"]?.GetValue<string>() ?? nameof(RolloutStrategy.All)),
            MaxConcurrency = Count(spec["maxConcurrency"]),
            MaxFailures = Count(spec["maxFailures"]) ?? defaults.MaxFailures,
            ProgressDeadline = spec["progressDeadline"] is { } d ? Duration(d.ToString()) : defaults.ProgressDeadline,
            MinSuccessTime = spec["minSuccessTime"] is { } m ? Duration(m.ToString()) : defaults.MinSuccessTime,
            OnFailure = Enum.Parse<FailureAction>(spec["onFailure"]?.GetValue<string>() ?? nameof(FailureAction.Pause)),
            Unmatched = Enum.Parse<UnmatchedClusters>(spec["unmatched"]?.GetValue<string>() ?? nameof(UnmatchedClusters.Last)),
            Stages = [.. (spec["stages"] as JsonArray ?? []).Select(s => s!.AsObject()).Select(s => new RolloutStage(
                s["name"]!.GetValue<string>(),
                LabelSelector.Parse(s["selector"]?.GetValue<string>()),
                Count(s["maxConcurrency"]),
                Count(s["maxFailures"]),
                Gates(s["before"]),
                Gates(s["after"])))],
        };
    }

    // "Approval" or a duration (a TimedWait).
    private static ImmutableArray<RolloutGate> Gates(JsonNode? gates) =>
        [.. (gates as JsonArray ?? []).Select(g => g!.GetValue<string>()).Select(g => g == "Approval" ? RolloutGate.Approval : RolloutGate.Wait(Duration(g)))];

    private static IntOrPercent? Count(JsonNode? node) => node is null ? null : IntOrPercent.Parse(node.ToString());

    public static TimeSpan Duration(string text)
    {
        var value = double.Parse(text[..^1], CultureInfo.InvariantCulture);
        return text[^1] switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            _ => throw new FormatException($"duration \"{text}\" needs s, m or h"),
        };
    }

    private static Dictionary<string, string> Labels(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('='))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

    /// <summary>A simulated member: what it applied and when, and its health as the hub last assessed it.</summary>
    private sealed class Member
    {
        public Dictionary<string, string> Labels { get; set; } = [];
        public bool Reachable { get; set; } = true;
        private string? _applied;
        private DateTimeOffset? _appliedAt;
        private bool _healthy;
        private DateTimeOffset? _healthySince;
        private DateTimeOffset? _observedAt;

        // "revision: r1" — applied an hour before the scenario starts and healthy since.
        public static Member From(JsonObject body)
        {
            var member = new Member { Labels = RolloutScenario.Labels(body["labels"]?.GetValue<string>() ?? "") };
            if (body["revision"]?.GetValue<string>() is { } revision)
                member.Apply(revision, Start.AddHours(-1)).Report(body["healthy"]?.GetValue<bool>() ?? true, Start.AddHours(-1));
            return member;
        }

        // The health assessment is not redone by an apply: a Healthy from the old revision stays until re-observed.
        public Member Apply(string revision, DateTimeOffset at)
        {
            (_applied, _appliedAt) = (revision, at);
            return this;
        }

        public Member Report(bool healthy, DateTimeOffset at)
        {
            _healthySince = healthy ? (_healthy ? _healthySince : at) : null;
            (_healthy, _observedAt) = (healthy, at);
            return this;
        }

        public ClusterObservation Observe(string name) => new(name, Labels, Reachable, _applied, _appliedAt, _healthy, _healthySince, _observedAt);
    }
}
