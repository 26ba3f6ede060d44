namespace Flotilla.Kube.Credentials;

/// <summary>Why a kubeconfig was refused. Callers branch on this, never on the message text.</summary>
public enum CredentialProblemKind
{
    /// <summary>Not YAML, not shaped like a kubeconfig, uses aliases, or is too large.</summary>
    InvalidKubeconfig,

    /// <summary>No context was named and there is no current-context, or the named context is not defined.</summary>
    MissingContext,

    /// <summary>The context names no cluster, or a cluster that is not defined.</summary>
    MissingCluster,

    /// <summary>The context names no user, or a user that is not defined.</summary>
    MissingUser,

    /// <summary>The selected context, cluster or user name is defined more than once.</summary>
    DuplicateName,

    /// <summary>The cluster has no server URL, or one that is not an absolute http(s) URL.</summary>
    InvalidServer,

    /// <summary>The user has an <c>exec</c> credential plugin; allowed by <see cref="CredentialPolicy.AllowExecPlugin"/>.</summary>
    ExecPlugin,

    /// <summary>The user has an <c>auth-provider</c>; allowed by <see cref="CredentialPolicy.AllowAuthProvider"/>.</summary>
    AuthProvider,

    /// <summary>A field refers to a local file; allowed by <see cref="CredentialPolicy.AllowLocalFiles"/>.</summary>
    LocalFile,

    /// <summary>TLS verification is switched off; allowed by <see cref="CredentialPolicy.AllowInsecureSkipTlsVerify"/>.</summary>
    InsecureSkipTlsVerify,

    /// <summary>The cluster has a <c>proxy-url</c>; allowed by <see cref="CredentialPolicy.AllowProxyUrl"/>.</summary>
    ProxyUrl,

    /// <summary>A file reference and the inline data it would be replaced with are both set.</summary>
    ConflictingFields,

    /// <summary>A local file was allowed but could not be read.</summary>
    UnreadableLocalFile,
}
