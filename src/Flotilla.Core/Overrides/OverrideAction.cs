using System.Text.Json.Nodes;

namespace Flotilla.Core.Overrides;

/// <summary>
/// One change a rule makes to each object it targets. The set is closed: JSON Patch, merge patch, and the shorthands
/// for what clusters most often differ in (image or registry, replicas, an env var, labels, annotations).
/// </summary>
public abstract record OverrideAction
{
    private protected OverrideAction()
    {
    }

    /// <summary>What is wrong with the action as written, each problem a phrase naming the field; empty when valid.</summary>
    internal abstract IEnumerable<string> Problems();

    /// <summary>Changes <paramref name="body"/> in place; null on success, else the first problem (the caller discards the body then).</summary>
    internal abstract ChangeProblem? ApplyTo(JsonObject body);
}
