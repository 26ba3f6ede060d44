using System.Security.Cryptography;
using System.Text;
using Flotilla.Git.Sources;
using Flotilla.Kube.LocalFleet;

namespace Flotilla.Git.Tests.Sources;

/// <summary>
/// Fetches over https from a real nginx + <c>git http-backend</c> that requires a token (HTTP Basic) and serves a
/// certificate from a throw-away CA: the token and the source's own CA are both needed, and the token never
/// reaches a command line or a message.
/// </summary>
public sealed class HttpsFetchTests : IAsyncLifetime
{
    private const string Username = "flotilla-ci";

    // Unique per run, so a match in a message can only come from this test's secret.
    private readonly string _token = "tok_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    private readonly FetcherWorkspace _workspace = new(allowLocal: false, TimeProvider.System);
    private readonly LocalCertificateAuthority _ca = LocalCertificateAuthority.Create("flotilla-test-git-ca");
    private TestRemote _remote = null!;
    private NginxGitServer _server = null!;
    private string _sha = "";

    public async Task InitializeAsync()
    {
        _remote = await TestRemote.CreateAsync();
        _sha = await _remote.CommitAsync(new Dictionary<string, string> { ["apps/web.yaml"] = "kind: Deployment\n" });
        _server = await NginxGitServer.StartAsync(Path.GetDirectoryName(_remote.BarePath)!, Username, _token, _ca);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _remote.Dispose();
        _workspace.Dispose();
        _ca.Dispose();
    }

    private string Url => _server.UrlFor(Path.GetFileName(_remote.BarePath));

    private GitSourceSpec Spec(GitCredentials credentials, string? certificateAuthority) =>
        new(Url) { Credentials = credentials, CertificateAuthority = certificateAuthority };

    private string BasicEncoding(string token) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{token}"));

    private void AssertNoToken(string text, string token)
    {
        Assert.DoesNotContain(token, text);
        Assert.DoesNotContain(BasicEncoding(token), text);
    }

    [Fact]
    public async Task With_the_token_and_the_sources_CA_the_fetch_succeeds_and_follows_a_new_commit()
    {
        var first = await _workspace.FetchAsync(Spec(GitCredentials.HttpsToken(_token, Username), _ca.CertificatePem));
        var sha2 = await _remote.CommitAsync(new Dictionary<string, string> { ["apps/web.yaml"] = "kind: StatefulSet\n" });
        var second = await _workspace.FetchAsync(Spec(GitCredentials.HttpsToken(_token, Username), _ca.CertificatePem));

        Assert.Equal(_sha, first.CommitSha);
        Assert.Equal(["apps/web.yaml: kind: Deployment\n"], FetcherWorkspace.Describe(first.SnapshotDirectory));
        Assert.Equal(sha2, second.CommitSha);
        Assert.Equal(["apps/web.yaml: kind: StatefulSet\n"], FetcherWorkspace.Describe(second.SnapshotDirectory));
    }

    [Fact]
    public async Task Without_the_token_the_server_refuses_and_the_failure_is_AuthFailed()
    {
        var failure = await _workspace.FailAsync(Spec(GitCredentials.None, _ca.CertificatePem));

        Assert.Equal(GitFailureKind.AuthFailed, failure.Kind);
        Assert.Contains("the remote wants credentials and the source has none", failure.Message);
        Assert.Contains("could not read Username", failure.Message);
        Assert.Empty(_workspace.SnapshotAndTemporaryEntries());
    }

    [Fact]
    public async Task A_wrong_token_is_AuthFailed_and_no_token_appears_in_the_message_or_the_server_log()
    {
        var wrong = "tok_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

        var failure = await _workspace.FailAsync(Spec(GitCredentials.HttpsToken(wrong, Username), _ca.CertificatePem));

        Assert.Equal(GitFailureKind.AuthFailed, failure.Kind);
        Assert.Contains("the remote refused the source's credentials", failure.Message);
        Assert.Contains("password mismatch", _server.Log);
        AssertNoToken(failure.Message, wrong);
        AssertNoToken(failure.Message, _token);
        AssertNoToken(_server.Log, wrong);
        Assert.Empty(_workspace.SnapshotAndTemporaryEntries());
    }

    [Fact]
    public async Task Without_the_CA_or_with_another_CA_the_certificate_is_refused_before_the_token_is_sent()
    {
        using var stranger = LocalCertificateAuthority.Create("another-ca");

        var systemTrust = await _workspace.FailAsync(Spec(GitCredentials.HttpsToken(_token, Username), certificateAuthority: null));
        var otherCa = await _workspace.FailAsync(Spec(GitCredentials.HttpsToken(_token, Username), stranger.CertificatePem));

        foreach (var failure in new[] { systemTrust, otherCa })
        {
            Assert.Equal(GitFailureKind.Unreachable, failure.Kind);
            Assert.Contains("certificate", failure.Message);
            AssertNoToken(failure.Message, _token);
        }

        // TLS failed before any request: nginx never saw an Authorization header to check.
        Assert.DoesNotContain("password mismatch", _server.Log);
        Assert.DoesNotContain($"user \"{Username}\"", _server.Log);
        Assert.Empty(_workspace.SnapshotAndTemporaryEntries());
    }

    [Fact]
    public async Task The_token_is_on_no_git_command_line()
    {
        // git is run through a wrapper that records each command line before running the real git.
        var work = Directory.CreateTempSubdirectory("flotilla-argv-");
        try
        {
            var record = Path.Combine(work.FullName, "argv.log");
            var wrapper = Path.Combine(work.FullName, "git");
            await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{record}'\nexec git \"$@\"\n");
            File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var fetcher = new GitFetcher(
                new GitFetcherOptions { WorkDirectory = Path.Combine(work.FullName, "fetcher"), GitExecutable = wrapper }, TimeProvider.System);

            var result = await fetcher.FetchAsync(Spec(GitCredentials.HttpsToken(_token, Username), _ca.CertificatePem), CancellationToken.None);

            var commandLines = await File.ReadAllLinesAsync(record);
            Assert.Equal(_sha, result.CommitSha);
            Assert.Contains(commandLines, line => line.Contains("fetch", StringComparison.Ordinal) && line.Contains(Url, StringComparison.Ordinal));
            foreach (var line in commandLines) AssertNoToken(line, _token);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
