using System.Collections.Immutable;

namespace Flotilla.Kube.Credentials;

/// <summary>How each <see cref="CredentialAllowance"/> maps to CLI flags, problems, policies and the wire.</summary>
public static class CredentialAllowances
{
    /// <summary>The CLI flag of <paramref name="allowance"/>, the same on <c>cluster join</c> and <c>hub run</c>.</summary>
    public static string Flag(CredentialAllowance allowance) => allowance switch
    {
        CredentialAllowance.Exec => "--allow-exec",
        CredentialAllowance.AuthProvider => "--allow-auth-provider",
        CredentialAllowance.Insecure => "--allow-insecure",
        CredentialAllowance.Proxy => "--allow-proxy",
    };

    /// <summary>The allowance that would accept a problem of <paramref name="kind"/>, or null when none would.</summary>
    public static CredentialAllowance? For(CredentialProblemKind kind) => kind switch
    {
        CredentialProblemKind.ExecPlugin => CredentialAllowance.Exec,
        CredentialProblemKind.AuthProvider => CredentialAllowance.AuthProvider,
        CredentialProblemKind.InsecureSkipTlsVerify => CredentialAllowance.Insecure,
        CredentialProblemKind.ProxyUrl => CredentialAllowance.Proxy,
        CredentialProblemKind.InvalidKubeconfig or CredentialProblemKind.MissingContext or CredentialProblemKind.MissingCluster
            or CredentialProblemKind.MissingUser or CredentialProblemKind.DuplicateName or CredentialProblemKind.InvalidServer
            or CredentialProblemKind.LocalFile or CredentialProblemKind.ConflictingFields or CredentialProblemKind.UnreadableLocalFile => null,
    };

    /// <summary>The policy that accepts exactly <paramref name="allowances"/> (never local files).</summary>
    public static CredentialPolicy Policy(IEnumerable<CredentialAllowance> allowances)
    {
        var set = allowances.ToHashSet();
        return new CredentialPolicy
        {
            AllowExecPlugin = set.Contains(CredentialAllowance.Exec),
            AllowAuthProvider = set.Contains(CredentialAllowance.AuthProvider),
            AllowInsecureSkipTlsVerify = set.Contains(CredentialAllowance.Insecure),
            AllowProxyUrl = set.Contains(CredentialAllowance.Proxy),
        };
    }

    /// <summary>
    /// The allowances a (validated, self-contained) kubeconfig actually uses: what a join records, so a flag
    /// passed without need grants nothing to a later edit of the Secret.
    /// </summary>
    public static ImmutableSortedSet<CredentialAllowance> UsedBy(string kubeconfig) =>
        KubeconfigCredentialValidator.WithoutFiles.Validate(kubeconfig, null, CredentialPolicy.Strict).Problems
            .Select(p => For(p.Kind)).OfType<CredentialAllowance>().ToImmutableSortedSet();

    /// <summary>
    /// Reads <c>spec.credentialAllowances</c>. Unknown names are returned apart (the CRD's enum normally
    /// refuses them; an older or hand-edited CRD may not) so the caller can report them instead of failing.
    /// </summary>
    public static (ImmutableSortedSet<CredentialAllowance> Known, ImmutableArray<string> Unknown) Parse(IEnumerable<string>? names)
    {
        var known = ImmutableSortedSet.CreateBuilder<CredentialAllowance>();
        var unknown = ImmutableArray.CreateBuilder<string>();
        foreach (var name in names ?? [])
        {
            // Enum.TryParse would also take numbers and other casings; the wire form is the exact name.
            if (Enum.GetNames<CredentialAllowance>().Contains(name, StringComparer.Ordinal)) known.Add(Enum.Parse<CredentialAllowance>(name));
            else unknown.Add(name);
        }
        return (known.ToImmutable(), unknown.ToImmutable());
    }

    /// <summary>The wire form of <paramref name="allowances"/>: names in enum order.</summary>
    public static List<string> ToWire(IEnumerable<CredentialAllowance> allowances) =>
        allowances.Distinct().Order().Select(a => a.ToString()).ToList();
}
