using System.Net;
using System.Text.Json.Nodes;
using Flotilla.Kube.Api;
using Microsoft.Playwright;
using static Flotilla.Integration.Tests.RolloutParts;

namespace Flotilla.Integration.Tests;

/// <summary>
/// The dashboard in Debian's chromium against the real fleet and hub process: log in with the admin token, the matrix
/// of the 3 members, the viewer refused an approve (the 403 shown, nothing changed), the admin's approve moving the
/// rollout on, and a new commit's cell turning from OutOfSync to Synced on an open page without a reload.
/// Screenshots of every page go to <see cref="DashboardBrowser.Screenshots"/>.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class DashboardBrowserTests(FleetFixture fleet)
{
    private const string Ns = "dash-ui";
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(90);
    private string BaseUrl => $"http://127.0.0.1:{fleet.HubPort}/";

    [Fact]
    public async Task Admin_sees_the_matrix_and_approves_the_viewer_is_refused_and_a_commit_turns_a_cell_synced_without_a_reload()
    {
        await DashboardClient.WaitForHubAsync(fleet.HubPort);
        var hub = new HubObjects(fleet.Hub, Ns);
        await hub.EnsureNamespaceAsync();
        var repo = new GitFixtureRepo(fleet.Directory, $"repo-{Ns}");
        var first = repo.Commit(AppFiles(Ns, "v1"));
        await hub.SourceAsync("repo", repo.Url);
        await ApplyAppBundleAsync(hub, "web", StagedWithApproval());
        await WaitPhaseAsync(hub, "web", first, "AwaitingApproval", Converge, "first revision waits for approval before prod");

        await using var browser = await DashboardBrowser.LaunchAsync();
        var admin = await browser.LoginAsync(BaseUrl, fleet.State.Hub.AdminToken);
        Assert.Contains("flotilla-admin", await admin.InnerTextAsync("header"));
        await DashboardBrowser.ShotAsync(admin, "overview");
        foreach (var (path, name) in new[] { ("/clusters", "clusters"), ("/clusters/member-1", "cluster"), ("/sources", "sources"), ("/bundles", "bundles"), ($"/bundles/{Ns}/web", "bundle"),
                     ($"/bundles/{Ns}/web/diff?cluster=member-1", "diff") })
        {
            var response = await admin.GotoAsync(path);
            Assert.Equal(200, response!.Status);
            await DashboardBrowser.ShotAsync(admin, name);
        }
        await admin.GotoAsync($"/bundles/{Ns}/web");
        Assert.Equal(["member-1", "member-2", "member-3"], await admin.Locator("#placement-explain tr td:first-child").AllInnerTextsAsync());
        await admin.Locator($"a[href='/bundles/{Ns}/web/diff?cluster=member-1']").ClickAsync();
        Assert.Contains("member-1", await admin.InnerTextAsync("h1"));
        await admin.GotoAsync("/clusters?selector=env%3Dprod");
        Assert.Equal(["member-3"], await admin.Locator("#clusters tr td:first-child").AllInnerTextsAsync());

        await admin.GotoAsync($"/matrix?namespace={Ns}");
        Assert.Equal(["member-1", "member-2", "member-3"], await admin.Locator("#matrix tbody tr th").AllInnerTextsAsync());
        Assert.Equal("Synced", await admin.GetAttributeAsync("tr[data-cluster=member-1] td[data-sync]", "data-sync"));
        await DashboardBrowser.ShotAsync(admin, "matrix");

        // The viewer sees the rollout page, and its approve is refused with the 403 shown; the run still waits.
        var viewer = await browser.LoginAsync(BaseUrl, fleet.State.Hub.ViewerToken);
        await viewer.GotoAsync($"/bundles/{Ns}/web/rollout");
        await viewer.ClickAsync("#approve");
        await Assertions.Expect(viewer.Locator("#flash")).ToContainTextAsync("403 Forbidden: flotilla-viewer may not patch bundles.flotilla.io web in namespace dash-ui");
        await DashboardBrowser.ShotAsync(viewer, "rollout-viewer-403");
        Assert.Equal("AwaitingApproval", (await RolloutAsync(hub, "web"))!.Phase);

        // The admin approves on the page; the page follows the run to Completed without a reload.
        await admin.GotoAsync($"/bundles/{Ns}/web/rollout");
        await DashboardBrowser.ShotAsync(admin, "rollout");
        await admin.EvaluateAsync("window.notReloaded = true");
        await admin.ClickAsync("#approve");
        await Assertions.Expect(admin.Locator("#flash")).ToContainTextAsync("sent");
        await Assertions.Expect(admin.Locator("#rollout-phase")).ToContainTextAsync("Completed", new() { Timeout = 60_000 });
        Assert.True(await admin.EvaluateAsync<bool>("window.notReloaded === true"));

        // A new commit: prod waits at the gate on the old revision (OutOfSync in the open matrix), then turns Synced live.
        await admin.GotoAsync($"/matrix?namespace={Ns}");
        await admin.EvaluateAsync("window.notReloaded = true");
        var second = repo.Commit(AppFiles(Ns, "v2"));
        await hub.RequestFetchAsync("repo");
        await WaitPhaseAsync(hub, "web", second, "AwaitingApproval", Converge, "second revision waits for approval before prod");
        var prodCell = admin.Locator("tr[data-cluster=member-3] td[data-sync]");
        await Assertions.Expect(prodCell).ToHaveAttributeAsync("data-sync", "OutOfSync", new() { Timeout = 30_000 });
        await DashboardBrowser.ShotAsync(admin, "matrix-out-of-sync");
        using (var api = new DashboardClient(fleet.HubPort, bearer: fleet.State.Hub.AdminToken))
            Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/namespaces/{Ns}/bundles/web/rollout/approve")).StatusCode);
        await Assertions.Expect(prodCell).ToHaveAttributeAsync("data-sync", "Synced", new() { Timeout = 60_000 });
        Assert.Null(await prodCell.GetAttributeAsync("data-rev")); // at the column's revision
        Assert.Equal(second[..12], await admin.GetAttributeAsync("#matrix thead th.col", "data-rev"));
        Assert.True(await admin.EvaluateAsync<bool>("window.notReloaded === true"));
    }
}
