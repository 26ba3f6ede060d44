using System.Text;
using Flotilla.Hub.Api.Auth;
using Flotilla.Kube.Sync;
using static Flotilla.Hub.Dashboard.Html;

namespace Flotilla.Hub.Dashboard;

public sealed partial class DashboardPages
{
    /// <summary>
    /// One cluster's diff, as <c>flotilla diff bundle</c> prints it: a line per object that would change (or is refused),
    /// the redacted YAML line diff of each update, and the counts.
    /// </summary>
    public static (string, string) Diff(Session session, string ns, string name, string cluster, ClusterDiff diff)
    {
        var main = new StringBuilder($"<p>{BundleLink(ns, name)} on {ClusterLink(cluster)}");
        if (diff.Unavailable is { } why) return ($"Diff of {ns}/{name} on {cluster}", main.Append($"</p><p class=\"error\" id=\"diff-unavailable\">{E(why)}</p>").ToString());
        main.Append($" at <code>{E(diff.Revision)}</code>: what the next sync would do (planned and dry-run on the cluster now; Secret values redacted)</p>");
        var counts = diff.Objects.GroupBy(d => d.Action).OrderBy(g => g.Key).Select(g => $"{g.Count()} {ObjectDiffText.Words(g.Key)}");
        main.Append($"<p id=\"diff-summary\">{E(string.Join(", ", counts))}</p>");
        var shown = diff.Objects.Where(ObjectDiffText.Shown).ToList();
        if (shown.Count == 0) main.Append("<p class=\"muted\" id=\"diff-none\">nothing would change</p>");
        main.Append("<div id=\"diff\">");
        foreach (var d in shown)
        {
            main.Append($"<h3 class=\"{(ObjectDiffText.IsFailure(d) ? "error" : "")}\">{E(ObjectDiffText.Line(d))}</h3>");
            if (ObjectDiffText.Body(d) is { Length: > 0 } body) main.Append($"<pre>{E(body)}</pre>");
        }
        return ($"Diff of {ns}/{name} on {cluster}", main.Append("</div>").ToString());
    }
}
