using System.Security.Cryptography;
using System.Text;
using Flotilla.Git.Tests.Sources;
using Flotilla.Kube.Api;
using Flotilla.Kube.Clients;
using Flotilla.Kube.LocalFleet;
using Xunit.Abstractions;

namespace Flotilla.Integration.Tests;

/// <summary>
/// A source that fails after a good sync, fetched over TLS with a token from a real nginx + <c>git http-backend</c>:
/// the hub keeps serving the last good revision, a resync prunes nothing, and the GitRepository shows the failure
/// (without the token) and since when it has been failing; repaired, it recovers.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class SourceFailureTests(FleetFixture fleet, ITestOutputHelper output)
{
    private const string Ns = "source-failure";
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(60);
    private IEnumerable<string> Members => fleet.State.Members.Select(m => m.Name);

    private static Dictionary<string, string> Files(string value)
    {
        var files = new Dictionary<string, string> { ["app/ns.yaml"] = $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {Ns}\n" };
        for (var i = 0; i < 5; i++)
            files[$"app/cm-{i}.yaml"] = $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n  namespace: {Ns}\ndata:\n  value: \"{value}\"\n";
        return files;
    }

    private async Task<GitRepositoryResource> SourceAsync() =>
        KubeJson.As<GitRepositoryResource>(await fleet.Hub.CustomObjects.GetNamespacedCustomObjectAsync(FlotillaApi.Group, FlotillaApi.Version, Ns, GitRepositoryResource.Plural, "repo"));

    private static StatusCondition? Ready(GitRepositoryResource source) => source.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");

    private async Task<string[]> ValuesAsync(string cluster)
    {
        using var member = fleet.Member(cluster);
        var maps = await member.CoreV1.ListNamespacedConfigMapAsync(Ns);
        return maps.Items.Where(m => m.Metadata.Name.StartsWith("cm-", StringComparison.Ordinal)).OrderBy(m => m.Metadata.Name, StringComparer.Ordinal)
            .Select(m => m.Data["value"]).ToArray();
    }

    [Fact]
    public async Task A_source_that_fails_after_a_good_sync_keeps_the_revision_prunes_nothing_shows_the_failure_and_its_age_and_recovers()
    {
        var token = "tok_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var hub = new HubObjects(fleet.Hub, Ns);
        await hub.EnsureNamespaceAsync();
        var served = Path.Combine(fleet.Directory, "failing-repos");
        var repo = new GitFixtureRepo(served, "fleet");
        var v1 = repo.Commit(Files("v1"));
        using var ca = LocalCertificateAuthority.Create("flotilla-it-failing-git-ca");
        await using var server = await NginxGitServer.StartAsync(served, "flotilla", token, ca);
        await fleet.Hub.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "repo-auth", NamespaceProperty = Ns },
            Data = new Dictionary<string, byte[]>
            {
                ["username"] = Encoding.UTF8.GetBytes("flotilla"), ["token"] = Encoding.UTF8.GetBytes(token), ["ca.crt"] = Encoding.UTF8.GetBytes(ca.CertificatePem),
            },
        }, Ns);
        try
        {
            await hub.SourceAsync("repo", server.UrlFor("fleet/.git"), secret: "repo-auth");
            await hub.BundleAsync("app", "repo", "app");
            await Eventually.WaitAsync(() => hub.SyncedAsync("app", v1, Members), Converge, "first sync over https");
            var good = await SourceAsync();
            Assert.Equal(v1, good.Status!.Revision);

            // Broken: the repository is gone from the server (as after a rename or a deleted project).
            var moved = Path.Combine(served, "fleet-moved");
            Directory.Move(repo.Path, moved);
            var brokenAt = DateTimeOffset.UtcNow;
            await hub.RequestFetchAsync("repo");
            await Eventually.WaitAsync(async () => Ready(await SourceAsync()) is { Status: "False" }, Converge, "the failure shown on the GitRepository",
                async () => KubernetesJson.Serialize(await SourceAsync()));
            var failing = await SourceAsync();
            var ready = Ready(failing)!;
            Assert.Equal("Unreachable", ready.Reason);                     // a missing repository is classified with unreachable remotes
            Assert.Contains("not found", ready.Message);
            output.WriteLine($"failing source: reason {ready.Reason}, since {ready.LastTransitionTime:O}; message: {ready.Message}; lastError: {failing.Status!.LastError}");
            Assert.Equal(v1, failing.Status!.Revision);
            Assert.Equal(good.Status.FetchedAt, failing.Status.FetchedAt);   // the age of what is served stays the age of the last good fetch
            Assert.Contains($"still serving {v1[..12]}", ready.Message);
            Assert.False(string.IsNullOrWhiteSpace(failing.Status.LastError));
            Assert.InRange(ready.LastTransitionTime!.Value, brokenAt.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
            var json = KubernetesJson.Serialize(failing);
            Assert.DoesNotContain(token, json);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"flotilla:{token}")), json);

            // Failing again keeps the time it started failing: its age grows, the attempt time moves on.
            var firstAttempt = failing.Status.LastAttemptAt;
            await hub.RequestFetchAsync("repo");
            await Eventually.WaitAsync(async () => (await SourceAsync()).Status?.LastAttemptAt > firstAttempt, Converge, "a second failed attempt");
            var again = await SourceAsync();
            Assert.Equal("False", Ready(again)!.Status);
            Assert.Equal(ready.LastTransitionTime, Ready(again)!.LastTransitionTime);
            var table = await CliRunner.RunAsync(fleet.Env, "get", "gitrepositories", "-n", Ns);
            output.WriteLine(table.Stdout);
            Assert.True(table.ExitCode == 0, table.ToString());
            var header = table.Stdout.Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var row = table.Stdout.Split('\n')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("False", row[Array.IndexOf(header, "READY")]);
            Assert.Matches("^[0-9]+s$", row[Array.IndexOf(header, "SINCE")]);   // the failure's age, in seconds so far
            output.WriteLine($"after a second attempt at {again.Status!.LastAttemptAt:O} the failure is {(DateTimeOffset.UtcNow - ready.LastTransitionTime!.Value).TotalSeconds:0.0}s old");

            // A resync of the bundle while the source fails: the last good revision, everything still there.
            var before = await hub.LastSyncTimesAsync("app");
            var request = await CliRunner.RunAsync(fleet.Env, "reconcile", "bundle", "app", "-n", Ns);
            Assert.True(request.ExitCode == 0, request.ToString());
            await Eventually.WaitAsync(async () => (await hub.BundleStatusAsync("app")).Status!.Clusters!.All(c => c.LastSyncTime > before[c.Name]),
                Converge, "every cluster resynced while the source fails");
            var status = (await hub.BundleStatusAsync("app")).Status!;
            Assert.Equal(v1, status.DesiredRevision);
            Assert.All(status.Clusters!, c => Assert.True(c is { Phase: "Synced", Pruned: null } && c.AppliedRevision == v1, KubernetesJson.Serialize(c)));
            foreach (var m in Members) Assert.Equal(["v1", "v1", "v1", "v1", "v1"], await ValuesAsync(m));

            // Repaired, with a new commit: fetched, Ready again, synced.
            Directory.Move(moved, repo.Path);
            var v2 = repo.Commit(Files("v2"));
            await hub.RequestFetchAsync("repo");
            await Eventually.WaitAsync(async () => (await SourceAsync()) is { Status.Revision: var r } s && r == v2 && Ready(s)?.Status == "True", Converge, "the source recovers");
            Assert.Null((await SourceAsync()).Status!.LastError);
            await Eventually.WaitAsync(() => hub.SyncedAsync("app", v2, Members), Converge, "the bundle syncs the repaired source");
            foreach (var m in Members) Assert.Equal(["v2", "v2", "v2", "v2", "v2"], await ValuesAsync(m));
            Assert.DoesNotContain(token, await File.ReadAllTextAsync(fleet.HubLog));
        }
        finally
        {
            // A source left behind would retry against a server that is gone for the rest of the run.
            foreach (var plural in new[] { BundleResource.Plural, GitRepositoryResource.Plural })
            {
                try { await fleet.Hub.CustomObjects.DeleteNamespacedCustomObjectAsync(FlotillaApi.Group, FlotillaApi.Version, Ns, plural, plural == BundleResource.Plural ? "app" : "repo"); }
                catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound) { }
            }
        }
    }
}
