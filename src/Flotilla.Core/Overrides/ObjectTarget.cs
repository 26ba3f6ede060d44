using Flotilla.Core.Clusters;
using Flotilla.Core.Manifests;

namespace Flotilla.Core.Overrides;

/// <summary>
/// Which of a bundle's objects a rule changes: every field given must match (a target with none matches every object).
/// <see cref="Namespace"/> is compared with the namespace as rendered, before the bundle's <c>targetNamespace</c> fills
/// in a missing one, so an object rendered without a namespace matches only a target without one.
/// </summary>
/// <param name="Kind">The kind, e.g. <c>Deployment</c> (any API group).</param>
/// <param name="Name">metadata.name.</param>
/// <param name="Namespace">metadata.namespace as rendered.</param>
/// <param name="Labels">A selector over the object's own labels.</param>
public sealed record ObjectTarget(string? Kind = null, string? Name = null, string? Namespace = null, LabelSelector? Labels = null)
{
    internal bool Matches(ObjectRef reference, IReadOnlyDictionary<string, string> labels) =>
        (Kind is null || Kind == reference.Kind)
        && (Name is null || Name == reference.Name)
        && (Namespace is null || Namespace == reference.Namespace)
        && (Labels is null || Labels.Matches(labels));

    /// <summary><c>kind=Deployment,name=web</c>, or <c>*</c> for every object.</summary>
    public override string ToString()
    {
        var parts = new[] { ("kind", Kind), ("name", Name), ("namespace", Namespace), ("labels", Labels?.ToString()) }
            .Where(p => p.Item2 is not null)
            .Select(p => $"{p.Item1}={p.Item2}");
        var text = string.Join(",", parts);
        return text.Length == 0 ? "*" : text;
    }
}
