using System.Text.Json.Nodes;
using Flotilla.Kube.Api;

namespace Flotilla.Integration.Tests;

/// <summary>What the rollout tests share: a stage by <c>env</c> label, the app's ConfigMap value on a member, the status.</summary>
public static class RolloutParts
{
    public static JsonObject Stage(string env, bool approvalBefore = false)
    {
        var stage = new JsonObject { ["name"] = env, ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["env"] = env } } };
        if (approvalBefore) stage["before"] = new JsonArray(new JsonObject { ["type"] = "Approval" });
        return stage;
    }

    /// <summary>The value of ConfigMap <c>app</c> in <paramref name="ns"/> on a member, or null when it is not there.</summary>
    public static async Task<string?> ValueOnAsync(FleetFixture fleet, string cluster, string ns)
    {
        using var member = fleet.Member(cluster);
        try { return (await member.CoreV1.ReadNamespacedConfigMapAsync("app", ns)).Data?["value"]; }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound) { return null; }
    }

    public static async Task<BundleRolloutStatus?> RolloutAsync(HubObjects hub, string bundle) => (await hub.BundleStatusAsync(bundle)).Status?.Rollout;

    public static Func<Task<string>> Describe(HubObjects hub, string bundle) => async () => KubernetesJson.Serialize((await hub.BundleStatusAsync(bundle)).Status);

    public static Task WaitPhaseAsync(HubObjects hub, string bundle, string revision, string phase, TimeSpan deadline, string what) =>
        Eventually.WaitAsync(async () => await RolloutAsync(hub, bundle) is { } r && r.TargetRevision == revision && r.Phase == phase, deadline, what, Describe(hub, bundle));
}
