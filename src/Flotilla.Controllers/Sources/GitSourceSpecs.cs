using System.Text;
using Flotilla.Git.Sources;
using Flotilla.Kube.Api;
using k8s;

namespace Flotilla.Controllers.Sources;

/// <summary>Maps a GitRepository and its Secret to what the fetcher needs (the hub and <c>flotilla diff</c> share it).</summary>
public static class GitSourceSpecs
{
    public static async Task<GitSourceSpec> FromAsync(IKubernetes hub, GitRepositoryResource repository, CancellationToken ct) =>
        new(repository.Spec.Url) { Ref = RefOf(repository.Spec.Ref), Credentials = await CredentialsAsync(hub, repository, ct) };

    private static async Task<GitCredentials> CredentialsAsync(IKubernetes hub, GitRepositoryResource repository, CancellationToken ct)
    {
        if (repository.Spec.SecretRef is not { Name.Length: > 0 } reference) return GitCredentials.None;
        var secret = await hub.CoreV1.ReadNamespacedSecretAsync(reference.Name, repository.Metadata.NamespaceProperty, cancellationToken: ct);
        string? Value(string k) => secret.Data?.TryGetValue(k, out var v) == true ? Encoding.UTF8.GetString(v) : null;
        if (Value("identity") is not null || Value("known_hosts") is not null)
            return GitCredentials.Ssh(Value("known_hosts") ?? throw new ArgumentException($"Secret {reference.Name} has an ssh identity but no known_hosts: strict host key checking needs one"), Value("identity"));
        if ((Value("token") ?? Value("password")) is { } token) return GitCredentials.HttpsToken(token, Value("username") ?? "git");
        if (Value("webhookSecret") is not null) return GitCredentials.None;
        throw new ArgumentException($"Secret {reference.Name} has neither token nor identity + known_hosts");
    }

    private static GitRef RefOf(GitRefSpec? spec) => spec switch
    {
        { Commit.Length: > 0 } => GitRef.Commit(spec.Commit),
        { Tag.Length: > 0 } => GitRef.Tag(spec.Tag),
        { Branch.Length: > 0 } => GitRef.Branch(spec.Branch),
        _ => GitRef.DefaultBranch,
    };
}
