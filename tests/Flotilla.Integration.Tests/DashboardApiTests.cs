using System.Net;
using System.Text.Json.Nodes;
using Flotilla.Kube.Api;
using static Flotilla.Integration.Tests.RolloutParts;

namespace Flotilla.Integration.Tests;

/// <summary>
/// The hub's read API and rollout actions on the real fleet and hub process: every endpoint refuses an anonymous or
/// bad-token caller (401); the viewer token reads everything and is refused an approve (403, nothing changes); a
/// logged-in admin needs the CSRF token, then the approve moves the rollout on and an Event names the admin; each stage
/// starting and completing is an Event.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class DashboardApiTests(FleetFixture fleet)
{
    private const string Ns = "dash-api";
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(90);

    private static readonly string[] ReadEndpoints =
    [
        "/api/v1/overview", "/api/v1/clusters", "/api/v1/clusters/member-1", "/api/v1/bundles", $"/api/v1/namespaces/{Ns}/bundles/app",
        $"/api/v1/namespaces/{Ns}/bundles/app/rollout", "/api/v1/sources", "/api/v1/events", "/api/v1/matrix", "/api/v1/stream",
    ];

    private async Task<(HubObjects Hub, string Revision)> StartAsync()
    {
        var hub = new HubObjects(fleet.Hub, Ns);
        await hub.EnsureNamespaceAsync();
        var repo = new GitFixtureRepo(fleet.Directory, $"repo-{Ns}");
        var revision = repo.Commit(AppFiles(Ns, "v1"));
        await hub.SourceAsync("repo", repo.Url);
        await ApplyAppBundleAsync(hub, "app", StagedWithApproval());
        await WaitPhaseAsync(hub, "app", revision, "AwaitingApproval", Converge, "rollout waits for approval before prod");
        return (hub, revision);
    }

    [Fact]
    public async Task Anonymous_and_bad_token_callers_are_refused_the_viewer_reads_but_may_not_approve_and_the_admin_approves_with_csrf()
    {
        await DashboardClient.WaitForHubAsync(fleet.HubPort);
        var (hub, revision) = await StartAsync();

        using var anonymous = new DashboardClient(fleet.HubPort);
        using var forged = new DashboardClient(fleet.HubPort, bearer: "not-a-token");
        foreach (var path in ReadEndpoints)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync(path)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"/api/v1/namespaces/{Ns}/bundles/app/rollout/approve")).StatusCode);
        var page = await anonymous.GetAsync("/matrix");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.OriginalString);

        // The viewer reads every endpoint (the stream answers 200 and keeps the connection: only its headers are read).
        using var viewer = new DashboardClient(fleet.HubPort, bearer: fleet.State.Hub.ViewerToken);
        foreach (var path in ReadEndpoints.Where(p => !p.EndsWith("/stream")))
        {
            var response = await viewer.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        var matrix = JsonNode.Parse(await (await viewer.GetAsync($"/api/v1/matrix?namespace={Ns}")).Content.ReadAsStringAsync())!;
        Assert.Equal("app", matrix["bundles"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(["member-1", "member-2", "member-3"], matrix["rows"]!.AsArray().Select(r => r!["cluster"]!.GetValue<string>()));
        Assert.Equal(2, matrix["bundles"]![0]!["synced"]!.GetValue<int>()); // dev and staging have it; prod waits at the gate
        Assert.Equal(HttpStatusCode.BadRequest, (await viewer.GetAsync("/api/v1/matrix?status=Nope")).StatusCode);

        var refused = await viewer.PostAsync($"/api/v1/namespaces/{Ns}/bundles/app/rollout/approve");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("flotilla-viewer may not patch bundles.flotilla.io app in namespace dash-api", await refused.Content.ReadAsStringAsync());

        // Logged in with the admin token: the cookie is HttpOnly and SameSite=Strict; an action needs the CSRF token.
        using var admin = new DashboardClient(fleet.HubPort);
        var login = await admin.LoginAsync(fleet.State.Hub.AdminToken);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var setCookie = login.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(fleet.State.Hub.AdminToken, setCookie);
        Assert.False(string.IsNullOrEmpty(admin.Csrf));
        var approve = $"/api/v1/namespaces/{Ns}/bundles/app/rollout/approve";
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsync(approve)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsync(approve, csrf: "wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsync(approve, csrf: admin.Csrf, origin: "http://evil.example")).StatusCode);
        Assert.Equal("AwaitingApproval", (await RolloutAsync(hub, "app"))!.Phase); // nothing the refused requests sent changed the run

        var approved = await admin.PostAsync(approve, csrf: admin.Csrf);
        Assert.True(approved.StatusCode == HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
        await WaitPhaseAsync(hub, "app", revision, "Completed", Converge, "approved rollout completes");
        await Eventually.WaitAsync(async () => (await fleet.Hub.CoreV1.ListNamespacedEventAsync(Ns)).Items
            .Any(e => e.InvolvedObject.Name == "app" && e.Reason == "RolloutApproveRequested" && e.Message.Contains("flotilla-admin requested approve gate prod/before/0")),
            TimeSpan.FromSeconds(10), "an Event naming the admin");
        // The run's stages are Events too: staging completed and prod started before the approval, prod completed after it.
        await Eventually.WaitAsync(async () =>
        {
            var events = (await fleet.Hub.CoreV1.ListNamespacedEventAsync(Ns)).Items.Where(e => e.InvolvedObject.Name == "app").ToList();
            bool Has(string reason, string start) => events.Any(e => e.Reason == reason && e.Type == "Normal" && e.Message.StartsWith(start, StringComparison.Ordinal));
            return Has("RolloutStageCompleted", "stage staging completed: 1 of 1") && Has("RolloutStageStarted", "stage prod started (3 of 3)")
                && Has("RolloutStageCompleted", "stage prod completed: 1 of 1");
        }, TimeSpan.FromSeconds(10), "stage Events for staging and prod", async () => string.Join("\n",
            (await fleet.Hub.CoreV1.ListNamespacedEventAsync(Ns)).Items.Where(e => e.InvolvedObject.Name == "app").Select(e => $"{e.Type} {e.Reason}: {e.Message}")));
    }

    [Fact]
    public async Task A_login_with_a_bad_token_or_from_another_origin_is_refused_and_logout_needs_the_csrf_token()
    {
        await DashboardClient.WaitForHubAsync(fleet.HubPort);
        using var client = new DashboardClient(fleet.HubPort);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.LoginAsync("not-a-token")).StatusCode);
        Assert.Null(client.SessionCookie);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.LoginAsync(fleet.State.Hub.AdminToken, origin: "http://evil.example")).StatusCode);
        Assert.Null(client.SessionCookie);
        using var admin = new DashboardClient(fleet.HubPort);
        await admin.LoginAsync(fleet.State.Hub.AdminToken);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/clusters")).StatusCode); // the cookie alone authenticates reads
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsync("/logout")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/clusters")).StatusCode);
    }
}
