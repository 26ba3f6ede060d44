using Flotilla.Cli.Plan;
using Flotilla.Git.Sources;

namespace Flotilla.Cli.Tests.Plan;

public sealed class PlanRevisionTests
{
    [Theory]
    [InlineData("feature/x", "branch feature/x,tag feature/x")]
    [InlineData("refs/heads/main", "branch main")]
    [InlineData("refs/tags/v1.2", "tag v1.2")]
    [InlineData("0123456789ABCDEF0123456789abcdef01234567", "commit 0123456789abcdef0123456789abcdef01234567")]
    // An abbreviated SHA cannot be fetched: it is a name like any other.
    [InlineData("0123456", "branch 0123456,tag 0123456")]
    public void A_revision_names_the_refs_to_try_in_order(string text, string expected) =>
        Assert.Equal(expected, string.Join(",", PlanRevision.Candidates(text).Select(r => r.ToString())));

    [Theory]
    [InlineData("-upload-pack=evil")]
    [InlineData("a..b")]
    [InlineData("refs/heads/")]
    [InlineData(" ")]
    public void A_name_git_would_refuse_is_an_error(string text) => Assert.ThrowsAny<ArgumentException>(() => PlanRevision.Candidates(text));

    [Fact]
    public void A_local_directory_is_planned_by_its_full_path() =>
        Assert.Equal(Path.GetFullPath("deploy"), PlanSource.Local("deploy").Directory);

    [Fact]
    public void Without_a_revision_each_source_keeps_its_own_ref() => Assert.Null(PlanSource.Current.Refs);

    [Fact]
    public void The_source_says_what_was_planned() =>
        Assert.Equal(["revision main", "the sources' current revisions"], [PlanSource.At("main").ToString(), PlanSource.Current.ToString()]);

    [Fact]
    public void A_commit_is_tried_as_a_commit_only() => Assert.Equal(GitRefKind.Commit, Assert.Single(PlanSource.At(new string('a', 40)).Refs!).Kind);
}
