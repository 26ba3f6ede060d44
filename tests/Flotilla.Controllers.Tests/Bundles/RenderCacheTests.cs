using Flotilla.Controllers.Bundles;
using Flotilla.Controllers.Sources;
using Flotilla.Git.Render;

namespace Flotilla.Controllers.Tests.Bundles;

/// <summary>
/// The render cache reads a snapshot directory only once its export is done (a fetch answers before it is: the listing
/// is rendered meanwhile when it can be), and a render that failed because the export did is not kept.
/// </summary>
public sealed class RenderCacheTests : IDisposable
{
    private readonly DirectoryInfo _snapshot = Directory.CreateTempSubdirectory("flotilla-render-cache-");

    public void Dispose() => _snapshot.Delete(recursive: true);

    private static RenderCache Cache() => new(new DirectoryRenderer(RenderLimits.Default, new KustomizeRunner(KustomizeRunnerOptions.Default)));

    private SourceArtifact Artifact(Task exported) =>
        new(new string('a', 40), _snapshot.FullName, DateTimeOffset.UnixEpoch) { Exported = exported };

    private void WriteConfigMap() => File.WriteAllText(Path.Combine(_snapshot.FullName, "cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: shop\n");

    [Fact]
    public async Task A_snapshot_is_rendered_only_once_its_export_is_done()
    {
        var exported = new TaskCompletionSource();
        var cache = Cache();

        // A render that did not wait would read the still empty directory at once, within this call.
        var render = cache.RenderAsync(Artifact(exported.Task), "", CancellationToken.None);
        Assert.False(render.IsCompleted);
        WriteConfigMap(); // what the export writes before it is done
        exported.SetResult();

        var result = await render;
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(["ConfigMap/shop/c"], result.Manifests!.Refs.Select(r => r.ToString()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_failed_or_stopped_export_fails_the_render_and_the_next_artifact_of_that_revision_is_rendered_anew(bool cancelled)
    {
        var cache = Cache();
        var failed = cancelled ? Task.FromCanceled(new CancellationToken(true)) : Task.FromException(new IOException("disk full"));

        await Assert.ThrowsAnyAsync<Exception>(() => cache.RenderAsync(Artifact(failed), "", CancellationToken.None));
        WriteConfigMap();
        var result = await cache.RenderAsync(Artifact(Task.CompletedTask), "", CancellationToken.None);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Single(result.Manifests!);
    }
}
