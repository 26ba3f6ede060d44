using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Flotilla.Kube.Api;

/// <summary>Wire type of <c>bundles.flotilla.io</c>.</summary>
public sealed class BundleResource : IKubernetesObject<V1ObjectMeta>
{
    public const string Plural = "bundles";
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = FlotillaApi.ApiVersion;
    [JsonPropertyName("kind")] public string Kind { get; set; } = "Bundle";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public BundleSpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public BundleStatus? Status { get; set; }
}

public sealed class BundleSpec
{
    [JsonPropertyName("sourceRef")] public SourceReference SourceRef { get; set; } = new();
    [JsonPropertyName("path")] public string? Path { get; set; }
    [JsonPropertyName("targetNamespace")] public string? TargetNamespace { get; set; }
    [JsonPropertyName("placement")] public BundlePlacement? Placement { get; set; }

    /// <summary>How the chart at <see cref="Path"/> is rendered (docs/helm.md); the path is a chart when it holds <c>Chart.yaml</c>.</summary>
    [JsonPropertyName("helm")] public BundleHelm? Helm { get; set; }

    /// <summary>Per-cluster override rules as written (docs/overrides.md); mapped by <c>OverrideRuleReader</c>.</summary>
    [JsonPropertyName("overrides")] public List<JsonObject>? Overrides { get; set; }
    [JsonPropertyName("sync")] public BundleSync? Sync { get; set; }

    /// <summary>How a new revision moves over the placed clusters (docs/rollout.md); absent: everywhere at once.</summary>
    [JsonPropertyName("rollout")] public BundleRollout? Rollout { get; set; }
    [JsonPropertyName("suspend")] public bool? Suspend { get; set; }

    /// <summary>
    /// Bundles that must be Ready on a cluster before this one is applied there, and that are removed from a cluster only
    /// after this one (docs/engine.md, Dependencies).
    /// </summary>
    [JsonPropertyName("dependsOn")] public List<BundleDependency>? DependsOn { get; set; }

    /// <summary><c>Delete</c> (default): a removed bundle, or a cluster leaving its placement, has its objects deleted. <c>Orphan</c>: they stay.</summary>
    [JsonPropertyName("deletionPolicy")] public string? DeletionPolicy { get; set; }
}

/// <summary><c>spec.helm</c>; mapped to the Core <c>ChartValuesPlan</c> by the bundle controller.</summary>
public sealed class BundleHelm
{
    [JsonPropertyName("releaseName")] public string? ReleaseName { get; set; }
    [JsonPropertyName("values")] public JsonObject? Values { get; set; }
    [JsonPropertyName("valuesFiles")] public List<string>? ValuesFiles { get; set; }
    [JsonPropertyName("clusterValues")] public List<BundleClusterValues>? ClusterValues { get; set; }
    [JsonPropertyName("chart")] public BundleChart? Chart { get; set; }
    [JsonPropertyName("skipCRDs")] public bool? SkipCrds { get; set; }
    [JsonPropertyName("includeTests")] public bool? IncludeTests { get; set; }
}

/// <summary><c>spec.sourceRef</c>: a GitRepository (the default) or a HelmRepository.</summary>
public sealed class SourceReference
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("kind")] public string? Kind { get; set; }

    /// <summary>True for a HelmRepository source.</summary>
    [JsonIgnore] public bool IsHelmRepository => Kind == HelmRepositoryResource.KindName;
}

/// <summary><c>spec.helm.chart</c>: a chart of a HelmRepository source.</summary>
public sealed class BundleChart
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("version")] public string? Version { get; set; }
}

/// <summary>One entry of <c>spec.helm.clusterValues</c>.</summary>
public sealed class BundleClusterValues
{
    [JsonPropertyName("clusterSelector")] public JsonObject ClusterSelector { get; set; } = [];
    [JsonPropertyName("values")] public JsonObject Values { get; set; } = [];
}

/// <summary>One entry of <c>spec.dependsOn</c>: a Bundle by name, in <see cref="Namespace"/> (default: the dependent's own).</summary>
public sealed class BundleDependency
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("namespace")] public string? Namespace { get; set; }
}

