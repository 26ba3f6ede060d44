namespace Flotilla.Controllers;

/// <summary>Work-queue keys of namespaced objects: <c>namespace/name</c>.</summary>
public static class ObjectKey
{
    public static string Of(string ns, string name) => $"{ns}/{name}";

    public static (string Namespace, string Name) Split(string key)
    {
        var slash = key.IndexOf('/');
        return slash < 0 ? throw new ArgumentException($"not a namespace/name key: {key}", nameof(key)) : (key[..slash], key[(slash + 1)..]);
    }
}
