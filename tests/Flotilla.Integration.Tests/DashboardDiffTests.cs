using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Flotilla.Kube.Api;

namespace Flotilla.Integration.Tests;

/// <summary>
/// The bundle page's per-cluster diff on the real fleet and hub process: a commit whose stage the members refuse (one
/// ConfigMap the API server rejects leaves the whole stage unwritten) shows, for one cluster, the update of the
/// ConfigMap as a YAML line diff, the Secret's update with its values redacted, and the refused object with the API
/// server's reason — the same preview as <c>flotilla diff</c>, planned and dry-run on the member by the leader hub.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class DashboardDiffTests(FleetFixture fleet)
{
    private const string Ns = "dash-diff";
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(90);
    private IEnumerable<string> Members => fleet.State.Members.Select(m => m.Name);

    private static Dictionary<string, string> Files(string value, string password, bool withBad) => new()
    {
        ["app/ns.yaml"] = $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {Ns}\n",
        ["app/cm.yaml"] = $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: {Ns}\ndata:\n  value: {value}\n",
        ["app/secret.yaml"] = $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  namespace: {Ns}\nstringData:\n  password: {password}\n",
        // A data key the API server refuses ("bad key!" is not a valid ConfigMap key): its stage is never written.
        ["app/bad.yaml"] = withBad ? $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\n  namespace: {Ns}\ndata:\n  \"bad key!\": x\n" : "",
    };

    [Fact]
    public async Task The_diff_of_one_cluster_shows_the_update_the_redacted_secret_and_the_refused_object()
    {
        await DashboardClient.WaitForHubAsync(fleet.HubPort);
        var hub = new HubObjects(fleet.Hub, Ns);
        await hub.EnsureNamespaceAsync();
        var repo = new GitFixtureRepo(fleet.Directory, $"repo-{Ns}");
        var v1 = repo.Commit(Files("first-value", "first-secret-value", withBad: false));
        await hub.SourceAsync("repo", repo.Url);
        await hub.BundleAsync("app", "repo", "app");
        await Eventually.WaitAsync(() => hub.SyncedAsync("app", v1, Members), Converge, "v1 synced");

        using var admin = new DashboardClient(fleet.HubPort);
        await admin.LoginAsync(fleet.State.Hub.AdminToken);
        var page = await PageAsync(admin, "/bundles/dash-diff/app/diff?cluster=member-1");
        Assert.Contains("nothing would change", page);
        Assert.Contains("unchanged", page);
        Assert.Contains("/bundles/dash-diff/app/diff?cluster=member-2", await PageAsync(admin, "/bundles/dash-diff/app")); // linked per cluster

        var v2 = repo.Commit(Files("second-value", "second-secret-value", withBad: true));
        await Eventually.WaitAsync(async () => (await hub.BundleStatusAsync("app")).Status?.Clusters?.Any(c => c.Name == "member-1" && c.Phase == "Failed"
            && (c.Error?.Contains("bad", StringComparison.Ordinal) ?? false)) == true, Converge, "v2 refused on member-1");
        using (var member = fleet.Member("member-1"))
            Assert.Equal("first-value", (await member.CoreV1.ReadNamespacedConfigMapAsync("app", Ns)).Data["value"]); // the stage was not written

        page = await PageAsync(admin, "/bundles/dash-diff/app/diff?cluster=member-1");
        var text = WebUtility.HtmlDecode(page);
        Assert.Contains($"at {v2}", text.Replace("<code>", "").Replace("</code>", ""));
        Assert.Contains("~ ConfigMap/dash-diff/app", text);
        Assert.Matches(new Regex(@"^- +value: first-value$", RegexOptions.Multiline), text); // the YAML line diff: live …
        Assert.Matches(new Regex(@"^\+ +value: second-value$", RegexOptions.Multiline), text); // … and what the server would store
        Assert.Contains("~ Secret/dash-diff/creds", text);
        Assert.Contains("! ConfigMap/dash-diff/bad", text);
        Assert.Contains("bad key!", text); // the API server's own reason names the key
        foreach (var secret in new[] { "first-secret-value", "second-secret-value" })
        {
            Assert.DoesNotContain(secret, text);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)), text);
        }

        // A cluster the bundle is not on, and a missing ?cluster=, are said plainly; no session is sent to the login.
        Assert.Contains("not placed on nowhere", await PageAsync(admin, "/bundles/dash-diff/app/diff?cluster=nowhere"));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/bundles/dash-diff/app/diff")).StatusCode);
        using var anonymous = new DashboardClient(fleet.HubPort);
        var refused = await anonymous.GetAsync("/bundles/dash-diff/app/diff?cluster=member-1");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
    }

    private static async Task<string> PageAsync(DashboardClient client, string path)
    {
        var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return body;
    }
}
