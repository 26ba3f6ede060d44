using Flotilla.Controllers.Sources;

namespace Flotilla.Controllers.Tests.Sources;

/// <summary>A revision is news to the bundles when it changes, and the same revision again only when its snapshot had failed to export.</summary>
public sealed class SourceArtifactsTests
{
    private static SourceArtifact Artifact(char revision, Task exported) => new(new string(revision, 40), "/snapshots/x", DateTimeOffset.UnixEpoch) { Exported = exported };

    [Fact]
    public void The_same_revision_again_is_news_only_after_its_export_failed()
    {
        var artifacts = new SourceArtifacts();
        var told = new List<string>();
        artifacts.RevisionChanged += told.Add;

        artifacts.Set("ns/repo", Artifact('a', Task.CompletedTask));
        artifacts.Set("ns/repo", Artifact('a', Task.CompletedTask));
        Assert.Single(told);

        artifacts.Set("ns/repo", Artifact('b', Task.FromException(new IOException("disk full"))));
        artifacts.Set("ns/repo", Artifact('b', Task.CompletedTask));
        artifacts.Set("ns/repo", Artifact('b', Task.CompletedTask));
        Assert.Equal(3, told.Count);

        artifacts.Set("ns/repo", Artifact('c', Task.FromCanceled(new CancellationToken(true))));
        artifacts.Set("ns/repo", Artifact('c', Task.CompletedTask));
        Assert.Equal(5, told.Count);
    }
}
