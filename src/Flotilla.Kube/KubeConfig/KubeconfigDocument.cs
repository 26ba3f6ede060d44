using YamlDotNet.RepresentationModel;

namespace Flotilla.Kube.KubeConfig;

/// <summary>
/// A parsed kubeconfig file as a YAML tree with typed access to the parts Flotilla reads and edits.
/// Everything else in the tree is left as loaded, so unknown fields survive a write.
/// </summary>
internal sealed class KubeconfigDocument
{
    public const string ClustersKey = "clusters";
    public const string ContextsKey = "contexts";
    public const string UsersKey = "users";
    public const string CurrentContextKey = "current-context";

    private KubeconfigDocument(YamlMappingNode root) => Root = root;

    public YamlMappingNode Root { get; }

    /// <summary>
    /// Parses and checks the shape Flotilla relies on: the three named lists are lists of mappings
    /// with a string <c>name</c> and a mapping body, a context's cluster, user and namespace and
    /// <c>current-context</c> are strings.
    /// Throws <see cref="KubeconfigFormatException"/> otherwise.
    /// </summary>
    public static KubeconfigDocument Parse(string text, bool allowAliases)
    {
        var document = new KubeconfigDocument(KubeconfigYaml.Parse(text, allowAliases));
        _ = document.CurrentContext;
        _ = document.Clusters;
        _ = document.Users;
        foreach (var context in document.Contexts.Where(context => context.Body is not null))
        {
            _ = KubeconfigYaml.GetString(context.Body!, "cluster");
            _ = KubeconfigYaml.GetString(context.Body!, "user");
            _ = KubeconfigYaml.GetString(context.Body!, "namespace");
        }

        return document;
    }

    /// <summary>True when the file has a <c>current-context</c> key, even with an empty value.</summary>
    public bool HasCurrentContextField => KubeconfigYaml.Get(Root, CurrentContextKey) is not null;

    /// <summary>The <c>current-context</c> value; null when absent, empty or YAML null.</summary>
    public string? CurrentContext
    {
        get
        {
            var value = KubeconfigYaml.GetString(Root, CurrentContextKey);
            return string.IsNullOrEmpty(value) ? null : value;
        }
    }

    /// <summary>Sets <c>current-context</c>; null writes an empty string, as kubectl does when it unsets it.</summary>
    public void SetCurrentContext(string? name) =>
        KubeconfigYaml.Set(Root, CurrentContextKey, KubeconfigYaml.Scalar(name ?? string.Empty));

    public IReadOnlyList<KubeconfigEntry> Clusters => ReadList(ClustersKey, "cluster");

    public IReadOnlyList<KubeconfigEntry> Contexts => ReadList(ContextsKey, "context");

    public IReadOnlyList<KubeconfigEntry> Users => ReadList(UsersKey, "user");

    /// <summary>The first context named <paramref name="name"/>, as kubectl resolves duplicates within a file.</summary>
    public KubeconfigEntry? FindContext(string name) =>
        Contexts.FirstOrDefault(entry => string.Equals(entry.Name, name, StringComparison.Ordinal));

    /// <summary>Removes the first context named <paramref name="name"/>; false when there is none.</summary>
    public bool RemoveContext(string name)
    {
        var entry = FindContext(name);
        if (entry is null || KubeconfigYaml.Get(Root, ContextsKey) is not YamlSequenceNode list)
        {
            return false;
        }

        // By reference: YamlNode equality is structural, and an identical duplicate must stay.
        for (var index = 0; index < list.Children.Count; index++)
        {
            if (ReferenceEquals(list.Children[index], entry.Item))
            {
                list.Children.RemoveAt(index);
                return true;
            }
        }

        return false;
    }

    /// <summary>Renames the entry in place; its other fields and position stay as they were.</summary>
    public static void Rename(KubeconfigEntry entry, string newName) =>
        KubeconfigYaml.Set(entry.Item, "name", KubeconfigYaml.Scalar(newName));

    /// <summary>The body mapping of <paramref name="entry"/>, created when the file has none.</summary>
    public static YamlMappingNode EnsureBody(KubeconfigEntry entry, string bodyKey)
    {
        if (entry.Body is not null)
        {
            return entry.Body;
        }

        var body = new YamlMappingNode();
        KubeconfigYaml.Set(entry.Item, bodyKey, body);
        return body;
    }

    public string Write() => KubeconfigYaml.Write(Root);

    private IReadOnlyList<KubeconfigEntry> ReadList(string listKey, string bodyKey)
    {
        var value = KubeconfigYaml.Get(Root, listKey);
        if (KubeconfigYaml.IsNull(value))
        {
            return [];
        }

        if (value is not YamlSequenceNode sequence)
        {
            throw new KubeconfigFormatException($"\"{listKey}\" is not a list", value!.Start.Line, value.Start.Column);
        }

        var entries = new List<KubeconfigEntry>(sequence.Children.Count);
        for (var index = 0; index < sequence.Children.Count; index++)
        {
            var node = sequence.Children[index];
            if (node is not YamlMappingNode item)
            {
                throw new KubeconfigFormatException($"{listKey}[{index}] is not a mapping", node.Start.Line, node.Start.Column);
            }

            var name = KubeconfigYaml.GetString(item, "name");
            if (string.IsNullOrEmpty(name))
            {
                throw new KubeconfigFormatException($"{listKey}[{index}] has no name", item.Start.Line, item.Start.Column);
            }

            var body = KubeconfigYaml.Get(item, bodyKey);
            if (!KubeconfigYaml.IsNull(body) && body is not YamlMappingNode)
            {
                throw new KubeconfigFormatException(
                    $"{listKey}[{index}].{bodyKey} is not a mapping", body!.Start.Line, body.Start.Column);
            }

            entries.Add(new KubeconfigEntry(name, item, body as YamlMappingNode));
        }

        return entries;
    }
}
