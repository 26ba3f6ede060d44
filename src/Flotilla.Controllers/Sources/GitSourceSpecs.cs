using System.Text;
using Flotilla.Git.Sources;
using Flotilla.Kube.Api;
using Flotilla.Kube.Registry;

namespace Flotilla.Controllers.Sources;

/// <summary>
/// Maps a GitRepository and its Secret to what the fetcher needs (the hub and <c>flotilla diff</c> share it).
/// Secret keys, as Flux names them: <c>identity</c> + <c>known_hosts</c> (ssh), <c>token</c> or <c>password</c> with
/// optional <c>username</c> (https), <c>ca.crt</c> (or the older <c>caFile</c>: the CA of a private https server) and
/// <c>webhookSecret</c> (the push webhook). A Secret with only a CA or only a webhook secret means no credentials.
/// </summary>
public static class GitSourceSpecs
{
    public static async Task<GitSourceSpec> FromAsync(HubSecrets secrets, GitRepositoryResource repository, CancellationToken ct)
    {
        var spec = new GitSourceSpec(repository.Spec.Url) { Ref = RefOf(repository.Spec.Ref) };
        if (repository.Spec.SecretRef is not { Name.Length: > 0 } reference) return spec;
        var secret = await secrets.ReadAsync(repository.Metadata.NamespaceProperty, reference.Name, ct);
        string? Value(string k) => secret.Data?.TryGetValue(k, out var v) == true ? Encoding.UTF8.GetString(v) : null;
        var certificateAuthority = Value("ca.crt") ?? Value("caFile");
        return spec with { Credentials = Credentials(reference.Name, Value, certificateAuthority is not null), CertificateAuthority = certificateAuthority };
    }

    private static GitCredentials Credentials(string secretName, Func<string, string?> value, bool hasCertificateAuthority)
    {
        if (value("identity") is not null || value("known_hosts") is not null)
            return GitCredentials.Ssh(value("known_hosts") ?? throw new ArgumentException($"Secret {secretName} has an ssh identity but no known_hosts: strict host key checking needs one"), value("identity"));
        if ((value("token") ?? value("password")) is { } token) return GitCredentials.HttpsToken(token, value("username") ?? "git");
        if (hasCertificateAuthority || value("webhookSecret") is not null) return GitCredentials.None;
        throw new ArgumentException($"Secret {secretName} has neither token, identity + known_hosts, ca.crt nor webhookSecret");
    }

    private static GitRef RefOf(GitRefSpec? spec) => spec switch
    {
        { Commit.Length: > 0 } => GitRef.Commit(spec.Commit),
        { Tag.Length: > 0 } => GitRef.Tag(spec.Tag),
        { Branch.Length: > 0 } => GitRef.Branch(spec.Branch),
        _ => GitRef.DefaultBranch,
    };
}
