using System.Text.Json.Nodes;
using Flotilla.Kube.Api;

namespace Flotilla.Integration.Tests;

/// <summary>
/// What the rollout tests share: the app (a Namespace and ConfigMap <c>app</c>), a bundle of it on every cluster, a stage by
/// <c>env</c> label, the app's ConfigMap value on a member, the status.
/// </summary>
public static class RolloutParts
{
    /// <summary>The app's files under <c>app/</c>: Namespace <paramref name="ns"/> and ConfigMap <c>app</c> holding <paramref name="value"/>.</summary>
    public static Dictionary<string, string> AppFiles(string ns, string value) => new()
    {
        ["app/ns.yaml"] = $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n",
        ["app/cm.yaml"] = $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: {ns}\ndata:\n  value: \"{value}\"\n",
    };

    /// <summary>dev, then staging, then prod after an approval.</summary>
    public static JsonObject StagedWithApproval() =>
        new() { ["strategy"] = "Staged", ["stages"] = new JsonArray(Stage("dev"), Stage("staging"), Stage("prod", approvalBefore: true)) };

    /// <summary>Bundle <paramref name="name"/> of path <c>app</c> of GitRepository <c>repo</c> on every cluster, rolled out by <paramref name="rollout"/>.</summary>
    public static Task ApplyAppBundleAsync(HubObjects hub, string name, JsonObject rollout) => hub.ApplyAsync(BundleResource.Plural, new JsonObject
    {
        ["apiVersion"] = FlotillaApi.ApiVersion, ["kind"] = "Bundle",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = hub.Namespace },
        ["spec"] = new JsonObject
        {
            ["sourceRef"] = new JsonObject { ["name"] = "repo" }, ["path"] = "app",
            ["placement"] = new JsonObject { ["clusterSelector"] = new JsonObject() },
            ["rollout"] = rollout,
        },
    });

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
