using System.Collections.Immutable;

namespace Flotilla.Kube.Credentials;

/// <summary>
/// What a process that uses stored member credentials (the hub) accepts: a kubeconfig may use an exec plugin,
/// an auth-provider, <c>insecure-skip-tls-verify</c> or a <c>proxy-url</c> only when the cluster was joined
/// with the matching <c>--allow-…</c> flag (recorded in <c>spec.credentialAllowances</c>) <b>and</b> this
/// process runs with the same flag: both the joiner's consent and the hub operator's. A refusal says which
/// of the two flags is missing. Local files are always refused: stored kubeconfigs hold inline data only.
/// </summary>
public sealed class StoredCredentialPolicy
{
    /// <param name="consented">The allowances this process was started with.</param>
    /// <param name="consumer">The command that would need the flag, as a person types it (e.g. <c>flotilla hub run</c>).</param>
    public StoredCredentialPolicy(IEnumerable<CredentialAllowance> consented, string consumer)
    {
        ArgumentException.ThrowIfNullOrEmpty(consumer);
        Consented = consented.ToImmutableSortedSet();
        Consumer = consumer;
    }

    /// <summary>The hub without any <c>--allow-…</c> flag: only self-contained, plain kubeconfigs.</summary>
    public static StoredCredentialPolicy StrictHub { get; } = new([], "flotilla hub run");

    /// <summary>The allowances this process consents to.</summary>
    public ImmutableSortedSet<CredentialAllowance> Consented { get; }

    /// <summary>The command that would need the flag (named in refusals).</summary>
    public string Consumer { get; }

    /// <summary>The policy for a cluster joined with <paramref name="joined"/>: what both sides allow.</summary>
    public CredentialPolicy For(IEnumerable<CredentialAllowance> joined) => CredentialAllowances.Policy(joined.Where(Consented.Contains));

    /// <summary>
    /// Validates a stored kubeconfig of cluster <paramref name="cluster"/> joined with <paramref name="joined"/>.
    /// A refusal's messages name the missing flag and where it is missing; secrets are never quoted.
    /// </summary>
    public CredentialValidationResult Validate(string kubeconfig, string cluster, IEnumerable<CredentialAllowance> joined)
    {
        var joinedSet = joined.ToImmutableSortedSet();
        var result = KubeconfigCredentialValidator.WithoutFiles.Validate(kubeconfig, null, For(joinedSet));
        return result.IsValid ? result : CredentialValidationResult.Refused(result.Problems.Select(p => Explain(p, cluster, joinedSet)));
    }

    private CredentialProblem Explain(CredentialProblem problem, string cluster, ImmutableSortedSet<CredentialAllowance> joined)
    {
        if (problem.Kind == CredentialProblemKind.LocalFile)
            return new CredentialProblem(problem.Kind,
                $"{problem.Finding}; stored credentials hold inline data only: join the cluster again with --allow-local-files to inline it");
        if (CredentialAllowances.For(problem.Kind) is not { } allowance) return problem;
        var flag = CredentialAllowances.Flag(allowance);
        var join = $"`flotilla cluster join {cluster} {flag}`";
        var run = $"`{Consumer} {flag}`";
        var advice = (Consented.Contains(allowance), joined.Contains(allowance)) switch
        {
            (false, true) => $"{flag} is missing on the hub: it needs both the join's and the hub's consent; start it with {run}",
            (true, false) => $"{flag} is missing on the join: the cluster was joined without it; join it again with {join}",
            (false, false) => $"{flag} is missing on both the hub and the join; join again with {join} and start the hub with {run}",
            // Both consented yet refused cannot happen (the policy allowed it); keep the validator's words.
            (true, true) => $"pass {flag} to allow it",
        };
        // The advice names the flag already, so the problem carries no AllowFlag (which would add "pass … to allow it").
        return new CredentialProblem(problem.Kind, $"{problem.Finding}; {advice}");
    }
}
