using System.Reflection;
using Flotilla.Controllers.Bundles;
using Flotilla.Hub.Api;
using Flotilla.Hub.Api.Auth;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flotilla.Hub.Dashboard;

/// <summary>
/// Wires the read API, the rollout actions, login and the dashboard pages into the hub's web host. Pages are
/// rendered on the server from the <see cref="FleetView"/>; each one checks the user's rights with the same
/// SubjectAccessReviews as the API endpoint behind it.
/// </summary>
public static class DashboardHost
{
    /// <param name="diffs">The per-cluster diffs (null: this host serves no diff, as in a test of the pages alone).</param>
    public static void Map(IEndpointRouteBuilder app, IKubernetes hub, FleetView view, TimeProvider clock, ClusterDiffs? diffs = null)
    {
        var auth = new RequestAuth(new AccessReviewer(hub, clock), new SessionStore(clock));
        ApiEndpoints.Map(app, view, auth, new RolloutActions(hub, view, auth,
            new BundleEvents(hub, clock, app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger<BundleEvents>())));
        LoginEndpoints.Map(app, auth);
        MapAssets(app);
        var pages = new DashboardPages(view, clock);
        Page(app, auth, "/", _ => [AccessCheck.ListClusters, AccessCheck.ListBundles()], (http, s) => pages.Overview(s));
        Page(app, auth, "/clusters", _ => [AccessCheck.ListClusters], (http, s) => pages.Clusters(s, http.Request.Query["selector"]));
        Page(app, auth, "/clusters/{name}", r => [AccessCheck.GetCluster(Route(r, "name")), AccessCheck.ListBundles()],
            (http, s) => pages.Cluster(s, Route(http, "name")));
        Page(app, auth, "/matrix", _ => [AccessCheck.ListClusters, AccessCheck.ListBundles()], (http, s) => pages.Matrix(s, http.Request.Query));
        Page(app, auth, "/bundles", _ => [AccessCheck.ListBundles()], (http, s) => pages.Bundles(s));
        Page(app, auth, "/bundles/{ns}/{name}", r => [AccessCheck.GetBundle(Route(r, "ns"), Route(r, "name")), AccessCheck.ListEvents],
            (http, s) => pages.Bundle(s, Route(http, "ns"), Route(http, "name"), http.Request.Query["cluster"]));
        Page(app, auth, "/bundles/{ns}/{name}/rollout", r => [AccessCheck.GetBundle(Route(r, "ns"), Route(r, "name"))],
            (http, s) => pages.Rollout(s, Route(http, "ns"), Route(http, "name")));
        Page(app, auth, "/sources", _ => [AccessCheck.ListSources], (http, s) => pages.Sources(s));
        // The diff reads the member (through the hub's credentials) and shows the bundle's objects there: the user must
        // be allowed to get both the Bundle and the Cluster.
        Page(app, auth, "/bundles/{ns}/{name}/diff", r => [AccessCheck.GetBundle(Route(r, "ns"), Route(r, "name")), AccessCheck.GetCluster(r.Request.Query["cluster"].ToString())],
            async (http, s) =>
            {
                var (ns, name, cluster) = (Route(http, "ns"), Route(http, "name"), http.Request.Query["cluster"].ToString());
                if (cluster.Length == 0) throw new FormatException("?cluster=NAME is required: the diff is for one cluster");
                var diff = diffs is null ? ClusterDiff.Not("this hub serves no diffs") : await diffs.ForAsync(ns, name, cluster, http.RequestAborted);
                return DashboardPages.Diff(s, ns, name, cluster, diff);
            });
    }

    private static string Route(HttpContext http, string key) => http.Request.RouteValues[key]?.ToString() ?? "";

    /// <summary>
    /// A page for a logged-in user: no session sends the browser to the login page; a refused read shows a 403 page
    /// naming the permission; a bad filter value shows a 400 page with the reason.
    /// </summary>
    private static void Page(IEndpointRouteBuilder app, RequestAuth auth, string pattern, Func<HttpContext, AccessCheck[]> checks,
        Func<HttpContext, Session, (string Title, string Main)> render) =>
        Page(app, auth, pattern, checks, (http, s) => Task.FromResult(render(http, s)));

    private static void Page(IEndpointRouteBuilder app, RequestAuth auth, string pattern, Func<HttpContext, AccessCheck[]> checks,
        Func<HttpContext, Session, Task<(string Title, string Main)>> render) =>
        app.MapGet(pattern, (Delegate)(async (HttpContext http) =>
        {
            var session = auth.Sessions.Find(http.Request.Cookies[SessionStore.CookieName]);
            if (session is null) return Results.Redirect("/login?next=" + Uri.EscapeDataString(http.Request.Path + http.Request.QueryString));
            http.Response.Headers.CacheControl = "no-store";
            if (await auth.CheckAsync(session.Caller, checks(http), http.RequestAborted) is { } denial)
                return HtmlPage(PageLayout.Render("Forbidden", session, $"<p class=\"error\">{Html.E(denial.Message)}</p>", live: false), denial.StatusCode);
            try
            {
                var (title, main) = await render(http, session);
                return HtmlPage(PageLayout.Render(title, session, main), StatusCodes.Status200OK);
            }
            catch (FormatException e)
            {
                return HtmlPage(PageLayout.Render("Bad request", session, $"<p class=\"error\">{Html.E(e.Message)}</p>", live: false), StatusCodes.Status400BadRequest);
            }
        }));

    public static IResult HtmlPage(string html, int status) => Results.Text(html, "text/html; charset=utf-8", statusCode: status);

    /// <summary>The pages' stylesheet and script under <c>/assets/</c>, served from the assembly (no login needed).</summary>
    public static void MapAssets(IEndpointRouteBuilder app)
    {
        MapAsset(app, "dashboard.css", "text/css; charset=utf-8");
        MapAsset(app, "dashboard.js", "text/javascript; charset=utf-8");
    }

    private static void MapAsset(IEndpointRouteBuilder app, string file, string contentType)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Flotilla.Dashboard.{file}")
            ?? throw new InvalidOperationException($"dashboard asset {file} is not embedded");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        app.MapGet($"/assets/{file}", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=300";
            return Results.Text(text, contentType);
        });
    }
}
