namespace Flotilla.Kube.Discovery;

/// <summary>A resource as discovery names it; <see cref="Group"/> is empty for the core group.</summary>
public sealed record ApiResource(string Group, string Version, string Kind, string Plural, bool Namespaced)
{
    /// <summary><c>v1</c> or <c>apps/v1</c>.</summary>
    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The collection path, all namespaces when <paramref name="ns"/> is null.</summary>
    public string CollectionPath(string? ns)
    {
        var root = Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
        return Namespaced && ns is not null ? $"{root}/namespaces/{ns}/{Plural}" : $"{root}/{Plural}";
    }

    /// <summary>The path of one object.</summary>
    public string ObjectPath(string? ns, string name) => $"{CollectionPath(ns)}/{Uri.EscapeDataString(name)}";
}