/// <summary><c>spec.placement</c> (docs/placement.md); mapped without interpretation to the Core <c>PlacementSpec</c>.</summary>
public sealed class BundlePlacement
{
    [JsonPropertyName("clusterSelector")] public V1LabelSelector? ClusterSelector { get; set; }
    [JsonPropertyName("matchFacts")] public List<PlacementRequirement>? MatchFacts { get; set; }
    [JsonPropertyName("tolerations")] public List<PlacementToleration>? Tolerations { get; set; }
    [JsonPropertyName("numberOfClusters")] public int? NumberOfClusters { get; set; }
    [JsonPropertyName("spread")] public PlacementSpread? Spread { get; set; }
    [JsonPropertyName("prioritizers")] public List<PlacementPrioritizer>? Prioritizers { get; set; }
}

public sealed class PlacementRequirement
{
    [JsonPropertyName("key")] public string Key { get; set; } = "";
    [JsonPropertyName("operator")] public string Operator { get; set; } = "";
    [JsonPropertyName("values")] public List<string>? Values { get; set; }
}

public sealed class PlacementToleration
{
    [JsonPropertyName("key")] public string? Key { get; set; }
    [JsonPropertyName("operator")] public string? Operator { get; set; }
    [JsonPropertyName("value")] public string? Value { get; set; }
    [JsonPropertyName("effect")] public string? Effect { get; set; }
    [JsonPropertyName("tolerationSeconds")] public long? TolerationSeconds { get; set; }
}

public sealed class PlacementSpread
{
    [JsonPropertyName("topologyKey")] public string TopologyKey { get; set; } = "";
    [JsonPropertyName("maxSkew")] public int? MaxSkew { get; set; }
}

public sealed class PlacementPrioritizer
{
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("weight")] public int? Weight { get; set; }
    [JsonPropertyName("property")] public string? Property { get; set; }
    [JsonPropertyName("prefer")] public string? Prefer { get; set; }
}

/// <summary><c>spec.rollout</c>; mapped without interpretation to the Core <c>RolloutSpec</c> (counts are a number or a percentage).</summary>
public sealed class BundleRollout
{
    [JsonPropertyName("strategy")] public string? Strategy { get; set; }
    [JsonPropertyName("maxConcurrency")] public JsonNode? MaxConcurrency { get; set; }
    [JsonPropertyName("maxFailures")] public JsonNode? MaxFailures { get; set; }
    [JsonPropertyName("progressDeadline")] public string? ProgressDeadline { get; set; }
    [JsonPropertyName("minSuccessTime")] public string? MinSuccessTime { get; set; }
    [JsonPropertyName("onFailure")] public string? OnFailure { get; set; }
    [JsonPropertyName("unmatched")] public string? Unmatched { get; set; }
    [JsonPropertyName("stages")] public List<BundleRolloutStage>? Stages { get; set; }
}

public sealed class BundleRolloutStage
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("selector")] public V1LabelSelector? Selector { get; set; }
    [JsonPropertyName("maxConcurrency")] public JsonNode? MaxConcurrency { get; set; }
    [JsonPropertyName("maxFailures")] public JsonNode? MaxFailures { get; set; }
    [JsonPropertyName("before")] public List<BundleRolloutGate>? Before { get; set; }
    [JsonPropertyName("after")] public List<BundleRolloutGate>? After { get; set; }
}

public sealed class BundleRolloutGate
{
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("duration")] public string? Duration { get; set; }
}

public sealed class BundleSync
{
    [JsonPropertyName("prune")] public bool? Prune { get; set; }
    [JsonPropertyName("allowEmpty")] public bool? AllowEmpty { get; set; }
    [JsonPropertyName("drift")] public string? Drift { get; set; }
    [JsonPropertyName("force")] public bool? Force { get; set; }
    [JsonPropertyName("interval")] public string? Interval { get; set; }
    [JsonPropertyName("timeout")] public string? Timeout { get; set; }
    [JsonPropertyName("createNamespace")] public bool? CreateNamespace { get; set; }
}

public sealed class BundleStatus
{
    [JsonPropertyName("observedGeneration")] public long? ObservedGeneration { get; set; }
    [JsonPropertyName("desiredRevision")] public string? DesiredRevision { get; set; }
    [JsonPropertyName("renderError")] public string? RenderError { get; set; }
    [JsonPropertyName("summary")] public BundleSummary? Summary { get; set; }
    [JsonPropertyName("placement")] public BundlePlacementStatus? Placement { get; set; }
    [JsonPropertyName("rollout")] public BundleRolloutStatus? Rollout { get; set; }
    [JsonPropertyName("clusters")] public List<BundleClusterStatus>? Clusters { get; set; }
    [JsonPropertyName("conditions")] public List<StatusCondition>? Conditions { get; set; }
}

