using System.Text.Json;
using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;

namespace Flotilla.Core.Sync.Normalization;

/// <summary>
/// Turns one rendered object into what to server-side apply, so that manifests written for any Kubernetes version
/// apply unchanged to older API servers too (rules in <c>README.md</c> beside this file):
/// <list type="bullet">
/// <item>a Service port or a container port without <c>protocol</c> gets <c>TCP</c> — the server's default, which
/// server-side apply before 1.21 needs written out because <c>protocol</c> is part of those lists' merge key (as
/// Flux's ssa package does);</item>
/// <item><c>status</c> and <c>metadata.creationTimestamp</c> are dropped: they are the server's, and a CRD applied
/// with a <c>status:</c> stanza conflicts with the API server on the second apply;</item>
/// <item>a number in a quantity field of a built-in kind (<c>cpu: 1</c>, <c>pods: 10</c>) becomes its text
/// (<c>"1"</c>): server-side apply on 1.20 refuses it ("expected string, got …") although a plain create accepts it;</item>
/// <item>the <c>rules</c> of a ClusterRole with an <c>aggregationRule</c> are dropped: the controller-manager owns
/// them, and applying them again conflicts with it (seen on 1.20 with Knative's <c>rules: []</c>); a warning when
/// they were not empty;</item>
/// <item>a namespace on a cluster-scoped object is removed, with a warning naming the object.</item>
/// </list>
/// </summary>
public static class ManifestNormalizer
{
    private const string Tcp = "TCP";

    /// <summary>Normalises a copy of <paramref name="rendered"/>.</summary>
    /// <param name="rendered">The object as rendered (a manifest's body); not modified.</param>
    /// <param name="clusterScoped">Whether the object's kind is cluster-scoped on the target cluster (from discovery).</param>
    public static NormalizedManifest Normalize(JsonObject rendered, bool clusterScoped)
    {
        ArgumentNullException.ThrowIfNull(rendered);

        var obj = rendered.DeepClone().AsObject();
        var warnings = new List<string>();
        obj.Remove("status");
        if (obj["metadata"] is JsonObject metadata)
        {
            metadata.Remove("creationTimestamp");
            if (clusterScoped && metadata["namespace"] is { } ns)
            {
                metadata.Remove("namespace");
                if (ns is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 } given)
                {
                    warnings.Add(ClusterScopedNamespace.Warning(given, Describe(obj)));
                }
            }
        }

        var (group, kind) = GroupKind(obj);
        if (group == WellKnownKinds.Core && kind == "Service")
        {
            DefaultProtocol(obj["spec"]?["ports"]);
        }

        if (PodSpecOf(obj, group, kind) is { } podSpec)
        {
            foreach (var list in new[] { "containers", "initContainers", "ephemeralContainers" })
            {
                foreach (var container in (podSpec[list] as JsonArray ?? []).OfType<JsonObject>())
                {
                    DefaultProtocol(container["ports"]);
                }
            }
        }

        if (group == WellKnownKinds.Rbac && kind == "ClusterRole" && obj["aggregationRule"] is JsonObject && obj.ContainsKey("rules"))
        {
            if (obj["rules"] is JsonArray { Count: > 0 })
            {
                warnings.Add($"rules of {Describe(obj)} ignored: its aggregationRule makes the controller-manager fill them");
            }

            obj.Remove("rules");
        }

        if (IsBuiltInGroup(group))
        {
            QuantitiesAsText(obj);
        }

        return new NormalizedManifest(obj, warnings);
    }

    /// <summary>
    /// Built-in groups whose objects hold typed quantities (pod specs, quotas, limit ranges, volumes, HPAs, runtime
    /// classes). Custom resources are left alone — a field called <c>cpu</c> may be an integer in their schema — and
    /// so are CRDs, whose schemas' <c>default:</c> values must keep their type.
    /// </summary>
    private static bool IsBuiltInGroup(string group) =>
        group is WellKnownKinds.Core or WellKnownKinds.Apps or WellKnownKinds.Batch or "extensions" or "autoscaling"
            or "policy" or "node.k8s.io" or "storage.k8s.io";

    /// <summary>Replaces every number held in a quantity field (<see cref="QuantityFields"/>) by its JSON text.</summary>
    private static void QuantitiesAsText(JsonObject root)
    {
        var pending = new Stack<(JsonNode Node, string? Key)>();
        pending.Push((root, null));
        while (pending.TryPop(out var item))
        {
            switch (item.Node)
            {
                case JsonObject o:
                    foreach (var (key, value) in o.ToList())
                    {
                        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && QuantityFields.Holds(key, item.Key))
                        {
                            o[key] = v.ToJsonString();
                        }
                        else if (value is not null)
                        {
                            pending.Push((value, key));
                        }
                    }

                    break;
                case JsonArray a:
                    foreach (var element in a)
                    {
                        if (element is not null)
                        {
                            pending.Push((element, item.Key + "[]"));
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>The pod spec inside a Pod, a PodTemplate or any built-in kind with a pod template.</summary>
    private static JsonObject? PodSpecOf(JsonObject obj, string group, string kind)
    {
        JsonNode? spec = (group, kind) switch
        {
            (WellKnownKinds.Core, "Pod") => obj["spec"],
            (WellKnownKinds.Core, "PodTemplate") => obj["template"]?["spec"],
            (WellKnownKinds.Core, "ReplicationController") => obj["spec"]?["template"]?["spec"],
            (WellKnownKinds.Apps or "extensions", "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet") => obj["spec"]?["template"]?["spec"],
            (WellKnownKinds.Batch, "Job") => obj["spec"]?["template"]?["spec"],
            (WellKnownKinds.Batch, "CronJob") => obj["spec"]?["jobTemplate"]?["spec"]?["template"]?["spec"],
            _ => null,
        };
        return spec as JsonObject;
    }

    /// <summary>Sets <c>protocol: TCP</c> on every port mapping that has none (or an explicit null).</summary>
    private static void DefaultProtocol(JsonNode? ports)
    {
        foreach (var port in (ports as JsonArray ?? []).OfType<JsonObject>())
        {
            if (port["protocol"] is null)
            {
                port["protocol"] = Tcp;
            }
        }
    }

    private static (string Group, string Kind) GroupKind(JsonObject obj)
    {
        var apiVersion = StringAt(obj, "apiVersion") ?? "";
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return (slash < 0 ? WellKnownKinds.Core : apiVersion[..slash], StringAt(obj, "kind") ?? "");
    }

    /// <summary><c>[group/]Kind/name</c>, as <see cref="ObjectRef"/> prints a cluster-scoped object.</summary>
    private static string Describe(JsonObject obj)
    {
        var (group, kind) = GroupKind(obj);
        var name = obj["metadata"] is JsonObject m ? StringAt(m, "name") ?? "" : "";
        return group.Length == 0 ? $"{kind}/{name}" : $"{group}/{kind}/{name}";
    }

    private static string? StringAt(JsonObject owner, string key) =>
        owner[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
