using System.Text;
using Flotilla.Hub.Api;
using Flotilla.Hub.Api.Auth;
using Microsoft.AspNetCore.Http;
using static Flotilla.Hub.Dashboard.Html;

namespace Flotilla.Hub.Dashboard;

public sealed partial class DashboardPages
{
    /// <summary>The bundle × cluster matrix: filters, one page of rows (server-side), a group header row per label value.</summary>
    public (string, string) Matrix(Session session, IQueryCollection query)
    {
        string? Get(string key) => string.IsNullOrWhiteSpace(query[key]) ? null : query[key].ToString();
        var q = MatrixQuery.Parse(Get);
        var m = MatrixBuilder.Build(view.Clusters, view.Bundles, q);
        var main = new StringBuilder(64 * 1024);
        main.Append("<form class=\"filters\" method=\"get\">")
            .Append($"<label>Label selector<input name=\"selector\" value=\"{E(Get("selector"))}\" size=\"30\"></label>")
            .Append("<label>Status<select name=\"status\"><option value=\"\">any</option>");
        foreach (var s in Enum.GetNames<MatrixStatusFilter>())
            main.Append($"<option{(q.Status?.ToString() == s ? " selected" : "")}>{s}</option>");
        main.Append("</select></label>")
            .Append($"<label>Group by label<input name=\"groupBy\" value=\"{E(q.GroupBy)}\" size=\"12\"></label>")
            .Append($"<label>Namespace<input name=\"namespace\" value=\"{E(q.Namespace)}\" size=\"12\"></label>")
            .Append($"<label>Rows per page<input name=\"pageSize\" value=\"{q.PageSize}\" size=\"4\"></label><button>Apply</button></form>");
        main.Append($"<p id=\"matrix-summary\">{m.TotalClusters} clusters × {m.Bundles.Count} bundles; page {m.Page} of {m.Pages}</p>");
        main.Append(Pager(query, m));
        main.Append("<table class=\"matrix\" id=\"matrix\"><thead><tr><th>Cluster</th>");
        foreach (var b in m.Bundles)
            main.Append($"<th class=\"col\" data-bundle=\"{E(b.Namespace)}/{E(b.Name)}\" data-rev=\"{E(b.Revision)}\" title=\"{E(b.Namespace)}/{E(b.Name)} at {E(b.Revision)}: {b.Synced} synced, {b.OutOfSync} out of sync, {b.Failed} failed\"><a href=\"/bundles/{U(b.Namespace)}/{U(b.Name)}\">{E(b.Name)}</a></th>");
        main.Append("</tr></thead><tbody>");
        string? group = null;
        foreach (var row in m.Rows)
        {
            if (q.GroupBy is not null && (group is null || row.Group != group))
            {
                group = row.Group ?? "";
                main.Append($"<tr class=\"group\"><th colspan=\"{m.Bundles.Count + 1}\">{E(q.GroupBy)}={E(group.Length == 0 ? "(none)" : group)}</th></tr>");
            }
            main.Append($"<tr data-cluster=\"{E(row.Cluster)}\"><th>{ClusterLink(row.Cluster)}</th>");
            for (var i = 0; i < row.Cells.Count; i++)
            {
                if (row.Cells[i] is not { } c) { main.Append("<td></td>"); continue; }
                // Kept small (5,000 cells on a page): one attribute styles the cell, the revision only where it is not
                // the column's, no class, link or tooltip (the script opens the bundle's row for this cluster on a click).
                var mark = c.Sync switch { "Synced" => c.Drift ? "~" : "✓", "Failed" or "Unreachable" => "✗", _ => "…" };
                main.Append($"<td data-sync=\"{E(c.Sync)}\"");
                if (c.Revision != m.Bundles[i].Revision) main.Append($" data-rev=\"{E(c.Revision)}\"");
                if (c.Drift) main.Append(" data-drift");
                main.Append('>').Append(mark).Append("</td>");
            }
            main.Append("</tr>");
        }
        main.Append("</tbody></table>").Append(Pager(query, m));
        return ("Bundle × cluster matrix", main.ToString());
    }

    private static string Pager(IQueryCollection query, MatrixPage m)
    {
        if (m.Pages <= 1) return "";
        string Link(int page, string text) =>
            $"<a href=\"/matrix?{string.Join("&", query.Where(p => p.Key != "page").Select(p => $"{U(p.Key)}={U(p.Value)}").Append($"page={page}"))}\" rel=\"{text}\">{text}</a>";
        var html = new StringBuilder("<p class=\"pager\">");
        if (m.Page > 1) html.Append(Link(m.Page - 1, "prev")).Append(' ');
        if (m.Page < m.Pages) html.Append(Link(m.Page + 1, "next"));
        return html.Append("</p>").ToString();
    }
}
