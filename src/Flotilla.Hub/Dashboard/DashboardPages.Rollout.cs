using System.Text;
using Flotilla.Hub.Api;
using Flotilla.Hub.Api.Auth;
using static Flotilla.Hub.Dashboard.Html;

namespace Flotilla.Hub.Dashboard;

public sealed partial class DashboardPages
{
    /// <summary>A rollout: stages as a timeline with their gates, clusters in flight, failures, and the action buttons.</summary>
    public (string, string) Rollout(Session session, string ns, string name)
    {
        var title = $"Rollout of {ns}/{name}";
        if (view.Bundle(ns, name) is not { } bundle) return (title, "<p class=\"error\">not found</p>");
        var spec = bundle.Resource.Spec.Rollout;
        if (spec is null) return (title, $"<p>{BundleLink(ns, name)} has no spec.rollout: every placed cluster gets a new revision at once.</p>");
        var status = bundle.Resource.Status?.Rollout;
        var clusters = bundle.Resource.Status?.Clusters ?? [];
        var current = clusters.Select(c => c.Rollout?.Split('/')[0]).FirstOrDefault(stage => stage is not null);
        var main = new StringBuilder();
        main.Append($"<p id=\"rollout-phase\">{Badge(status?.Phase ?? "not planned yet")} {E(status?.Message)}</p>")
            .Append($"<p>{E(spec.Strategy ?? "All")} of revision <code>{E(MatrixCell.Short(status?.TargetRevision))}</code>; last fully healthy <code>{E(MatrixCell.Short(status?.LastHealthyRevision))}</code>")
            .Append(status?.AwaitingApproval is { } gate ? $"; <strong>waiting for approval of gate {E(gate)}</strong>" : "").Append("</p>");
        var action = $"/api/v1/namespaces/{U(ns)}/bundles/{U(name)}/rollout/";
        main.Append("<p class=\"actions\">")
            .Append($"<button data-action=\"{action}approve\" id=\"approve\"{(status?.AwaitingApproval is null ? " disabled" : "")}>Approve</button>")
            .Append($"<button data-action=\"{action}pause\" id=\"pause\">Pause</button>")
            .Append($"<button data-action=\"{action}resume\" id=\"resume\">Resume</button>")
            .Append($"<button data-action=\"{action}rollback\" id=\"rollback\"{(status?.LastHealthyRevision is null ? " disabled" : "")}>Roll back</button></p>");
        main.Append("<h2>Stages</h2><ol class=\"timeline\" id=\"stages\">");
        foreach (var stage in spec.Stages ?? [])
        {
            var gates = (stage.Before ?? []).Select(g => $"before: {g.Type}{(g.Duration is null ? "" : " " + g.Duration)}")
                .Concat((stage.After ?? []).Select(g => $"after: {g.Type}{(g.Duration is null ? "" : " " + g.Duration)}"));
            main.Append($"<li{(stage.Name == current ? " class=\"current\"" : "")}><strong>{E(stage.Name)}</strong><br><span class=\"muted\">{E(string.Join("; ", gates))}</span></li>");
        }
        main.Append("</ol><h2>Clusters in flight</h2>");
        var inFlight = clusters.Where(c => c.Rollout is not null).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        if (inFlight.Count == 0) main.Append("<p class=\"muted\">none</p>");
        else
        {
            main.Append("<table id=\"in-flight\"><tr><th>Cluster</th><th>Stage / state</th><th>Desired</th><th>Applied</th><th>Health</th></tr>");
            foreach (var c in inFlight)
                main.Append($"<tr><td>{ClusterLink(c.Name)}</td><td>{E(c.Rollout)}</td><td><code>{E(MatrixCell.Short(c.DesiredRevision))}</code></td><td><code>{E(MatrixCell.Short(c.AppliedRevision))}</code></td><td>{Badge(c.Health)}</td></tr>");
            main.Append("</table>");
        }
        var failures = clusters.Where(c => c.Error is not null || c.Phase == "Failed").OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        main.Append("<h2>Failures</h2>");
        if (failures.Count == 0) main.Append("<p class=\"muted\">none</p>");
        else
        {
            main.Append("<table id=\"failures\"><tr><th>Cluster</th><th>Phase</th><th>Error</th></tr>");
            foreach (var c in failures) main.Append($"<tr><td>{ClusterLink(c.Name)}</td><td>{Badge(c.Phase)}</td><td>{E(c.Error ?? c.HealthMessage)}</td></tr>");
            main.Append("</table>");
        }
        main.Append("<h2>Events</h2>").Append(EventTable(view.Events.Where(e => e.InvolvedObject.Kind == "Bundle" && e.InvolvedObject.NamespaceProperty == ns && e.InvolvedObject.Name == name).Take(20)));
        return (title, main.ToString());
    }
}
