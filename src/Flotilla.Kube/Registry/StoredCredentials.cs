using Flotilla.Kube.Credentials;

namespace Flotilla.Kube.Registry;

/// <summary>
/// Credentials read back from the hub are validated again before use, with the strict policy: a Secret
/// edited by hand (or written by another tool) to hold an exec plugin or a file path is refused, never run.
/// </summary>
public static class StoredCredentials
{
    /// <summary>A validator that never reads local files (the strict policy never asks it to).</summary>
    public static KubeconfigCredentialValidator Validator { get; } =
        new(path => throw new InvalidOperationException($"stored credentials may not reference local files ({path})"));

    /// <summary>The validated, self-contained kubeconfig, or the problems that refused it.</summary>
    public static CredentialValidationResult Validate(string kubeconfig) => Validator.Validate(kubeconfig, null, CredentialPolicy.Strict);
}