public sealed class BundleSummary
{
    [JsonPropertyName("placed")] public int Placed { get; set; }
    [JsonPropertyName("synced")] public int Synced { get; set; }
    [JsonPropertyName("healthy")] public int Healthy { get; set; }
    [JsonPropertyName("failed")] public int Failed { get; set; }
}

/// <summary>
/// The last placement decision, compact: the chosen clusters, how many were left out, and the first reasons
/// (<c>flotilla placement explain</c> recomputes the full table from the Cluster objects and these decisions).
/// </summary>
public sealed class BundlePlacementStatus
{
    [JsonPropertyName("selected")] public List<string> Selected { get; set; } = [];
    [JsonPropertyName("notSelected")] public int NotSelected { get; set; }
    [JsonPropertyName("reasons")] public List<PlacementReason>? Reasons { get; set; }
    [JsonPropertyName("recheckAt"), JsonConverter(typeof(KubernetesTimeConverter))] public DateTimeOffset? RecheckAt { get; set; }
}

public sealed class PlacementReason
{
    [JsonPropertyName("cluster")] public string Cluster { get; set; } = "";
    [JsonPropertyName("reason")] public string Reason { get; set; } = "";
}

/// <summary>
/// The rollout's state as the planner stores it (<see cref="State"/>, compact JSON a restarted hub resumes from) and what
/// it means for people and the CLI. <see cref="LastCommandId"/> acknowledges the last <c>flotilla rollout</c> command, in
/// the same write as the state it changed, so a command is applied exactly once.
/// </summary>
public sealed class BundleRolloutStatus
{
    [JsonPropertyName("state")] public string? State { get; set; }
    [JsonPropertyName("phase")] public string? Phase { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("awaitingApproval")] public string? AwaitingApproval { get; set; }
    [JsonPropertyName("targetRevision")] public string? TargetRevision { get; set; }
    [JsonPropertyName("lastHealthyRevision")] public string? LastHealthyRevision { get; set; }
    [JsonPropertyName("lastCommandId")] public string? LastCommandId { get; set; }
    [JsonPropertyName("recheckAt"), JsonConverter(typeof(KubernetesTimeConverter))] public DateTimeOffset? RecheckAt { get; set; }
}

/// <summary>One placed cluster's compact entry; strings are capped so status stays small at 1,000 clusters.</summary>
public sealed class BundleClusterStatus
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("phase")] public string? Phase { get; set; }
    [JsonPropertyName("appliedRevision")] public string? AppliedRevision { get; set; }

    /// <summary>With a rollout, when it differs from <see cref="AppliedRevision"/>: the revision the cluster is meant to have now (<c>none</c>: left as it is).</summary>
    [JsonPropertyName("desiredRevision")] public string? DesiredRevision { get; set; }

    /// <summary>With a rollout, while the cluster is not done: its stage and its place in the run, e.g. <c>prod/Pending</c>.</summary>
    [JsonPropertyName("rollout")] public string? Rollout { get; set; }
    [JsonPropertyName("health")] public string? Health { get; set; }
    [JsonPropertyName("objects")] public int? Objects { get; set; }
    [JsonPropertyName("written")] public int? Written { get; set; }
    [JsonPropertyName("pruned")] public int? Pruned { get; set; }
    [JsonPropertyName("error")] public string? Error { get; set; }
    [JsonPropertyName("drift")] public string? Drift { get; set; }
    [JsonPropertyName("healthMessage")] public string? HealthMessage { get; set; }
    [JsonPropertyName("warnings")] public string? Warnings { get; set; }
    [JsonPropertyName("stage")] public string? Stage { get; set; }
    [JsonPropertyName("partialRevision")] public string? PartialRevision { get; set; }
    [JsonPropertyName("appliedOverrides")] public List<string>? AppliedOverrides { get; set; }
    [JsonPropertyName("lastSyncTime"), JsonConverter(typeof(KubernetesTimeConverter))] public DateTimeOffset? LastSyncTime { get; set; }
}

public sealed class BundleResourceList
{
    [JsonPropertyName("items")] public List<BundleResource> Items { get; set; } = [];
}
