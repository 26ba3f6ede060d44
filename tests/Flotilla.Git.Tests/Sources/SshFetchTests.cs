using Flotilla.Git.Sources;

namespace Flotilla.Git.Tests.Sources;

/// <summary>Fetches over ssh from a real sshd with strict host-key checking and a deploy key.</summary>
public sealed class SshFetchTests : IAsyncLifetime
{
    private readonly FetcherWorkspace _workspace = new(allowLocal: false, TimeProvider.System);
    private TestRemote _remote = null!;
    private DeployKey _deployKey = null!;
    private SshServer _server = null!;
    private string _sha = "";

    public async Task InitializeAsync()
    {
        _remote = await TestRemote.CreateAsync();
        _sha = await _remote.CommitAsync(new Dictionary<string, string> { ["apps/web.yaml"] = "kind: Deployment\n" });
        _deployKey = await DeployKeyGenerator.GenerateAsync("flotilla-test", CancellationToken.None);
        _server = await SshServer.StartAsync(_deployKey.PublicKeyLine);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _remote.Dispose();
        _workspace.Dispose();
    }

    private GitSourceSpec Spec(string knownHosts, string? privateKey) =>
        new(_server.UrlFor(_remote.BarePath)) { Credentials = GitCredentials.Ssh(knownHosts, privateKey) };

    [Fact]
    public async Task Fetch_succeeds_with_the_deploy_key_and_the_right_known_hosts_line()
    {
        Assert.StartsWith($"[127.0.0.1]:{_server.Port} ssh-ed25519 AAAA", _server.KnownHostsLine);

        var result = await _workspace.FetchAsync(Spec(_server.KnownHostsLine, _deployKey.PrivateKeyOpenSsh));

        Assert.Equal(_sha, result.CommitSha);
        Assert.Equal(["apps/web.yaml: kind: Deployment\n"], FetcherWorkspace.Describe(result.SnapshotDirectory));
    }

    [Fact]
    public async Task An_older_commit_is_fetched_by_sha_over_ssh()
    {
        await _remote.CommitAsync(new Dictionary<string, string> { ["apps/web.yaml"] = "kind: StatefulSet\n" });

        var result = await _workspace.FetchAsync(Spec(_server.KnownHostsLine, _deployKey.PrivateKeyOpenSsh) with { Ref = GitRef.Commit(_sha) });

        Assert.Equal(_sha, result.CommitSha);
        Assert.Equal(["apps/web.yaml: kind: Deployment\n"], FetcherWorkspace.Describe(result.SnapshotDirectory));
    }

    [Fact]
    public async Task A_wrong_host_key_is_HostKeyMismatch_and_nothing_is_fetched()
    {
        var other = await DeployKeyGenerator.GenerateAsync("not-the-host", CancellationToken.None);
        var wrongLine = $"[127.0.0.1]:{_server.Port} {string.Join(' ', other.PublicKeyLine.Split(' ').Take(2))}";

        var failure = await _workspace.FailAsync(Spec(wrongLine, _deployKey.PrivateKeyOpenSsh));
        var unknown = await _workspace.FailAsync(Spec("[127.0.0.1]:1 " + _server.HostPublicKey, _deployKey.PrivateKeyOpenSsh));

        Assert.Equal(GitFailureKind.HostKeyMismatch, failure.Kind);
        Assert.Contains("Host key verification failed", failure.Message);
        Assert.Equal(GitFailureKind.HostKeyMismatch, unknown.Kind);
        AssertNoKeyMaterial(failure.Message, _deployKey.PrivateKeyOpenSsh);
        Assert.Empty(_workspace.SnapshotAndTemporaryEntries());
    }

    [Fact]
    public async Task A_key_the_server_does_not_know_is_AuthFailed_without_echoing_the_key()
    {
        var stranger = await DeployKeyGenerator.GenerateAsync("stranger", CancellationToken.None);

        var failure = await _workspace.FailAsync(Spec(_server.KnownHostsLine, stranger.PrivateKeyOpenSsh));

        Assert.Equal(GitFailureKind.AuthFailed, failure.Kind);
        Assert.Contains("Permission denied (publickey)", failure.Message);
        AssertNoKeyMaterial(failure.Message, stranger.PrivateKeyOpenSsh);
    }

    [Fact]
    public async Task No_key_is_AuthFailed()
    {
        var failure = await _workspace.FailAsync(Spec(_server.KnownHostsLine, privateKey: null));

        Assert.Equal(GitFailureKind.AuthFailed, failure.Kind);
        Assert.Contains("Permission denied", failure.Message);
    }

    [Fact]
    public async Task A_damaged_private_key_is_AuthFailed_and_no_fragment_of_it_is_echoed()
    {
        var lines = _deployKey.PrivateKeyOpenSsh.Split('\n');
        var damaged = string.Join('\n', lines.Select((line, i) => i == 2 ? new string(line.Reverse().ToArray()) : line));

        var failure = await _workspace.FailAsync(Spec(_server.KnownHostsLine, damaged));

        Assert.Equal(GitFailureKind.AuthFailed, failure.Kind);
        AssertNoKeyMaterial(failure.Message, damaged);
    }

    private static void AssertNoKeyMaterial(string message, string privateKey)
    {
        Assert.DoesNotContain("PRIVATE KEY", message);
        foreach (var line in privateKey.Split('\n').Where(l => l.Length >= 16 && !l.StartsWith("-----", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(line, message);
        }
    }
}
