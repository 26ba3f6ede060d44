namespace Flotilla.Kube.Credentials;

/// <summary>
/// One reason a kubeconfig was refused. <see cref="Message"/> names the context and the cluster or
/// user concerned, and never contains secret material (tokens, keys, passwords, plugin arguments).
/// </summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Finding">What was found, as a sentence for a person, without advice.</param>
/// <param name="AllowFlag">The CLI flag that accepts this problem (e.g. <c>--allow-exec</c>), or null when no flag does.</param>
public sealed record CredentialProblem(CredentialProblemKind Kind, string Finding, string? AllowFlag = null)
{
    /// <summary>The finding, ending with the CLI flag that would allow it when there is one.</summary>
    public string Message => AllowFlag is null ? Finding : $"{Finding}; pass {AllowFlag} to allow it";

    public override string ToString() => Message;
}
