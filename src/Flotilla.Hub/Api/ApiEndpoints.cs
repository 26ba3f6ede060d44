using Flotilla.Core.Clusters;
using Flotilla.Hub.Api.Auth;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Flotilla.Hub.Api;

/// <summary>
/// The read API under <c>/api/v1</c> (JSON, from the <see cref="FleetView"/>, never from the API server per request) and
/// the rollout actions. Every endpoint answers 401 to an anonymous caller and 403 to one the hub's RBAC refuses;
/// objects are returned as the hub stores them (what <c>kubectl get -o json</c> would show the same user).
/// </summary>
public static class ApiEndpoints
{
    public static void Map(IEndpointRouteBuilder app, FleetView view, RequestAuth auth, RolloutActions actions)
    {
        var api = app.MapGroup("/api/v1");
        Get(api, "/overview", http => Guarded(http, auth, [AccessCheck.ListClusters, AccessCheck.ListBundles()],
            () => Json(FleetOverview.From(view))));
        Get(api, "/clusters", http => Guarded(http, auth, [AccessCheck.ListClusters], () =>
        {
            var selector = LabelSelector.Parse(http.Request.Query["selector"]);
            return Json(new { items = ClusterRows.Select(view, selector) });
        }));
        api.MapGet("/clusters/{name}", (HttpContext http, string name) => Guarded(http, auth, [AccessCheck.GetCluster(name), AccessCheck.ListBundles()], () =>
            view.Cluster(name) is { } cluster
                ? Json(new { cluster, bundles = ClusterRows.BundlesOn(view, name) })
                : NotFound($"cluster {name} not found")));
        Get(api, "/bundles", http =>
        {
            var ns = Blank(http.Request.Query["namespace"]);
            return Guarded(http, auth, [AccessCheck.ListBundles(ns)], () =>
                Json(new { items = view.Bundles.Where(b => ns is null || b.Namespace == ns).OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => b.Resource) }));
        });
        api.MapGet("/namespaces/{ns}/bundles/{name}", (HttpContext http, string ns, string name) => Guarded(http, auth, [AccessCheck.GetBundle(ns, name)], () =>
            view.Bundle(ns, name) is { } b ? Json(b.Resource) : NotFound($"bundle {ns}/{name} not found")));
        api.MapGet("/namespaces/{ns}/bundles/{name}/rollout", (HttpContext http, string ns, string name) => Guarded(http, auth, [AccessCheck.GetBundle(ns, name)], () =>
            view.Bundle(ns, name) is { } b
                ? Json(new { spec = b.Resource.Spec.Rollout, status = b.Resource.Status?.Rollout, clusters = b.Resource.Status?.Clusters?.Where(c => c.Rollout is not null) })
                : NotFound($"bundle {ns}/{name} not found")));
        Get(api, "/sources", http => Guarded(http, auth, [AccessCheck.ListSources], () =>
            Json(new { items = view.Sources.OrderBy(s => s.Metadata.NamespaceProperty + "/" + s.Metadata.Name, StringComparer.Ordinal) })));
        Get(api, "/events", http => Guarded(http, auth, [AccessCheck.ListEvents], () =>
        {
            var kind = Blank(http.Request.Query["kind"]);
            var name = Blank(http.Request.Query["name"]);
            return Json(new { items = view.Events.Where(e => (kind is null || e.InvolvedObject.Kind == kind) && (name is null || e.InvolvedObject.Name == name)) });
        }));
        Get(api, "/matrix", http => Guarded(http, auth, [AccessCheck.ListClusters, AccessCheck.ListBundles()], () =>
            Json(MatrixBuilder.Build(view.Clusters, view.Bundles, MatrixQuery.Parse(k => Blank(http.Request.Query[k]))))));
        api.MapGet("/stream", (HttpContext http) => LiveUpdates.StreamAsync(http, view, auth));
        api.MapPost("/namespaces/{ns}/bundles/{name}/rollout/{action}", (HttpContext http, string ns, string name, string action) =>
            actions.HandleAsync(http, ns, name, action));
    }

    // Cast to Delegate: a handler taking only the HttpContext would otherwise be bound as a RequestDelegate and its result dropped.
    private static void Get(RouteGroupBuilder api, string pattern, Func<HttpContext, Task<IResult>> handler) => api.MapGet(pattern, (Delegate)handler);

    /// <summary>Runs <paramref name="answer"/> once the caller passed every check; a bad query parameter is a 400.</summary>
    public static async Task<IResult> Guarded(HttpContext http, RequestAuth auth, AccessCheck[] checks, Func<IResult> answer)
    {
        var (caller, _) = await auth.IdentifyAsync(http);
        if (await auth.CheckAsync(caller, checks, http.RequestAborted) is { } denial) return Problem(denial.StatusCode, denial.Message);
        try { return answer(); }
        catch (FormatException e) { return Problem(StatusCodes.Status400BadRequest, e.Message); }
    }

    public static IResult Json(object value) => Results.Text(KubernetesJson.Serialize(value), "application/json; charset=utf-8");

    public static IResult Problem(int status, string message) =>
        Results.Text(KubernetesJson.Serialize(new { error = message }), "application/json; charset=utf-8", statusCode: status);

    private static IResult NotFound(string message) => Problem(StatusCodes.Status404NotFound, message);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
