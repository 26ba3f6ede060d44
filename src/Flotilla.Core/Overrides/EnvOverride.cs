using System.Text.Json.Nodes;

namespace Flotilla.Core.Overrides;

/// <summary>
/// Sets or adds an environment variable on the container named <see cref="Container"/> (in <c>containers</c> or
/// <c>initContainers</c>; it must exist), or on every entry of <c>containers</c> when no name is given.
/// </summary>
public sealed record EnvOverride(string? Container, string Name, string Value, EnvMode Mode) : OverrideAction
{
    internal override IEnumerable<string> Problems()
    {
        if (string.IsNullOrEmpty(Name) || Name.Contains('=', StringComparison.Ordinal)) yield return "env.name must be non-empty without '='";
        if (Container is { Length: 0 }) yield return "env.container must not be empty (leave it out for every container)";
        if (!Enum.IsDefined(Mode)) yield return "env.mode must be Set or Add";
    }

    internal override ChangeProblem? ApplyTo(JsonObject body)
    {
        var containers = new List<(JsonObject Container, string Pointer)>();
        var problem = PodSpecLocator.Containers(body, Container, ["containers"], containers);
        if (problem is not null) return problem;
        foreach (var (container, pointer) in containers)
        {
            if (container["env"] is null) container["env"] = new JsonArray();
            if (container["env"] is not JsonArray env) return ChangeProblem.WrongType($"{pointer}/env", "a list");
            var existing = env.OfType<JsonObject>().FirstOrDefault(e => e["name"] is JsonValue n && n.TryGetValue<string>(out var s) && s == Name);
            if (existing is null) env.Add(new JsonObject { ["name"] = Name, ["value"] = Value });
            else if (Mode == EnvMode.Set) env[env.IndexOf(existing)] = new JsonObject { ["name"] = Name, ["value"] = Value };
        }

        return null;
    }
}
