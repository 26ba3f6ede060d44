using Flotilla.Kube.Api;
using Flotilla.Core.Sync;

namespace Flotilla.Controllers.Bundles;

/// <summary>A Bundle's spec.sync with its defaults applied (prune on, drift Correct, no force, no empty prune).</summary>
public static class BundlePolicy
{
    public static SyncPolicy Of(BundleResource bundle) => new(
        Prune: bundle.Spec.Sync?.Prune ?? true,
        Drift: Enum.TryParse<DriftMode>(bundle.Spec.Sync?.Drift, out var drift) ? drift : DriftMode.Correct,
        Force: bundle.Spec.Sync?.Force ?? false,
        AllowEmpty: bundle.Spec.Sync?.AllowEmpty ?? false,
        TargetNamespace: bundle.Spec.TargetNamespace,
        CreateNamespace: bundle.Spec.Sync?.CreateNamespace ?? false);
}
