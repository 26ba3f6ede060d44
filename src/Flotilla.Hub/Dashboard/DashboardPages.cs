using System.Text;
using Flotilla.Core.Clusters;
using Flotilla.Hub.Api;
using Flotilla.Hub.Api.Auth;
using static Flotilla.Hub.Dashboard.Html;

namespace Flotilla.Hub.Dashboard;

/// <summary>
/// The dashboard's pages, rendered from the <see cref="FleetView"/> (one file per page: <c>DashboardPages.*.cs</c>).
/// Each returns a title and the inner HTML of <c>&lt;main&gt;</c>; <see cref="PageLayout"/> frames it.
/// </summary>
public sealed partial class DashboardPages(FleetView view, TimeProvider clock)
{
    public (string, string) Overview(Session session)
    {
        var o = FleetOverview.From(view);
        var main = new StringBuilder("<div class=\"cards\">");
        main.Append("<div class=\"card\" id=\"clusters-by-status\"><h2>Clusters</h2>").Append(Counts(o.Clusters)).Append("</div>");
        main.Append("<div class=\"card\" id=\"bundles-by-readiness\"><h2>Bundles</h2>").Append(Counts(o.Bundles)).Append("</div></div>");
        main.Append("<h2>Rollouts in progress</h2>");
        if (o.Rollouts.Count == 0) main.Append("<p class=\"muted\">none</p>");
        else
        {
            main.Append("<table id=\"rollouts\"><tr><th>Bundle</th><th>Phase</th><th>Message</th></tr>");
            foreach (var r in o.Rollouts)
                main.Append($"<tr><td><a href=\"/bundles/{U(r.Namespace)}/{U(r.Name)}/rollout\">{E(r.Namespace)}/{E(r.Name)}</a></td><td>{Badge(r.Phase)}</td><td>{E(r.Message)}</td></tr>");
            main.Append("</table>");
        }
        main.Append("<h2>Recent warnings</h2>").Append(EventTable(o.Warnings));
        return ("Overview", main.ToString());
    }

    public (string, string) Clusters(Session session, string? selectorText)
    {
        var selector = LabelSelector.Parse(selectorText);
        var rows = ClusterRows.Select(view, selector).ToList();
        var now = clock.GetUtcNow();
        var main = new StringBuilder();
        main.Append($"<form class=\"filters\" method=\"get\"><label>Label selector<input name=\"selector\" value=\"{E(selectorText)}\" placeholder=\"env=prod,region in (eu-west)\" size=\"40\"></label><button>Filter</button></form>");
        main.Append($"<p>{rows.Count} clusters</p><table id=\"clusters\"><tr><th>Name</th><th>Status</th><th>Labels</th><th>Taints</th><th>Version</th><th>Nodes</th><th>Last seen</th></tr>");
        foreach (var c in rows)
            main.Append($"<tr><td>{ClusterLink(c.Name)}</td><td>{Badge(c.Status)}</td><td>{E(string.Join(", ", c.Labels.Select(l => $"{l.Key}={l.Value}")))}</td>")
                .Append($"<td>{E(string.Join(", ", c.Taints))}</td><td>{E(c.Version)}</td><td>{c.Nodes}</td><td>{Ago(c.LastSeen, now)}</td></tr>");
        main.Append("</table>");
        return ("Clusters", main.ToString());
    }

    public (string, string) Cluster(Session session, string name)
    {
        if (view.Cluster(name) is not { } cluster) return ($"Cluster {name}", "<p class=\"error\">not found</p>");
        var row = ClusterRows.Row(cluster);
        var main = new StringBuilder();
        main.Append($"<p>{Badge(row.Status)} {E(row.Message)}</p><p>Kubernetes {E(row.Version)}, {row.Nodes} nodes, last seen {Ago(row.LastSeen, clock.GetUtcNow())}</p>");
        main.Append($"<p>Labels: {E(string.Join(", ", row.Labels.Select(l => $"{l.Key}={l.Value}")))}; taints: {E(string.Join(", ", row.Taints))}</p>");
        main.Append("<h2>Bundles on this cluster</h2><table id=\"cluster-bundles\"><tr><th>Bundle</th><th>Sync</th><th>Revision</th><th>Health</th><th>Drift</th><th>Error</th></tr>");
        foreach (var b in ClusterRows.BundlesOn(view, name))
            main.Append($"<tr><td>{BundleLink(b.Namespace, b.Name)}</td><td>{Badge(b.Cell.Sync)}</td><td><code>{E(b.Cell.Revision)}</code></td><td>{Badge(b.Cell.Health)}</td><td>{E(b.Drift)}</td><td>{E(b.Cell.Error)}</td></tr>");
        main.Append("</table>");
        return ($"Cluster {name}", main.ToString());
    }

    public (string, string) Sources(Session session)
    {
        var now = clock.GetUtcNow();
        var main = new StringBuilder("<table id=\"sources\"><tr><th>Source</th><th>URL</th><th>Ref</th><th>Revision</th><th>Fetched</th><th>Error</th></tr>");
        foreach (var s in view.Sources.OrderBy(s => s.Metadata.NamespaceProperty + "/" + s.Metadata.Name, StringComparer.Ordinal))
        {
            var gitRef = s.Spec.Ref?.Commit ?? s.Spec.Ref?.Tag ?? s.Spec.Ref?.Branch ?? "";
            main.Append($"<tr><td>{E(s.Metadata.NamespaceProperty)}/{E(s.Metadata.Name)}</td><td>{E(s.Spec.Url)}</td><td>{E(gitRef)}</td>")
                .Append($"<td><code>{E(MatrixCell.Short(s.Status?.Revision))}</code></td><td>{Ago(s.Status?.FetchedAt, now)}</td><td>{E(s.Status?.LastError)}</td></tr>");
        }
        main.Append("</table>");
        return ("Sources", main.ToString());
    }

    private static string Counts(IReadOnlyDictionary<string, int> counts) =>
        counts.Count == 0 ? "<p class=\"muted\">none</p>" : string.Join(" ", counts.Select(c => $"{Badge(c.Key)} <b>{c.Value}</b>"));

    private string EventTable(IEnumerable<k8s.Models.Corev1Event> events)
    {
        var list = events.ToList();
        if (list.Count == 0) return "<p class=\"muted\">none</p>";
        var now = clock.GetUtcNow();
        var html = new StringBuilder("<table class=\"events\"><tr><th>When</th><th>Type</th><th>Object</th><th>Reason</th><th>Message</th></tr>");
        foreach (var e in list)
        {
            var at = e.LastTimestamp ?? e.EventTime ?? e.FirstTimestamp;
            html.Append($"<tr><td>{Ago(at is null ? null : new DateTimeOffset(DateTime.SpecifyKind(at.Value, DateTimeKind.Utc)), now)}</td><td>{Badge(e.Type)}</td>")
                .Append($"<td>{E(e.InvolvedObject.Kind)} {E(e.InvolvedObject.NamespaceProperty)}/{E(e.InvolvedObject.Name)}</td><td>{E(e.Reason)}</td><td>{E(e.Message)}</td></tr>");
        }
        return html.Append("</table>").ToString();
    }
}
