using System.Text.Json.Nodes;
using Flotilla.Core.Clusters;

namespace Flotilla.Core.Charts;

/// <summary>One entry of <c>spec.helm.clusterValues</c>: values laid over the bundle's for the clusters <see cref="ClusterSelector"/> matches.</summary>
public sealed record ClusterValuesRule(LabelSelector ClusterSelector, JsonObject Values);
