using System.Text;
using System.Text.Json.Nodes;

namespace Flotilla.Bench.Sync;

/// <summary>
/// Generated workload: one namespace, then in every 20 objects 10 ConfigMaps, 2 Secrets, 3 Services, 3 Deployments,
/// a Role and a RoleBinding. Every object, the namespace too, carries a version (an annotation, and in ConfigMap and
/// Secret data and the pod template), so a commit can change all of them or a few.
/// </summary>
public static class Manifests
{
    /// <summary>The objects of one commit (object 0 is the namespace); <paramref name="versionOf"/> gives object i its version.</summary>
    public static List<JsonObject> Generate(string ns, int count, Func<int, string> versionOf)
    {
        var list = new List<JsonObject> { Obj("v1", "Namespace", null, ns, versionOf(0)) };
        for (var i = 1; i < count; i++)
        {
            var version = versionOf(i);
            list.Add((i % 20) switch
            {
                < 10 => With(Obj("v1", "ConfigMap", ns, $"cm-{i:0000}", version), "data", new JsonObject { ["version"] = version, ["index"] = i.ToString() }),
                < 12 => With(Obj("v1", "Secret", ns, $"secret-{i:0000}", version), "data", new JsonObject
                {
                    ["token"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{version}-{i}")),
                }),
                < 15 => With(Obj("v1", "Service", ns, $"svc-{i:0000}", version), "spec", new JsonObject
                {
                    ["selector"] = new JsonObject { ["app"] = $"app-{i}" },
                    ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 80, ["protocol"] = "TCP" }),
                }),
                < 18 => With(Obj("apps/v1", "Deployment", ns, $"dep-{i:0000}", version), "spec", new JsonObject
                {
                    ["replicas"] = 1,
                    ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = $"app-{i}" } },
                    ["template"] = new JsonObject
                    {
                        ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = $"app-{i}" }, ["annotations"] = new JsonObject { ["version"] = version } },
                        ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "registry.example.com/app:1" }) },
                    },
                }),
                18 => With(Obj("rbac.authorization.k8s.io/v1", "Role", ns, $"role-{i:0000}", version), "rules", new JsonArray(new JsonObject
                {
                    ["apiGroups"] = new JsonArray(""), ["resources"] = new JsonArray("configmaps"), ["verbs"] = new JsonArray("get", "list"),
                })),
                _ => With(With(Obj("rbac.authorization.k8s.io/v1", "RoleBinding", ns, $"rolebinding-{i:0000}", version), "roleRef", new JsonObject
                {
                    ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Role", ["name"] = $"role-{i - 1:0000}",
                }), "subjects", new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = "default", ["namespace"] = ns })),
            });
        }
        return list;
    }

    /// <summary>Whether object <paramref name="i"/> is in the 5% a small commit changes: one per block of 20, at a position that walks through every kind.</summary>
    public static bool InFivePercent(int i) => i % 20 == i / 20 * 7 % 20;

    public static void WriteFiles(string dir, IEnumerable<JsonObject> objects)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        var i = 0;
        foreach (var o in objects) File.WriteAllText(Path.Combine(dir, $"{i++:0000}.json"), o.ToJsonString());
    }

    private static JsonObject Obj(string apiVersion, string kind, string? ns, string name, string version)
    {
        var metadata = new JsonObject { ["name"] = name, ["annotations"] = new JsonObject { ["bench/version"] = version } };
        if (ns is not null) metadata["namespace"] = ns;
        return new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata };
    }

    private static JsonObject With(JsonObject o, string field, JsonNode value)
    {
        o[field] = value;
        return o;
    }
}
