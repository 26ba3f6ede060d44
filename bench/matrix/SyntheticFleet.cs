using Flotilla.Hub.Api;
using Flotilla.Kube.Api;
using k8s.Models;

namespace Flotilla.Bench.Matrix;

/// <summary>
/// A hub's view of a large fleet, made in memory (no API server): clusters labelled by region and env, bundles placed
/// on every cluster, cells mostly Synced with a deterministic sprinkle of OutOfSync, Failed and drifted ones. Used by
/// the matrix benchmark and by the dashboard's 1,000-cluster browser test.
/// </summary>
public static class SyntheticFleet
{
    public static readonly string[] Regions = ["eu-west", "eu-central", "us-east", "us-west", "ap-south"];
    public static readonly string[] Environments = ["dev", "staging", "prod"];

    public static FleetView Generate(int clusters, int bundles)
    {
        var view = new FleetView();
        for (var c = 0; c < clusters; c++)
            view.Apply("ADDED", new ClusterResource
            {
                Metadata = new V1ObjectMeta { Name = ClusterName(c), Labels = new Dictionary<string, string> { ["region"] = Regions[c % Regions.Length], ["env"] = Environments[c % Environments.Length] } },
                Status = new ClusterStatus
                {
                    KubernetesVersion = "v1.20.2", NodeCount = 3 + c % 5,
                    Conditions = [new StatusCondition { Type = "Available", Status = c % 97 == 0 ? "False" : "True", Reason = c % 97 == 0 ? "Unreachable" : "Ready" }],
                },
            });
        for (var b = 0; b < bundles; b++)
        {
            var revision = $"{b:x4}".PadRight(40, 'a');
            var old = $"{b:x4}".PadRight(40, 'b');
            var entries = new List<BundleClusterStatus>(clusters);
            for (var c = 0; c < clusters; c++)
            {
                var roll = (c * 31 + b * 17) % 100;
                // Failures gather on some clusters (one in three), as they do in a real fleet with a bad node pool or
                // webhook, so a filter on Failed narrows the matrix instead of matching every cluster.
                var failed = roll < 2 && c % 3 == 1;
                entries.Add(new BundleClusterStatus
                {
                    Name = ClusterName(c),
                    Phase = failed ? "Failed" : "Synced",
                    AppliedRevision = roll is >= 2 and < 5 ? old : revision,
                    Health = failed ? "Degraded" : "Healthy",
                    Drift = roll == 7 ? "ConfigMap/app/settings: data.mode changed by kubectl-edit" : null,
                    Error = failed ? "Deployment/app/web apply failed: admission webhook denied the request" : null,
                });
            }
            view.Apply("ADDED", new BundleResource
            {
                Metadata = new V1ObjectMeta { Name = $"bundle-{b:D3}", NamespaceProperty = b % 2 == 0 ? "apps" : "infra" },
                Status = new BundleStatus { DesiredRevision = revision, Clusters = entries },
            });
        }
        return view;
    }

    public static string ClusterName(int i) => $"cluster-{i:D4}";
}
