using System.Text.Json.Nodes;

namespace Flotilla.Core.Overrides;

/// <summary>Sets <c>spec.replicas</c> (added when the manifest leaves it to the default); the object must have a <c>spec</c>.</summary>
public sealed record ReplicasOverride(int Replicas) : OverrideAction
{
    internal override IEnumerable<string> Problems() => Replicas < 0 ? ["replicas must not be negative"] : [];

    internal override ChangeProblem? ApplyTo(JsonObject body)
    {
        if (body["spec"] is not JsonObject spec) return body.ContainsKey("spec") ? ChangeProblem.WrongType("/spec", "an object") : ChangeProblem.NotFound("/spec");
        spec["replicas"] = Replicas;
        return null;
    }
}
