using System.Text.Json.Nodes;

namespace Flotilla.Bench.Sync;

/// <summary>
/// Generated workload: one namespace, then ConfigMaps, Services and Deployments (7:1.5:1.5). Every object carries
/// a version (an annotation, and in ConfigMap data and the pod template), so a commit can change all of them or a few.
/// </summary>
public static class Manifests
{
    /// <summary>The objects of one commit; <paramref name="versionOf"/> gives object i its version.</summary>
    public static List<JsonObject> Generate(string ns, int count, Func<int, string> versionOf)
    {
        var list = new List<JsonObject> { Obj("v1", "Namespace", null, ns, "") };
        for (var i = 1; i < count; i++)
        {
            var version = versionOf(i);
            var kind = (i % 20) switch { < 14 => "ConfigMap", < 17 => "Service", _ => "Deployment" };
            list.Add(kind switch
            {
                "ConfigMap" => With(Obj("v1", "ConfigMap", ns, $"cm-{i:0000}", version), "data", new JsonObject { ["version"] = version, ["index"] = i.ToString() }),
                "Service" => With(Obj("v1", "Service", ns, $"svc-{i:0000}", version), "spec", new JsonObject
                {
                    ["selector"] = new JsonObject { ["app"] = $"app-{i}" },
                    ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 80, ["protocol"] = "TCP" }),
                }),
                _ => With(Obj("apps/v1", "Deployment", ns, $"dep-{i:0000}", version), "spec", new JsonObject
                {
                    ["replicas"] = 1,
                    ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = $"app-{i}" } },
                    ["template"] = new JsonObject
                    {
                        ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = $"app-{i}" }, ["annotations"] = new JsonObject { ["version"] = version } },
                        ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "registry.example.com/app:1" }) },
                    },
                }),
            });
        }
        return list;
    }

    public static void WriteFiles(string dir, IEnumerable<JsonObject> objects)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        var i = 0;
        foreach (var o in objects) File.WriteAllText(Path.Combine(dir, $"{i++:0000}.json"), o.ToJsonString());
    }

    private static JsonObject Obj(string apiVersion, string kind, string? ns, string name, string version)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null) metadata["namespace"] = ns;
        if (version.Length > 0) metadata["annotations"] = new JsonObject { ["bench/version"] = version };
        return new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata };
    }

    private static JsonObject With(JsonObject o, string field, JsonObject value)
    {
        o[field] = value;
        return o;
    }
}
