using Flotilla.Core.Clusters;
using Flotilla.Core.Overrides;
using Flotilla.Core.Placement;
using Flotilla.Core.Rollout;

namespace Flotilla.Bench.Plan;

/// <summary>
/// A generated fleet, in the three shapes the pure engines read: placement facts, override inputs and rollout
/// observations, all in ordinal name order (as the hub passes them). Seeded, so every run plans the same fleet.
/// </summary>
internal sealed record SimulatedFleet(ClusterFacts[] Facts, OverrideCluster[] OverrideClusters, ClusterObservation[] Observations)
{
    public static readonly string[] Regions = ["ap-south", "eu-central", "eu-west", "us-east", "us-west"];
    public static readonly string[] Envs = ["dev", "staging", "prod"];
    public static readonly string[] Tiers = ["bronze", "silver", "gold"];

    /// <summary>
    /// <paramref name="count"/> clusters: region (5), env (30% dev, 20% staging, 50% prod), tier (3) and team (20) labels;
    /// <c>compliance=pci:NoSelect</c> on 5%, <c>maintenance=planned:PreferNoSelect</c> on 8%; properties cost and
    /// gpu-count (80% without GPUs); Kubernetes v1.27–v1.31 and 3–200 nodes; 2% unavailable for 1–600 minutes.
    /// </summary>
    public static SimulatedFleet Generate(int count, DateTimeOffset now, int seed = 8)
    {
        var random = new Random(seed);
        var facts = new ClusterFacts[count];
        for (var i = 0; i < count; i++)
        {
            var taints = new List<ClusterTaint>();
            var roll = random.NextDouble();
            if (roll < 0.05) taints.Add(new ClusterTaint("compliance", "pci", TaintEffect.NoSelect, now.AddDays(-30)));
            else if (roll < 0.13) taints.Add(new ClusterTaint("maintenance", "planned", TaintEffect.PreferNoSelect, now.AddHours(-random.Next(1, 48))));
            var env = random.NextDouble() switch { < 0.3 => "dev", < 0.5 => "staging", _ => "prod" };
            facts[i] = new ClusterFacts($"cluster-{i:D5}")
            {
                Labels = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["region"] = Regions[random.Next(Regions.Length)],
                    ["env"] = env,
                    ["tier"] = Tiers[random.Next(Tiers.Length)],
                    ["team"] = $"team-{random.Next(20)}",
                },
                Taints = taints,
                Properties = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["cost"] = (random.Next(5, 200) / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
                    ["gpu-count"] = random.NextDouble() < 0.8 ? "0" : (2 << random.Next(3)).ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
                KubernetesVersion = $"v1.{random.Next(27, 32)}.{random.Next(0, 6)}",
                NodeCount = random.Next(3, 201),
                UnavailableSince = random.NextDouble() < 0.02 ? now.AddMinutes(-random.Next(1, 601)) : null,
            };
        }
        return FromFacts(facts, now);
    }

    /// <summary>The same fleet with one cluster's facts replaced (by name; the order stays).</summary>
    public SimulatedFleet With(ClusterFacts changed, DateTimeOffset now)
    {
        var facts = (ClusterFacts[])Facts.Clone();
        facts[IndexOf(changed.Name)] = changed;
        return FromFacts(facts, now);
    }

    public int IndexOf(string name) => Array.BinarySearch(Facts, new ClusterFacts(name), ByName.Instance);

    private static SimulatedFleet FromFacts(ClusterFacts[] facts, DateTimeOffset now) =>
        new(facts,
            Array.ConvertAll(facts, f => new OverrideCluster(f.Name, f.Labels, f.Properties)),
            Array.ConvertAll(facts, f => Observation(f, now)));

    // Every member runs the previous revision, applied an hour ago and healthy since: a new commit starts a run.
    private static ClusterObservation Observation(ClusterFacts cluster, DateTimeOffset now) =>
        new(cluster.Name, cluster.Labels, cluster.UnavailableSince is null, "rev-1", now.AddHours(-1), true, now.AddHours(-1), now.AddMinutes(-1));

    private sealed class ByName : IComparer<ClusterFacts>
    {
        public static readonly ByName Instance = new();
        public int Compare(ClusterFacts? x, ClusterFacts? y) => string.CompareOrdinal(x!.Name, y!.Name);
    }
}
