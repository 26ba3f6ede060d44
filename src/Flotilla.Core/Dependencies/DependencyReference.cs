using Flotilla.Core.Manifests;

namespace Flotilla.Core.Dependencies;

/// <summary>Checks one <c>spec.dependsOn</c> entry before it becomes a key (<c>namespace/name</c>, split on the slash).</summary>
public static class DependencyReference
{
    /// <summary>Why the entry is invalid, or null: a Bundle name is a DNS subdomain, a namespace a DNS label.</summary>
    public static string? Problem(string name, string? ns) =>
        !KubernetesNames.IsDnsSubdomain(name) ? $"\"{name}\" is not a Bundle name"
        : !string.IsNullOrEmpty(ns) && !KubernetesNames.IsDnsLabel(ns) ? $"\"{ns}\" is not a namespace"
        : null;
}
