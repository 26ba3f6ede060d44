using System.Text.Json.Nodes;

namespace Flotilla.Core.Overrides;

/// <summary>
/// Finds the pod spec of a workload for the image and env shorthands: a Pod's <c>spec</c>, a CronJob's
/// <c>spec.jobTemplate.spec.template.spec</c>, and <c>spec.template.spec</c> for everything else (Deployment,
/// StatefulSet, DaemonSet, ReplicaSet, Job and custom kinds that embed a pod template the same way).
/// </summary>
internal static class PodSpecLocator
{
    public static ChangeProblem? Find(JsonObject body, out JsonObject podSpec, out string pointer)
    {
        string[] tokens = body["kind"]?.GetValue<string>() switch
        {
            "Pod" => ["spec"],
            "CronJob" => ["spec", "jobTemplate", "spec", "template", "spec"],
            _ => ["spec", "template", "spec"],
        };
        pointer = JsonPointer.FromTokens(tokens).Text;
        podSpec = null!;
        JsonNode? node = body;
        foreach (var token in tokens) node = node is JsonObject obj ? obj[token] : null;
        if (node is not JsonObject found) return ChangeProblem.NotFound(pointer);
        podSpec = found;
        return null;
    }

    /// <summary>
    /// The containers named <paramref name="container"/> (in <c>containers</c> or <c>initContainers</c>), or every entry of
    /// <paramref name="lists"/> when no name is given; a named container that is not there is a missing path.
    /// </summary>
    public static ChangeProblem? Containers(JsonObject body, string? container, string[] lists, List<(JsonObject Container, string Pointer)> found)
    {
        var problem = Find(body, out var podSpec, out var pointer);
        if (problem is not null) return problem;
        foreach (var list in container is null ? lists : ["containers", "initContainers"])
        {
            if (podSpec[list] is null) continue;
            if (podSpec[list] is not JsonArray entries) return ChangeProblem.WrongType($"{pointer}/{list}", "a list");
            for (var i = 0; i < entries.Count; i++)
            {
                if (entries[i] is not JsonObject c) return ChangeProblem.WrongType($"{pointer}/{list}/{i}", "an object");
                if (container is null || c["name"] is JsonValue n && n.TryGetValue<string>(out var name) && name == container)
                    found.Add((c, $"{pointer}/{list}/{i}"));
            }
        }

        if (found.Count > 0) return null;
        return ChangeProblem.NotFound(container is null ? $"{pointer}/containers" : $"{pointer}/containers[name={container}]");
    }
}
