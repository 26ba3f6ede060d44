using System.Collections.Immutable;
using Flotilla.Core.Clusters;
using k8s.Models;

namespace Flotilla.Controllers.Bundles;

/// <summary>Maps a Kubernetes <c>LabelSelector</c> (matchLabels + matchExpressions) to the domain selector.</summary>
public static class PlacementSelector
{
    public static LabelSelector From(V1LabelSelector? selector)
    {
        if (selector is null) return LabelSelector.Everything;
        var requirements = LabelSelector.FromMatchLabels(selector.MatchLabels?.ToDictionary() ?? []).Requirements.ToBuilder();
        foreach (var e in selector.MatchExpressions ?? [])
        {
            var op = e.OperatorProperty switch
            {
                "In" => SelectorOperator.In,
                "NotIn" => SelectorOperator.NotIn,
                "Exists" => SelectorOperator.Exists,
                "DoesNotExist" => SelectorOperator.DoesNotExist,
                var other => throw new ArgumentException($"unknown selector operator \"{other}\""),
            };
            requirements.Add(new LabelRequirement(e.Key, op, [.. (e.Values ?? []).Order(StringComparer.Ordinal)]));
        }
        return new LabelSelector(requirements.ToImmutable());
    }
}
