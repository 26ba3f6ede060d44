using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Flotilla.Core.Clusters;
using Flotilla.Core.Manifests;
using Flotilla.Core.Overrides;
using Flotilla.Core.Placement;
using Flotilla.Core.Rollout;

namespace Flotilla.Bench.Plan;

/// <summary>One bundle as the planners see it: its placement, override rules, rendered manifests and rollout spec.</summary>
internal sealed record SimulatedBundle(string Name, PlacementSpec Placement, IReadOnlyList<OverrideRule> Overrides, ManifestSet Manifests, RolloutSpec Rollout)
{
    /// <summary>
    /// <paramref name="count"/> bundles, a third of each placement kind: a label (and sometimes fact) selector only;
    /// a selector with tolerations (PCI, planned maintenance, a longer unavailable grace); numberOfClusters with a spread
    /// over region and prioritizers. Every third bundle of each kind has override rules (registry per region, replicas
    /// in prod) and a manifest using <c>${cluster.labels['region']}</c>. All roll out Staged over env.
    /// </summary>
    public static SimulatedBundle[] Generate(int count, int seed = 9)
    {
        var random = new Random(seed);
        var bundles = new SimulatedBundle[count];
        for (var i = 0; i < count; i++)
        {
            var name = $"app-{i:D3}";
            var withOverrides = i / 3 % 3 == 0;
            bundles[i] = new SimulatedBundle(name, (i % 3) switch
            {
                0 => SelectorOnly(random),
                1 => WithTolerations(random),
                _ => Spread(random),
            }, withOverrides ? OverrideRules() : [], Render(name, withOverrides), StagedOverEnv(i));
        }
        return bundles;
    }

    private static PlacementSpec SelectorOnly(Random random) => random.Next(3) switch
    {
        0 => new PlacementSpec { MatchLabels = Labels(("env", "prod")) },
        1 => new PlacementSpec
        {
            MatchExpressions = [new("region", "In", [.. SimulatedFleet.Regions.OrderBy(_ => random.Next()).Take(2)])],
            MatchFacts = [new("kubernetesVersion", "Ge", ["v1.28.0"])],
        },
        _ => new PlacementSpec { MatchLabels = Labels(("team", $"team-{random.Next(20)}")) },
    };

    private static PlacementSpec WithTolerations(Random random) => new()
    {
        MatchExpressions = [new("tier", "In", random.Next(2) == 0 ? ["gold", "silver"] : ["bronze"])],
        Tolerations = random.Next(3) switch
        {
            0 => [new TolerationSpec("compliance", "Equal", "pci", "NoSelect")],
            1 => [new TolerationSpec("maintenance", "Exists", Effect: "PreferNoSelect")],
            _ => [new TolerationSpec(UnavailableTaint.Key, "Exists", TolerationSeconds: 1800), new TolerationSpec("compliance", "Exists")],
        },
    };

    private static PlacementSpec Spread(Random random) => new()
    {
        MatchLabels = Labels(("env", random.Next(2) == 0 ? "prod" : "staging")),
        MatchFacts = random.Next(4) == 0 ? [new("gpu-count", "Gt", ["0"])] : [],
        NumberOfClusters = random.Next(10, 101),
        Spread = new SpreadSpec("region"),
        Prioritizers = [new("Steady", 3), new("ClusterProperty", 2, "cost", "Lowest"), new("LeastBundles", 1)],
    };

    private static ImmutableSortedDictionary<string, string> Labels(params (string Key, string Value)[] pairs) =>
        pairs.ToImmutableSortedDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static OverrideRule[] OverrideRules() =>
    [
        .. SimulatedFleet.Regions.Select(region => new OverrideRule($"registry-{region}", 10, LabelSelector.Parse($"region={region}"),
            [new ObjectTarget(Kind: "Deployment")], [new ImageOverride(null, null, $"registry.{region}.example.com")])),
        new OverrideRule("prod-replicas", 20, LabelSelector.Parse("env=prod"), [new ObjectTarget(Kind: "Deployment")], [new ReplicasOverride(3)]),
    ];

    private static RolloutSpec StagedOverEnv(int i) => new()
    {
        Strategy = RolloutStrategy.Staged,
        MaxConcurrency = IntOrPercent.Percent(25),
        MaxFailures = IntOrPercent.Percent(5),
        Stages =
        [
            new RolloutStage("dev", LabelSelector.Parse("env=dev")),
            new RolloutStage("staging", LabelSelector.Parse("env=staging"), After: i % 2 == 0 ? [RolloutGate.Approval] : []),
            new RolloutStage("prod", LabelSelector.Parse("env=prod"), IntOrPercent.Percent(10)),
        ],
    };

    /// <summary>20 objects: a namespace, 5 Deployments, 5 Services, 6 ConfigMaps (one using a cluster variable when asked), 2 Secrets, a ServiceAccount.</summary>
    private static ManifestSet Render(string bundle, bool withVariable)
    {
        var objects = new List<JsonObject> { Object("v1", "Namespace", bundle, null) };
        for (var i = 0; i < 5; i++)
        {
            var deployment = Object("apps/v1", "Deployment", $"svc-{i}", bundle);
            deployment["spec"] = JsonNode.Parse("""
                {"replicas": 1, "selector": {"matchLabels": {"app": "APP"}},
                 "template": {"metadata": {"labels": {"app": "APP"}},
                   "spec": {"containers": [{"name": "main", "image": "docker.io/acme/APP:1.0.0", "ports": [{"containerPort": 8080}]}]}}}
                """.Replace("APP", $"svc-{i}"));
            objects.Add(deployment);
            var service = Object("v1", "Service", $"svc-{i}", bundle);
            service["spec"] = JsonNode.Parse("""{"selector": {"app": "APP"}, "ports": [{"port": 80, "targetPort": 8080}]}""".Replace("APP", $"svc-{i}"));
            objects.Add(service);
        }
        for (var i = 0; i < 6; i++)
        {
            var config = Object("v1", "ConfigMap", $"config-{i}", bundle);
            config["data"] = new JsonObject { ["LOG_LEVEL"] = "info", ["FEATURES"] = $"a,b,{i}" };
            if (withVariable && i == 0)
            {
                config["metadata"]!["annotations"] = new JsonObject { [BundleOverrides.SubstituteAnnotation] = "true" };
                config["data"]!["REGION"] = "${cluster.labels['region']}";
            }
            objects.Add(config);
        }
        for (var i = 0; i < 2; i++)
        {
            var secret = Object("v1", "Secret", $"secret-{i}", bundle);
            secret["stringData"] = new JsonObject { ["token"] = "not-a-secret" };
            objects.Add(secret);
        }
        objects.Add(Object("v1", "ServiceAccount", bundle, bundle));

        var manifests = objects.Select((body, document) =>
            ManifestValidator.TryCreate(body, new SourceLocation($"{bundle}.yaml", document), out var manifest, out var errors)
                ? manifest : throw new InvalidOperationException(string.Join("; ", errors)));
        return ManifestSet.TryBuild(manifests, out var set, out var duplicates) ? set : throw new InvalidOperationException(string.Join("; ", duplicates));
    }

    private static JsonObject Object(string apiVersion, string kind, string name, string? ns)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null) metadata["namespace"] = ns;
        return new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata };
    }
}
