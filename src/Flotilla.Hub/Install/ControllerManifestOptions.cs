using Flotilla.Core.Clusters;
using Flotilla.Kube.Credentials;

namespace Flotilla.Hub.Install;

/// <summary>What <c>flotilla hub manifests</c> and <c>hub install --controller</c> render.</summary>
public sealed class ControllerManifestOptions
{
    /// <summary>The hub image (required), e.g. <c>registry.example.com/flotilla:0.4.0</c>.</summary>
    public string Image { get; set; } = "";

    /// <summary>Hub replicas. Default 2: one leads, one stands by (leader election through a Lease).</summary>
    public int Replicas { get; set; } = 2;

    /// <summary>
    /// Namespaces besides <c>flotilla-system</c> whose Secrets the hub reads (GitRepository secrets, credentials of
    /// clusters registered from an existing Secret). Default none: <c>flotilla-system</c> only.
    /// </summary>
    public IReadOnlyList<string> SecretNamespaces { get; set; } = [];

    /// <summary>
    /// API version of the PodDisruptionBudget: <c>policy/v1</c> (Kubernetes 1.21+, the default) or <c>policy/v1beta1</c>
    /// (1.20 and older). <c>hub install</c> picks the one the cluster serves.
    /// </summary>
    public string PodDisruptionBudgetApiVersion { get; set; } = PolicyV1;

    /// <summary>Member credential allowances the hub consents to (<c>--allow-exec</c>, …), passed to <c>hub run</c>.</summary>
    public ISet<CredentialAllowance> CredentialAllowances { get; set; } = new HashSet<CredentialAllowance>();

    public const string PolicyV1 = "policy/v1";
    public const string PolicyV1Beta1 = "policy/v1beta1";

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Image) || Image.Any(char.IsWhiteSpace))
            throw new ArgumentException("--image must name the hub image, e.g. registry.example.com/flotilla:0.4.0");
        if (Replicas < 1) throw new ArgumentException("--replicas must be 1 or more");
        if (PodDisruptionBudgetApiVersion is not (PolicyV1 or PolicyV1Beta1))
            throw new ArgumentException($"the PodDisruptionBudget API version must be {PolicyV1} or {PolicyV1Beta1}");
        foreach (var ns in SecretNamespaces)
            if (!LabelValidation.IsDnsLabel(ns))
                throw new ArgumentException($"--secret-namespace {ns} is not a namespace name");
    }
}
