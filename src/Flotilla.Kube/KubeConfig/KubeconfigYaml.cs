using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Flotilla.Kube.KubeConfig;

/// <summary>
/// Reads and writes kubeconfig YAML through YamlDotNet's representation model, so fields Flotilla does
/// not know survive a round trip. Comments do not survive: YamlDotNet drops them on load.
/// </summary>
internal static partial class KubeconfigYaml
{
    /// <summary>Deepest nesting accepted; real kubeconfigs stay below 10, and the loader recurses.</summary>
    public const int MaxDepth = 64;

    // Scalars YAML 1.1 (which client-go's YAML reader follows) would resolve to something other than a string.
    private static readonly HashSet<string> ReservedWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "yes", "no", "on", "off", "y", "n", "null",
    };

    /// <summary>
    /// Parses one kubeconfig document. Empty text gives an empty mapping. Throws
    /// <see cref="KubeconfigFormatException"/> for invalid YAML, several documents, nesting deeper than
    /// <see cref="MaxDepth"/>, aliases when <paramref name="allowAliases"/> is false, or a root that is not a mapping.
    /// </summary>
    public static YamlMappingNode Parse(string text, bool allowAliases)
    {
        try
        {
            Prescan(text, allowAliases);
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0)
            {
                return new YamlMappingNode();
            }

            return stream.Documents[0].RootNode switch
            {
                YamlMappingNode mapping => mapping,
                YamlScalarNode scalar when IsNull(scalar) => new YamlMappingNode(),
                var other => throw new KubeconfigFormatException(
                    "the top level is not a mapping", other.Start.Line, other.Start.Column),
            };
        }
        catch (YamlException e)
        {
            // YamlDotNet's own wording may quote a key; positions are enough to find the problem.
            throw new KubeconfigFormatException("invalid YAML", e.Start.Line, e.Start.Column);
        }
    }

    // Streams the events once before building the tree: bounds depth (the tree builder recurses) and
    // rejects what the tree would hide (several documents, aliases).
    private static void Prescan(string text, bool allowAliases)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        var documents = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case DocumentStart start:
                    if (++documents > 1)
                    {
                        throw new KubeconfigFormatException(
                            "more than one YAML document", start.Start.Line, start.Start.Column);
                    }

                    break;
                case MappingStart or SequenceStart:
                    if (++depth > MaxDepth)
                    {
                        throw new KubeconfigFormatException(
                            $"nesting deeper than {MaxDepth} levels", parser.Current.Start.Line, parser.Current.Start.Column);
                    }

                    break;
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
                case AnchorAlias alias when !allowAliases:
                    throw new KubeconfigFormatException(
                        "YAML aliases are not accepted here", alias.Start.Line, alias.Start.Column);
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="root"/> as one YAML document without the explicit end marker, keeping
    /// each node's style, tag and anchor, and never folding long lines.
    /// </summary>
    public static string Write(YamlNode root)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(writer, bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        EmitNode(emitter, root, new HashSet<YamlNode>(ReferenceEqualityComparer.Instance));
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static void EmitNode(IEmitter emitter, YamlNode node, HashSet<YamlNode> anchored)
    {
        if (!node.Anchor.IsEmpty && !anchored.Add(node))
        {
            emitter.Emit(new AnchorAlias(node.Anchor));
            return;
        }

        var implicitTag = node.Tag.IsEmpty;
        switch (node)
        {
            case YamlScalarNode scalar:
                emitter.Emit(new Scalar(node.Anchor, node.Tag, scalar.Value ?? string.Empty, scalar.Style, implicitTag, implicitTag));
                break;
            case YamlMappingNode mapping:
                emitter.Emit(new MappingStart(node.Anchor, node.Tag, implicitTag, mapping.Style));
                foreach (var (key, value) in mapping.Children)
                {
                    EmitNode(emitter, key, anchored);
                    EmitNode(emitter, value, anchored);
                }

                emitter.Emit(new MappingEnd());
                break;
            case YamlSequenceNode sequence:
                emitter.Emit(new SequenceStart(node.Anchor, node.Tag, implicitTag, sequence.Style));
                foreach (var item in sequence.Children)
                {
                    EmitNode(emitter, item, anchored);
                }

                emitter.Emit(new SequenceEnd());
                break;
            default:
                throw new InvalidOperationException($"unexpected YAML node type {node.GetType().Name}");
        }
    }

    /// <summary>
    /// A string scalar that reads back as the same string: plain when that is unambiguous, otherwise
    /// double-quoted (so a context named <c>true</c> or <c>0123</c> stays a string).
    /// </summary>
    public static YamlScalarNode Scalar(string value) =>
        new(value) { Style = IsSafePlain(value) ? ScalarStyle.Plain : ScalarStyle.DoubleQuoted };

    private static bool IsSafePlain(string value) =>
        SafePlainPattern().IsMatch(value) && !value.EndsWith(':') && !ReservedWords.Contains(value);

    [GeneratedRegex("^[A-Za-z_/][A-Za-z0-9_./@:+=-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SafePlainPattern();

    /// <summary>True for a scalar that YAML reads as null: empty, <c>~</c> or <c>null</c> when plain.</summary>
    public static bool IsNull(YamlNode? node) =>
        node is null
        || node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar
            && (string.IsNullOrEmpty(scalar.Value) || scalar.Value is "~" or "null" or "Null" or "NULL");

    /// <summary>The value under <paramref name="key"/>, or null when the key is absent.</summary>
    public static YamlNode? Get(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    /// <summary>
    /// The string under <paramref name="key"/>: null when absent or YAML null, the scalar's text otherwise.
    /// Throws <see cref="KubeconfigFormatException"/> when the value is a mapping or a sequence.
    /// </summary>
    public static string? GetString(YamlMappingNode mapping, string key)
    {
        var value = Get(mapping, key);
        if (IsNull(value))
        {
            return null;
        }

        return value is YamlScalarNode scalar
            ? scalar.Value
            : throw new KubeconfigFormatException($"\"{key}\" is not a string", value!.Start.Line, value.Start.Column);
    }

    /// <summary>True when <paramref name="key"/> is present with a value other than YAML null or an empty string.</summary>
    public static bool HasValue(YamlMappingNode mapping, string key)
    {
        var value = Get(mapping, key);
        return !IsNull(value) && value is not YamlScalarNode { Value: "" };
    }

    /// <summary>
    /// Replaces the value under <paramref name="key"/> in place (keeping the key's position), or
    /// appends the key when it is absent.
    /// </summary>
    public static void Set(YamlMappingNode mapping, string key, YamlNode value)
    {
        var keyNode = new YamlScalarNode(key);
        if (mapping.Children.ContainsKey(keyNode))
        {
            mapping.Children[keyNode] = value;
        }
        else
        {
            mapping.Add(keyNode, value);
        }
    }

    public static bool Remove(YamlMappingNode mapping, string key) =>
        mapping.Children.Remove(new YamlScalarNode(key));

    /// <summary>
    /// Replaces <paramref name="oldKey"/> with <paramref name="newKey"/> and <paramref name="value"/> at
    /// the same position, dropping any existing <paramref name="newKey"/>.
    /// </summary>
    public static void ReplaceKey(YamlMappingNode mapping, string oldKey, string newKey, YamlNode value)
    {
        var oldKeyNode = new YamlScalarNode(oldKey);
        var newKeyNode = new YamlScalarNode(newKey);
        var pairs = mapping.Children.ToList();
        mapping.Children.Clear();
        foreach (var (key, existing) in pairs)
        {
            if (key.Equals(oldKeyNode))
            {
                mapping.Add(newKeyNode, value);
            }
            else if (!key.Equals(newKeyNode))
            {
                mapping.Add(key, existing);
            }
        }
    }
}
