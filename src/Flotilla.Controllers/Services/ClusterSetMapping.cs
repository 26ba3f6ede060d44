using System.Collections.Immutable;
using Flotilla.Core.Clusters;
using Flotilla.Core.Services;
using Flotilla.Kube.Api;

namespace Flotilla.Controllers.Services;

/// <summary>Maps ClusterSet and Cluster wire objects to the membership and lifetime records of Core.</summary>
public static class ClusterSetMapping
{
    public static ClusterSetDefinition Definition(ClusterSetResource set)
    {
        var selector = set.Spec.ClusterSelector;
        var requirements = new List<LabelRequirement>();
        foreach (var (key, value) in (selector?.MatchLabels ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal))
            requirements.Add(new LabelRequirement(key, SelectorOperator.Equals, [value]));
        foreach (var expression in selector?.MatchExpressions ?? [])
            requirements.Add(new LabelRequirement(expression.Key,
                MatchExpressionOperators.Parse(expression.OperatorProperty) ?? throw new ArgumentException($"unknown operator \"{expression.OperatorProperty}\""),
                [.. (expression.Values ?? []).Order(StringComparer.Ordinal)]));
        return new ClusterSetDefinition(set.Metadata.Name, set.Metadata.CreationTimestamp is { } t ? new DateTimeOffset(t, TimeSpan.Zero) : DateTimeOffset.MinValue,
            new LabelSelector([.. requirements]));
    }

    /// <summary>The set's endpoint lifetime policy (the schema's defaults where a field is absent).</summary>
    public static StaleEndpointsPolicy Policy(ClusterSetResource set)
    {
        var spec = set.Spec.StaleEndpoints;
        var defaults = StaleEndpointsPolicy.Default;
        return new StaleEndpointsPolicy(
            spec?.Policy == nameof(StaleEndpointsMode.Keep) ? StaleEndpointsMode.Keep : StaleEndpointsMode.WithdrawAfter,
            Durations.Parse(spec?.After) ?? defaults.After,
            Durations.Parse(spec?.ReturnAfter) ?? defaults.ReturnAfter);
    }

    public static SetCandidate Candidate(ClusterResource cluster) =>
        new(cluster.Metadata.Name, (IReadOnlyDictionary<string, string>?)cluster.Metadata.Labels ?? ImmutableDictionary<string, string>.Empty);

    /// <summary>The cluster's health as its Available condition records it (never probed: unavailable since it was registered).</summary>
    public static SourceHealth Health(ClusterResource cluster)
    {
        var available = cluster.Status?.Conditions?.FirstOrDefault(c => c.Type == "Available");
        var since = available?.LastTransitionTime
            ?? (cluster.Metadata.CreationTimestamp is { } t ? new DateTimeOffset(t, TimeSpan.Zero) : DateTimeOffset.MinValue);
        return new SourceHealth(available?.Status == "True", since);
    }
}
