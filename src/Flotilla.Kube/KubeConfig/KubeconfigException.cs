namespace Flotilla.Kube.KubeConfig;

/// <summary>A kubeconfig operation that cannot be done; <see cref="Kind"/> says why, the message says it for a person.</summary>
public sealed class KubeconfigException : Exception
{
    public KubeconfigException(KubeconfigErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException) => Kind = kind;

    public KubeconfigErrorKind Kind { get; }
}
