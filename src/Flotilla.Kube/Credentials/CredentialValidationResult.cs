using System.Collections.Immutable;
using System.Text;

namespace Flotilla.Kube.Credentials;

/// <summary>
/// The outcome of <see cref="KubeconfigCredentialValidator.Validate"/>: either a self-contained kubeconfig
/// for one context (<see cref="IsValid"/>), or the problems that refused it, in the order found.
/// </summary>
public sealed record CredentialValidationResult
{
    private CredentialValidationResult(
        string? contextName, string? serverUrl, string? kubeconfig, ImmutableArray<CredentialProblem> problems)
    {
        ContextName = contextName;
        ServerUrl = serverUrl;
        Kubeconfig = kubeconfig;
        Problems = problems;
    }

    /// <summary>True when the kubeconfig was accepted; then the other properties are set and there are no problems.</summary>
    public bool IsValid => Problems.IsEmpty;

    /// <summary>The context the kubeconfig was reduced to (the named one, or the current-context).</summary>
    public string? ContextName { get; }

    /// <summary>The cluster's server URL, as written in the kubeconfig.</summary>
    public string? ServerUrl { get; }

    /// <summary>
    /// The reduced kubeconfig: that context, its cluster and its user, file references inlined,
    /// current-context set. It holds credentials, so treat it as a secret; <see cref="ToString"/> hides it.
    /// </summary>
    public string? Kubeconfig { get; }

    /// <summary>Why the kubeconfig was refused; empty when it was accepted.</summary>
    public ImmutableArray<CredentialProblem> Problems { get; }

    public static CredentialValidationResult Accepted(string contextName, string serverUrl, string kubeconfig) =>
        new(contextName, serverUrl, kubeconfig, []);

    public static CredentialValidationResult Refused(IEnumerable<CredentialProblem> problems)
    {
        var list = problems.ToImmutableArray();
        return list.IsEmpty
            ? throw new ArgumentException("a refusal needs at least one problem", nameof(problems))
            : new CredentialValidationResult(null, null, null, list);
    }

    public bool Equals(CredentialValidationResult? other) =>
        other is not null
        && string.Equals(ContextName, other.ContextName, StringComparison.Ordinal)
        && string.Equals(ServerUrl, other.ServerUrl, StringComparison.Ordinal)
        && string.Equals(Kubeconfig, other.Kubeconfig, StringComparison.Ordinal)
        && Problems.SequenceEqual(other.Problems);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(ContextName, StringComparer.Ordinal);
        hash.Add(ServerUrl, StringComparer.Ordinal);
        hash.Add(Kubeconfig, StringComparer.Ordinal);
        foreach (var problem in Problems)
        {
            hash.Add(problem);
        }

        return hash.ToHashCode();
    }

    // The kubeconfig carries credentials; a logged result must not.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("IsValid = ").Append(IsValid)
            .Append(", ContextName = ").Append(ContextName)
            .Append(", ServerUrl = ").Append(ServerUrl)
            .Append(", Kubeconfig = ").Append(Kubeconfig is null ? "null" : "<redacted>")
            .Append(", Problems = [").AppendJoin("; ", Problems.Select(problem => problem.Message)).Append(']');
        return true;
    }
}
