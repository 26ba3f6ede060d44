namespace Flotilla.Kube.Credentials;

/// <summary>
/// Something a stored kubeconfig may use only with consent, recorded on a Cluster as
/// <c>spec.credentialAllowances</c> (these names) when it was joined with the matching flag.
/// Local files are not here: stored kubeconfigs hold inline data only.
/// </summary>
public enum CredentialAllowance
{
    /// <summary>An <c>exec</c> credential plugin (<c>--allow-exec</c>); it runs on the hub.</summary>
    Exec,

    /// <summary>An <c>auth-provider</c> plugin (<c>--allow-auth-provider</c>).</summary>
    AuthProvider,

    /// <summary><c>insecure-skip-tls-verify</c> (<c>--allow-insecure</c>).</summary>
    Insecure,

    /// <summary>A <c>proxy-url</c> (<c>--allow-proxy</c>).</summary>
    Proxy,
}
