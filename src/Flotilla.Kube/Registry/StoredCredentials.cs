using Flotilla.Kube.Credentials;

namespace Flotilla.Kube.Registry;

/// <summary>
/// Credentials read back from the hub are validated again before use: a Secret edited by hand (or written by
/// another tool) to hold an exec plugin or a file path is refused, never run, unless the Cluster was joined
/// with the matching flag and the hub consents too (<see cref="StoredCredentialPolicy"/>).
/// </summary>
public static class StoredCredentials
{
    /// <summary>A validator that never reads local files (stored kubeconfigs hold inline data only).</summary>
    public static KubeconfigCredentialValidator Validator => KubeconfigCredentialValidator.WithoutFiles;

    /// <summary>The validated, self-contained kubeconfig under the strict policy, or the problems that refused it.</summary>
    public static CredentialValidationResult Validate(string kubeconfig) => Validator.Validate(kubeconfig, null, CredentialPolicy.Strict);
}
