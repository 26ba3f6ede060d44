using Flotilla.Git.Sources;

namespace Flotilla.Git.Tests.Sources;

/// <summary>Validation of refs, credentials and limits at the boundary, and specs that never print secrets.</summary>
public sealed class GitSpecTests
{
    [Theory]
    [InlineData("main")]
    [InlineData("release/v1.2")]
    [InlineData("feature-x_y")]
    public void Valid_branch_and_tag_names_are_kept(string name)
    {
        Assert.Equal("refs/heads/" + name, GitRef.Branch(name).RemoteName);
        Assert.Equal("refs/tags/" + name, GitRef.Tag(name).RemoteName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-main")]
    [InlineData("a..b")]
    [InlineData("a b")]
    [InlineData("a:b")]
    [InlineData("a~1")]
    [InlineData("a^")]
    [InlineData("a*")]
    [InlineData("/a")]
    [InlineData("a/")]
    [InlineData("a//b")]
    [InlineData(".hidden")]
    [InlineData("a/.b")]
    [InlineData("x.lock")]
    [InlineData("a@{1}")]
    [InlineData("a\nb")]
    public void Names_git_would_refuse_are_rejected(string name)
    {
        Assert.Throws<ArgumentException>(() => GitRef.Branch(name));
        Assert.Throws<ArgumentException>(() => GitRef.Tag(name));
    }

    [Theory]
    [InlineData("abc123")]
    [InlineData("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")]
    [InlineData("0123456789012345678901234567890123456789a")]
    public void Commit_refs_need_a_full_hex_sha(string sha) => Assert.Throws<ArgumentException>(() => GitRef.Commit(sha));

    [Fact]
    public void Commit_refs_are_lowercase_and_the_default_ref_is_branch_main()
    {
        Assert.Equal(new string('a', 40), GitRef.Commit(new string('A', 40)).Name);
        Assert.Equal(new string('b', 64), GitRef.Commit(new string('b', 64)).Name);
        Assert.Equal(GitRef.Branch("main"), new GitSourceSpec("https://h/x.git").Ref);
        Assert.Equal(GitCredentials.None, new GitSourceSpec("https://h/x.git").Credentials);
    }

    [Fact]
    public void Limits_default_to_256_MiB_20000_files_60_seconds_and_must_be_positive()
    {
        Assert.Equal(256L * 1024 * 1024, GitFetchLimits.Default.MaxSnapshotBytes);
        Assert.Equal(20_000, GitFetchLimits.Default.MaxFiles);
        Assert.Equal(TimeSpan.FromSeconds(60), GitFetchLimits.Default.FetchTimeout);
        Assert.Throws<ArgumentOutOfRangeException>(() => new GitFetchLimits { MaxFiles = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new GitFetchLimits { FetchTimeout = TimeSpan.Zero }.Validate());
    }

    [Fact]
    public void Token_user_defaults_to_git_and_specs_print_no_secret()
    {
        var token = GitCredentials.HttpsToken("s3cr3t-token");
        var ssh = GitCredentials.Ssh("host ssh-ed25519 AAAA", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n");
        var spec = new GitSourceSpec("https://x:s3cr3t-token@h/x.git") { Credentials = token };

        Assert.Equal("git", token.Username);
        Assert.DoesNotContain("s3cr3t", spec.ToString());
        Assert.Equal("https://***@h/x.git (branch main, credentials https token (user git))", spec.ToString());
        Assert.DoesNotContain("b3Blbn", (spec with { Credentials = ssh }).ToString());
        Assert.DoesNotContain("b3Blbn", ssh.ToString());
    }

    [Fact]
    public void Credentials_reject_empty_or_multi_part_values()
    {
        Assert.Throws<ArgumentException>(() => GitCredentials.HttpsToken(""));
        Assert.Throws<ArgumentException>(() => GitCredentials.HttpsToken("t", "a:b"));
        Assert.Throws<ArgumentException>(() => GitCredentials.HttpsToken("t\nX-Evil: 1"));
        Assert.Throws<ArgumentException>(() => GitCredentials.Ssh("", null));
        Assert.Throws<ArgumentException>(() => GitCredentials.Ssh("h ssh-ed25519 AAAA", " "));
    }

    [Fact]
    public void Options_need_an_absolute_work_directory() =>
        Assert.Throws<ArgumentException>(() => new GitFetcher(new GitFetcherOptions { WorkDirectory = "relative" }, TimeProvider.System));
}
