using Flotilla.Git.Sources;

namespace Flotilla.Git.Tests.Sources;

/// <summary>Real stderr of git 2.39 and OpenSSH (LC_ALL=C), as captured on this machine, and the kind each must give.</summary>
public sealed class GitErrorClassifierTests
{
    [Theory]
    [InlineData(128, "No ED25519 host key is known for [127.0.0.1]:60013 and you have requested strict checking.\nHost key verification failed.\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.", GitFailureKind.HostKeyMismatch)]
    [InlineData(128, "@@@@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\nHost key for [127.0.0.1]:60013 has changed and you have requested strict checking.\nHost key verification failed.\nfatal: Could not read from remote repository.", GitFailureKind.HostKeyMismatch)]
    [InlineData(128, "root@127.0.0.1: Permission denied (publickey).\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.", GitFailureKind.AuthFailed)]
    [InlineData(128, "Load key \"/tmp/flotilla-git-x/identity\": invalid format\nroot@127.0.0.1: Permission denied (publickey).\nfatal: Could not read from remote repository.", GitFailureKind.AuthFailed)]
    [InlineData(128, "fatal: could not read Username for 'http://127.0.0.1:4000': terminal prompts disabled", GitFailureKind.AuthFailed)]
    [InlineData(128, "remote: HTTP Basic: Access denied\nfatal: Authentication failed for 'https://gitlab.com/org/repo.git/'", GitFailureKind.AuthFailed)]
    [InlineData(128, "fatal: unable to access 'https://example.com/repo.git/': The requested URL returned error: 403", GitFailureKind.AuthFailed)]
    [InlineData(128, "fatal: couldn't find remote ref refs/heads/nope", GitFailureKind.RefNotFound)]
    [InlineData(128, "fatal: remote error: upload-pack: not our ref 1234567890123456789012345678901234567890", GitFailureKind.RefNotFound)]
    [InlineData(128, "error: Server does not allow request for unadvertised object 1234567890123456789012345678901234567890", GitFailureKind.RefNotFound)]
    [InlineData(2, "", GitFailureKind.RefNotFound)]
    [InlineData(128, "fatal: transport 'file' not allowed", GitFailureKind.NotAllowed)]
    [InlineData(128, "ssh: connect to host 127.0.0.1 port 1: Connection refused\nfatal: Could not read from remote repository.", GitFailureKind.Unreachable)]
    [InlineData(128, "fatal: unable to access 'https://127.0.0.1:1/x.git/': Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server", GitFailureKind.Unreachable)]
    [InlineData(128, "fatal: unable to access 'https://nope.invalid/x.git/': Could not resolve host: nope.invalid", GitFailureKind.Unreachable)]
    [InlineData(128, "fatal: '/tmp/x/missing.git' does not appear to be a git repository\nfatal: Could not read from remote repository.", GitFailureKind.Unreachable)]
    [InlineData(128, "remote: Repository not found.\nfatal: repository 'https://github.com/org/none.git/' not found", GitFailureKind.Unreachable)]
    [InlineData(1, "something git has never said before", GitFailureKind.Unreachable)]
    [InlineData(2, "fatal: some other failure with exit code 2", GitFailureKind.Unreachable)]
    public void Classifies_git_and_ssh_failures(int exitCode, string stderr, GitFailureKind expected) =>
        Assert.Equal(expected, GitErrorClassifier.Classify(exitCode, stderr));
}
