using System.Text.Json.Nodes;
using Flotilla.Core.Sync;

namespace Flotilla.Core.Services;

/// <summary>
/// The objects Flotilla writes into a member for a multi-cluster service: the ServiceImport, and one copy of each
/// EndpointSlice an exporting cluster has, in the EndpointSlice version the target serves. Each carries Flotilla's
/// labels and the hash of its own content (<see cref="OwnershipLabels.DesiredHash"/>).
/// </summary>
public static class ImportedObjects
{
    private const int MaxName = 253;

    public static JsonObject Import(string clusterSet, ServiceKey service, MergedImport merged)
    {
        var ports = new JsonArray();
        foreach (var port in merged.Ports)
        {
            var entry = new JsonObject();
            if (port.Name.Length > 0) entry["name"] = port.Name;
            entry["protocol"] = port.Protocol;
            entry["port"] = port.Port;
            if (port.AppProtocol is not null) entry["appProtocol"] = port.AppProtocol;
            ports.Add(entry);
        }
        var spec = new JsonObject { ["type"] = merged.Type.ToString(), ["ports"] = ports };
        if (merged.SessionAffinity.Length > 0) spec["sessionAffinity"] = merged.SessionAffinity;
        return Hashed(new JsonObject
        {
            ["apiVersion"] = McsNames.ApiVersion,
            ["kind"] = "ServiceImport",
            ["metadata"] = Metadata(clusterSet, service.Namespace, service.Name, []),
            ["spec"] = spec,
        });
    }

    /// <summary>The copy's name: the service, the source cluster and a hash of the source slice's name (unique per source slice).</summary>
    public static string CopyName(string service, string sourceCluster, string sourceSlice)
    {
        var suffix = $"-{sourceCluster}-{ContentHash.Short(sourceSlice)}";
        return (service.Length + suffix.Length > MaxName ? service[..(MaxName - suffix.Length)] : service) + suffix;
    }

    /// <summary>
    /// A copy of <paramref name="source"/> (an EndpointSlice of <paramref name="sourceCluster"/>, in its own version) as
    /// <paramref name="targetApiVersion"/> writes it: addresses, conditions, hostname and zone kept; the node and the
    /// target reference (a pod of another cluster) dropped.
    /// </summary>
    public static JsonObject Copy(string clusterSet, ServiceKey service, string sourceCluster, JsonObject source, string targetApiVersion)
    {
        var sourceName = source["metadata"]?["name"]?.GetValue<string>() ?? "";
        var v1 = targetApiVersion == "discovery.k8s.io/v1";
        var endpoints = new JsonArray();
        foreach (var endpoint in source["endpoints"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            var copy = new JsonObject { ["addresses"] = endpoint["addresses"]?.DeepClone() ?? new JsonArray() };
            if (endpoint["conditions"] is JsonObject conditions) copy["conditions"] = conditions.DeepClone();
            if (endpoint["hostname"] is JsonValue hostname) copy["hostname"] = hostname.DeepClone();
            var zone = endpoint["zone"]?.GetValue<string>() ?? endpoint["topology"]?["topology.kubernetes.io/zone"]?.GetValue<string>();
            if (zone is not null)
                copy[v1 ? "zone" : "topology"] = v1 ? zone : new JsonObject { ["topology.kubernetes.io/zone"] = zone };
            endpoints.Add(copy);
        }
        var ports = new JsonArray();
        foreach (var port in source["ports"]?.AsArray().OfType<JsonObject>() ?? []) ports.Add(port.DeepClone());
        var labels = new Dictionary<string, string>
        {
            [McsNames.ServiceNameLabel] = service.Name,
            [McsNames.SourceClusterLabel] = sourceCluster,
            [McsNames.ManagedByLabel] = McsNames.SliceManager,
        };
        var metadata = Metadata(clusterSet, service.Namespace, CopyName(service.Name, sourceCluster, sourceName), labels);
        metadata["annotations"]![McsNames.SourceSliceAnnotation] = sourceName;
        return Hashed(new JsonObject
        {
            ["apiVersion"] = targetApiVersion,
            ["kind"] = "EndpointSlice",
            ["metadata"] = metadata,
            ["addressType"] = source["addressType"]?.DeepClone() ?? "IPv4",
            ["endpoints"] = endpoints,
            ["ports"] = ports,
        });
    }

    /// <summary>The hash an object written by Flotilla carries (null when it carries none).</summary>
    public static string? HashOf(JsonObject obj) => obj["metadata"]?["annotations"]?[OwnershipLabels.DesiredHash]?.GetValue<string>();

    private static JsonObject Metadata(string clusterSet, string ns, string name, Dictionary<string, string> extraLabels)
    {
        var labels = new JsonObject { [OwnershipLabels.ManagedBy] = OwnershipLabels.ManagedByValue, [McsNames.ClusterSetLabel] = clusterSet };
        foreach (var (key, value) in extraLabels.OrderBy(p => p.Key, StringComparer.Ordinal)) labels[key] = value;
        return new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = labels, ["annotations"] = new JsonObject() };
    }

    private static JsonObject Hashed(JsonObject obj)
    {
        obj["metadata"]!["annotations"]![OwnershipLabels.DesiredHash] = ContentHash.Of(obj);
        return obj;
    }
}
