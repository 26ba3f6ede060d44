using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Flotilla.Core.Services;

namespace Flotilla.Kube.Services;

/// <summary>Maps the wire form of Services and ServiceExports to the planner's records.</summary>
public static class ServiceMapping
{
    private static readonly string[] ExportConditionTypes = ["Valid", "Ready", "Conflict"];

    public static ExportObservation? Export(JsonObject? export)
    {
        if (export is null) return null;
        var created = DateTimeOffset.Parse(export["metadata"]?["creationTimestamp"]?.GetValue<string>() ?? "1970-01-01T00:00:00Z", CultureInfo.InvariantCulture);
        var conditions = export["status"]?["conditions"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
        // In the planner's order, so an unchanged set of conditions compares equal.
        var ours = ExportConditionTypes
            .Select(t => conditions.FirstOrDefault(c => c["type"]?.GetValue<string>() == t))
            .OfType<JsonObject>()
            .Select(c => new ExportCondition(Text(c, "type"), Text(c, "status"), Text(c, "reason"), Text(c, "message")));
        return new ExportObservation(created, export["metadata"]?["generation"]?.GetValue<long>() ?? 0, [.. ours]);
    }

    public static ServiceObservation? Service(JsonObject? service)
    {
        if (service is null) return null;
        var spec = service["spec"] as JsonObject ?? [];
        var ports = (spec["ports"]?.AsArray().OfType<JsonObject>() ?? []).Select(p => new ServicePort(
            p["name"]?.GetValue<string>() ?? "", p["protocol"]?.GetValue<string>() ?? "TCP", p["port"]?.GetValue<int>() ?? 0,
            p["appProtocol"]?.GetValue<string>()));
        return new ServiceObservation(spec["type"]?.GetValue<string>() ?? "ClusterIP", spec["clusterIP"]?.GetValue<string>(), [.. ports],
            spec["sessionAffinity"]?.GetValue<string>() ?? "None",
            [.. spec["ipFamilies"]?.AsArray().Select(f => f!.GetValue<string>()) ?? []]);
    }

    private static string Text(JsonObject obj, string field) => obj[field]?.GetValue<string>() ?? "";
}
