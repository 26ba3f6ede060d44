using System.Diagnostics;
using Flotilla.Git.Sources;

namespace Flotilla.Git.Tests.Sources;

/// <summary>URL and credential policy, http failures, the timeout, and that no secret reaches a message.</summary>
public sealed class GitFetcherPolicyTests : IDisposable
{
    private const string Token = "ghp_SuperSecretToken1234567890";
    private const string KnownHosts = "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";

    private readonly FetcherWorkspace _workspace = new(allowLocal: false, TimeProvider.System);

    public void Dispose() => _workspace.Dispose();

    [Theory]
    [InlineData("")]
    [InlineData(" https://example.com/x.git")]
    [InlineData("-uhttps://example.com/x.git")]
    [InlineData("ext::sh -c touch% /tmp/pwned")]
    [InlineData("fd::17")]
    [InlineData("git://example.com/x.git")]
    [InlineData("ftp://example.com/x.git")]
    [InlineData("https:///x.git")]
    [InlineData("ssh://-oProxyCommand=touch%20x/x.git")]
    [InlineData("-oProxyCommand=x:repo")]
    [InlineData("host:")]
    public async Task Malformed_or_unsupported_urls_are_InvalidUrl(string url)
    {
        var failure = await _workspace.FailAsync(new GitSourceSpec(url));

        Assert.Equal(GitFailureKind.InvalidUrl, failure.Kind);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_workspace.Root));
    }

    [Theory]
    [InlineData("http://example.com/x.git", "token", "plain http")]
    [InlineData("ssh://git@example.com/x.git", "none", "known_hosts")]
    [InlineData("git@example.com:org/x.git", "token", "known_hosts")]
    [InlineData("https://example.com/x.git", "ssh", "ssh URL")]
    public async Task Credentials_that_do_not_fit_the_url_are_NotAllowed(string url, string credentials, string reason)
    {
        var spec = new GitSourceSpec(url)
        {
            Credentials = credentials switch
            {
                "token" => GitCredentials.HttpsToken(Token),
                "ssh" => GitCredentials.Ssh(KnownHosts, null),
                _ => GitCredentials.None,
            },
        };

        var failure = await _workspace.FailAsync(spec);

        Assert.Equal(GitFailureKind.NotAllowed, failure.Kind);
        Assert.Contains(reason, failure.Message);
        Assert.DoesNotContain(Token, failure.Message);
    }

    [Theory]
    [InlineData("ssh://git@example.com/x.git", "ssh", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "https URLs only")]
    [InlineData("https://example.com/x.git", "token", "not a certificate", "no PEM CERTIFICATE block")]
    [InlineData("https://example.com/x.git", "token", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "not a valid certificate")]
    public async Task A_CA_that_cannot_be_used_is_NotAllowed_before_git_runs(string url, string credentials, string certificateAuthority, string reason)
    {
        var spec = new GitSourceSpec(url)
        {
            Credentials = credentials == "ssh" ? GitCredentials.Ssh(KnownHosts, null) : GitCredentials.HttpsToken(Token),
            CertificateAuthority = certificateAuthority,
        };

        var failure = await _workspace.FailAsync(spec);

        Assert.Equal(GitFailureKind.NotAllowed, failure.Kind);
        Assert.Contains(reason, failure.Message);
        Assert.DoesNotContain(Token, failure.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_workspace.Root));
    }

    [Fact]
    public async Task A_refused_connection_is_Unreachable_and_the_message_has_no_token_or_url_userinfo()
    {
        var port = LoopbackPorts.Unused();
        var spec = new GitSourceSpec($"https://deploy:{Token}@127.0.0.1:{port}/fleet.git") { Credentials = GitCredentials.HttpsToken(Token) };

        var failure = await _workspace.FailAsync(spec);

        Assert.Equal(GitFailureKind.Unreachable, failure.Kind);
        Assert.StartsWith($"git source https://***@127.0.0.1:{port}/fleet.git (branch main): git fetch: remote unreachable: ", failure.Message);
        Assert.DoesNotContain(Token, failure.Message);
        Assert.DoesNotContain(Token, spec.ToString());
        Assert.Contains("127.0.0.1", failure.Message);
    }

    [Fact]
    public async Task Http_401_is_AuthFailed_at_once_because_git_may_not_prompt()
    {
        await using var server = StubHttpServer.Unauthorized();
        var clock = Stopwatch.StartNew();

        var failure = await _workspace.FailAsync(new GitSourceSpec(server.Url));

        Assert.Equal(GitFailureKind.AuthFailed, failure.Kind);
        Assert.Contains("terminal prompts disabled", failure.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_silent_remote_is_Timeout_and_git_is_killed_with_its_children()
    {
        await using var server = StubHttpServer.Silent();
        var spec = new GitSourceSpec(server.Url) { Limits = new GitFetchLimits { FetchTimeout = TimeSpan.FromSeconds(1) } };
        var clock = Stopwatch.StartNew();

        var failure = await _workspace.FailAsync(spec);

        Assert.Equal(GitFailureKind.Timeout, failure.Kind);
        Assert.Contains("within 1 s", failure.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        // git-remote-http holds the connection; it closes only if the whole process tree was killed.
        await server.FirstClientClosed.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_not_reported_as_a_timeout()
    {
        await using var server = StubHttpServer.Silent();
        using var cancel = new CancellationTokenSource();

        // Cancelled once git is talking to the server (not after a fixed time: on a loaded machine git may not have
        // connected yet, and then there is no connection whose closing shows the process tree went away).
        var fetch = _workspace.Fetcher.FetchAsync(new GitSourceSpec(server.Url), cancel.Token);
        await server.FirstClientConnected.WaitAsync(TimeSpan.FromSeconds(30));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetch);
        await server.FirstClientClosed.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
