namespace Flotilla.Kube.KubeConfig;

/// <summary>Why a kubeconfig operation failed. Callers branch on this, never on the message text.</summary>
public enum KubeconfigErrorKind
{
    /// <summary>A kubeconfig or state file is not valid YAML/JSON or not shaped as expected. It is never written.</summary>
    InvalidFile,

    /// <summary>A kubeconfig or state file exists but cannot be read.</summary>
    UnreadableFile,

    /// <summary>No context has the given name.</summary>
    UnknownContext,

    /// <summary>A context with the new name already exists.</summary>
    ContextExists,

    /// <summary>A context name is empty.</summary>
    InvalidName,

    /// <summary>The operation needs a current context and none is set.</summary>
    NoCurrentContext,

    /// <summary><c>ctx -</c> was asked for and no previous context is remembered.</summary>
    NoPreviousContext,

    /// <summary><c>ns -</c> was asked for and no previous namespace is remembered for the current context.</summary>
    NoPreviousNamespace,
}
