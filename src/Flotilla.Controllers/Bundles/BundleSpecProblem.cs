using Flotilla.Controllers.ClusterSync;
using Flotilla.Controllers.Rollouts;
using Flotilla.Core.Dependencies;
using Flotilla.Kube.Api;

namespace Flotilla.Controllers.Bundles;

/// <summary>Spec values the CRD schema cannot check (durations, placement rules, rollout, dependsOn names): an invalid one stalls the bundle, naming the field, until the spec changes.</summary>
public static class BundleSpecProblem
{
    public static BundleProblem? Of(BundleResource bundle)
    {
        foreach (var (field, value) in new[] { ("spec.sync.interval", bundle.Spec.Sync?.Interval), ("spec.sync.timeout", bundle.Spec.Sync?.Timeout) })
        {
            TimeSpan? parsed;
            try { parsed = Durations.Parse(value); }
            catch (ArgumentException e) { return new("InvalidSpec", $"{field}: {e.Message}", Stalled: true); }
            if (parsed is { } d && d <= TimeSpan.Zero) return new("InvalidSpec", $"{field}: must be positive, got \"{value}\"", Stalled: true);
        }
        if (bundle.Spec.Sync?.CreateNamespace == true && string.IsNullOrEmpty(bundle.Spec.TargetNamespace))
            return new("InvalidSpec", "spec.sync.createNamespace needs spec.targetNamespace", Stalled: true);
        if (PlacementMapping.Spec(bundle.Spec.Placement).Validate() is { Length: > 0 } placement)
            return new("InvalidSpec", "spec.placement: " + string.Join("; ", placement), Stalled: true);
        if (bundle.Spec.Rollout is { } rollout && RolloutMapping.Spec(rollout, out var errors) is null)
            return new("InvalidSpec", "spec.rollout: " + string.Join("; ", errors), Stalled: true);
        foreach (var dependency in bundle.Spec.DependsOn ?? [])
            if (DependencyReference.Problem(dependency.Name, dependency.Namespace) is { } problem)
                return new("InvalidSpec", $"spec.dependsOn: {problem}", Stalled: true);
        return null;
    }
}
