using Flotilla.Git.Sources;

namespace Flotilla.Git.Tests.Sources;

public sealed class GitUrlTests
{
    [Theory]
    [InlineData("https://github.com/org/repo.git", "https://github.com/org/repo.git")]
    [InlineData("https://ghp_token@github.com/org/repo.git", "https://***@github.com/org/repo.git")]
    [InlineData("https://user:p@ss@github.com/org/repo.git", "https://***@github.com/org/repo.git")]
    [InlineData("HTTP://user:secret@host/x", "HTTP://***@host/x")]
    [InlineData("ssh://git@github.com/org/repo.git", "ssh://git@github.com/org/repo.git")]
    [InlineData("ssh://git:secret@github.com/org/repo.git", "ssh://***@github.com/org/repo.git")]
    [InlineData("git@github.com:org/repo.git", "git@github.com:org/repo.git")]
    [InlineData("fatal: unable to access 'https://u:tok@h/x/': refused", "fatal: unable to access 'https://***@h/x/': refused")]
    public void Redact_removes_user_information_that_may_be_secret(string text, string expected) =>
        Assert.Equal(expected, GitUrl.Redact(text));
}
