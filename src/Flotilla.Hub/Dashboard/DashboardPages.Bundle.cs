using System.Text;
using Flotilla.Controllers.Bundles;
using Flotilla.Core.Placement;
using Flotilla.Hub.Api;
using Flotilla.Hub.Api.Auth;
using static Flotilla.Hub.Dashboard.Html;

namespace Flotilla.Hub.Dashboard;

public sealed partial class DashboardPages
{
    public (string, string) Bundles(Session session)
    {
        var main = new StringBuilder("<table id=\"bundles\"><tr><th>Bundle</th><th>Ready</th><th>Revision</th><th>Placed</th><th>Synced</th><th>Healthy</th><th>Failed</th><th>Rollout</th></tr>");
        foreach (var b in view.Bundles.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            var s = b.Resource.Status;
            main.Append($"<tr><td>{BundleLink(b.Namespace, b.Name)}</td><td>{Badge(b.Ready ? "Ready" : "NotReady")}</td><td><code>{E(MatrixCell.Short(s?.DesiredRevision))}</code></td>")
                .Append($"<td>{s?.Summary?.Placed}</td><td>{s?.Summary?.Synced}</td><td>{s?.Summary?.Healthy}</td><td>{s?.Summary?.Failed}</td>")
                .Append($"<td>{(b.Resource.Spec.Rollout is null ? "" : $"<a href=\"/bundles/{U(b.Namespace)}/{U(b.Name)}/rollout\">{Badge(s?.Rollout?.Phase ?? "-")}</a>")}</td></tr>");
        }
        return ("Bundles", main.Append("</table>").ToString());
    }

    /// <summary>One bundle: conditions, per-cluster table (errors, drift), placement decisions and reasons, its events.</summary>
    public (string, string) Bundle(Session session, string ns, string name, string? focus)
    {
        var title = $"Bundle {ns}/{name}";
        if (view.Bundle(ns, name) is not { } bundle) return (title, "<p class=\"error\">not found</p>");
        var s = bundle.Resource.Status;
        var now = clock.GetUtcNow();
        var main = new StringBuilder();
        main.Append($"<p>{Badge(bundle.Ready ? "Ready" : "NotReady")} source <code>{E(bundle.Resource.Spec.SourceRef.Name)}</code> path <code>{E(bundle.Resource.Spec.Path)}</code>, revision <code>{E(MatrixCell.Short(s?.DesiredRevision))}</code>");
        if (bundle.Resource.Spec.Rollout is not null) main.Append($" · <a href=\"/bundles/{U(ns)}/{U(name)}/rollout\">rollout {Badge(s?.Rollout?.Phase ?? "-")}</a>");
        main.Append("</p>");
        if (s?.RenderError is { } renderError) main.Append($"<p class=\"error\">render error: {E(renderError)}</p>");
        main.Append("<h2>Conditions</h2><table><tr><th>Type</th><th>Status</th><th>Reason</th><th>Message</th></tr>");
        foreach (var c in s?.Conditions ?? []) main.Append($"<tr><td>{E(c.Type)}</td><td>{Badge(c.Status)}</td><td>{E(c.Reason)}</td><td>{E(c.Message)}</td></tr>");
        main.Append("</table><h2>Clusters</h2><table id=\"bundle-clusters\"><tr><th>Cluster</th><th>Sync</th><th>Applied</th><th>Health</th><th>Objects</th><th>Drift</th><th>Error</th><th>Last sync</th></tr>");
        foreach (var c in (s?.Clusters ?? []).OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            var cell = MatrixCell.From(c, s?.DesiredRevision);
            main.Append($"<tr{(c.Name == focus ? " class=\"focus\" id=\"focus\"" : "")}><td>{ClusterLink(c.Name)} <a class=\"diff-link\" href=\"/bundles/{U(ns)}/{U(name)}/diff?cluster={U(c.Name)}\">diff</a></td><td>{Badge(cell.Sync)}</td><td><code>{E(cell.Revision)}</code></td><td>{Badge(c.Health)} {E(c.HealthMessage)}</td>")
                .Append($"<td>{c.Objects}</td><td>{E(c.Drift)}</td><td>{E(c.Error)}</td><td>{Ago(c.LastSyncTime, now)}</td></tr>");
        }
        main.Append("</table><h2>Placement</h2>");
        if (s?.Placement is { } p)
        {
            main.Append($"<p>Selected: {string.Join(", ", p.Selected.Select(ClusterLink))}; not selected: {p.NotSelected}</p>");
            if (p.Reasons is { Count: > 0 })
            {
                main.Append("<table id=\"placement-reasons\"><tr><th>Cluster</th><th>Why not</th></tr>");
                foreach (var r in p.Reasons) main.Append($"<tr><td>{ClusterLink(r.Cluster)}</td><td>{E(r.Reason)}</td></tr>");
                main.Append("</table>");
            }
        }
        else main.Append("<p class=\"muted\">not placed yet</p>");
        main.Append(Explain(bundle));
        main.Append("<h2>Events</h2>").Append(EventTable(view.Events.Where(e => e.InvolvedObject.Kind == "Bundle" && e.InvolvedObject.NamespaceProperty == ns && e.InvolvedObject.Name == name).Take(50)));
        return (title, main.ToString());
    }

    /// <summary>
    /// The placement explain table (as <c>flotilla placement explain</c> prints it): every registered cluster, selected
    /// or not, with its score or the first reason, decided now from the view by the hub's own engine.
    /// </summary>
    private string Explain(BundleView bundle)
    {
        var spec = PlacementMapping.Spec(bundle.Resource.Spec.Placement);
        if (spec.Validate() is { Length: > 0 } invalid) return $"<p class=\"error\">spec.placement: {E(string.Join("; ", invalid))}</p>";
        var clusters = view.Clusters.Where(c => c.Metadata.DeletionTimestamp is null).ToList();
        var decision = HubPlacement.Decide(spec, bundle.Resource, clusters, view.Bundles.Select(b => b.Resource), clock.GetUtcNow());
        var html = new StringBuilder("<h3>Explain</h3><table id=\"placement-explain\"><tr>");
        foreach (var header in PlacementExplainer.Headers) html.Append($"<th>{E(header)}</th>");
        html.Append("</tr>");
        foreach (var row in PlacementExplainer.Rows(decision))
            html.Append("<tr>").Append(string.Concat(row.Cells.Select(c => $"<td>{E(c)}</td>"))).Append("</tr>");
        return html.Append("</table>").ToString();
    }
}
