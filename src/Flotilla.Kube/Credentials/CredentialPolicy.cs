namespace Flotilla.Kube.Credentials;

/// <summary>
/// What a kubeconfig handed to Flotilla may contain beyond a server, a certificate authority and
/// inline credentials. Every flag is false by default: the strict policy accepts only self-contained
/// kubeconfigs that need no local program, file, proxy or disabled TLS verification.
/// </summary>
public sealed record CredentialPolicy
{
    /// <summary>The strict default: nothing allowed.</summary>
    public static CredentialPolicy Strict { get; } = new();

    /// <summary>Accept a user with an <c>exec</c> credential plugin (CLI flag <c>--allow-exec</c>).</summary>
    public bool AllowExecPlugin { get; init; }

    /// <summary>Accept a user with an <c>auth-provider</c> plugin (CLI flag <c>--allow-auth-provider</c>).</summary>
    public bool AllowAuthProvider { get; init; }

    /// <summary>
    /// Accept references to local files (<c>certificate-authority</c>, <c>client-certificate</c>,
    /// <c>client-key</c>, <c>tokenFile</c>), which are then read and inlined (CLI flag <c>--allow-local-files</c>).
    /// </summary>
    public bool AllowLocalFiles { get; init; }

    /// <summary>Accept <c>insecure-skip-tls-verify: true</c> (CLI flag <c>--allow-insecure</c>).</summary>
    public bool AllowInsecureSkipTlsVerify { get; init; }

    /// <summary>Accept a cluster with a <c>proxy-url</c> (CLI flag <c>--allow-proxy</c>).</summary>
    public bool AllowProxyUrl { get; init; }
}
