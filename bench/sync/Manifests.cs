using System.Text.Json.Nodes;

namespace Flotilla.Bench.Sync;

/// <summary>Generated workload: one namespace, then ConfigMaps, Services and Deployments (7:1.5:1.5).</summary>
public static class Manifests
{
    public static List<JsonObject> Generate(string ns, int count, string version)
    {
        var list = new List<JsonObject> { Obj("v1", "Namespace", null, ns) };
        for (var i = 1; i < count; i++)
        {
            var name = $"cm-{i:0000}";
            var kind = (i % 20) switch { < 14 => "ConfigMap", < 17 => "Service", _ => "Deployment" };
            list.Add(kind switch
            {
                "ConfigMap" => With(Obj("v1", "ConfigMap", ns, name), "data", new JsonObject { ["version"] = version, ["index"] = i.ToString() }),
                "Service" => With(Obj("v1", "Service", ns, $"svc-{i:0000}"), "spec", new JsonObject
                {
                    ["selector"] = new JsonObject { ["app"] = $"app-{i}" },
                    ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 80, ["protocol"] = "TCP" }),
                }),
                _ => With(Obj("apps/v1", "Deployment", ns, $"dep-{i:0000}"), "spec", new JsonObject
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

    public static void WriteYaml(string dir, IEnumerable<JsonObject> objects)
    {
        Directory.CreateDirectory(dir);
        var i = 0;
        foreach (var o in objects) File.WriteAllText(Path.Combine(dir, $"{i++:0000}.json"), o.ToJsonString());
    }

    private static JsonObject Obj(string apiVersion, string kind, string? ns, string name)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null) metadata["namespace"] = ns;
        return new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata };
    }

    private static JsonObject With(JsonObject o, string field, JsonObject value)
    {
        o[field] = value;
        return o;
    }
}
