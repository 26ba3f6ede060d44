using System.Text.Json;
using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Flotilla.Git.Render;

/// <summary>
/// Builds one document's node tree from the parser's event stream with an explicit stack (no recursion,
/// so nesting depth cannot overflow the call stack), enforcing the depth and alias caps as it goes.
/// </summary>
/// <remarks>
/// Anchors are per document. An alias is a deep copy of its anchored node, charged against the file's
/// alias budget (nodes and text) before the copy is made. Merge keys (<c>&lt;&lt;: *base</c>, a mapping or
/// a list of mappings) are supported as kubectl's YAML library supports them: explicit keys win, then
/// earlier merge sources. Duplicate keys, non-scalar keys and recursive aliases are errors.
/// </remarks>
internal sealed class YamlTreeBuilder
{
    private const string MergeKey = "<<";

    private readonly IParser _parser;
    private readonly RenderLimits _limits;
    private readonly long _maxAliasChars;
    private long _aliasNodes;
    private long _aliasChars;

    public YamlTreeBuilder(IParser parser, RenderLimits limits, long maxAliasChars)
    {
        _parser = parser;
        _limits = limits;
        _maxAliasChars = maxAliasChars;
    }

    /// <summary>Reads the node at the parser's current event (a document's root) and everything under it.</summary>
    public JsonNode? ReadDocumentRoot()
    {
        var anchors = new Dictionary<string, Anchored>(StringComparer.Ordinal);
        var stack = new Stack<Frame>();

        while (true)
        {
            var ev = _parser.Current ?? throw Invalid(0, "unexpected end of stream");
            _parser.MoveNext();
            var line = ev.Start.Line;

            Built? built;
            switch (ev)
            {
                case Scalar scalar when stack.TryPeek(out var owner) && owner.ExpectsKey:
                    owner.AcceptKey(scalar.Value, isMergeKey: scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty && scalar.Value == MergeKey, line);
                    RegisterAnchor(anchors, scalar.Anchor, new Anchored(JsonValue.Create(scalar.Value), 1, scalar.Value.Length));
                    continue;

                case Scalar scalar:
                    var value = CoreSchemaScalar.Resolve(scalar);
                    built = new Built(value, 1, scalar.Value.Length);
                    RegisterAnchor(anchors, scalar.Anchor, new Anchored(value, 1, scalar.Value.Length));
                    break;

                case AnchorAlias alias:
                    built = ExpandAlias(anchors, alias, line);
                    if (stack.TryPeek(out var keyOwner) && keyOwner.ExpectsKey)
                    {
                        keyOwner.AcceptKey(AliasKeyText(built.Value.Node, line), isMergeKey: false, line);
                        continue;
                    }

                    break;

                case MappingStart or SequenceStart:
                    var start = (NodeEvent)ev;
                    if (stack.TryPeek(out var parent) && parent.ExpectsKey)
                    {
                        throw Invalid(line, "mapping keys must be scalars");
                    }

                    if (stack.Count >= _limits.MaxDepth)
                    {
                        throw new YamlReadException(ManifestErrorCode.LimitExceeded, $"line {line}: nesting is deeper than {_limits.MaxDepth} levels");
                    }

                    CheckCollectionTag(start, line);
                    stack.Push(ev is MappingStart ? Frame.ForMapping(start.Anchor) : Frame.ForSequence(start.Anchor));
                    continue;

                case MappingEnd or SequenceEnd:
                    var done = stack.Pop();
                    var node = done.Complete(line);
                    built = new Built(node, done.Nodes, done.Chars);
                    RegisterAnchor(anchors, done.Anchor, new Anchored(node, done.Nodes, done.Chars));
                    break;

                default:
                    throw Invalid(line, $"unexpected {ev.GetType().Name}");
            }

            if (!stack.TryPeek(out var top))
            {
                return built.Value.Node;
            }

            top.Add(built.Value, line);
        }
    }

    private Built ExpandAlias(Dictionary<string, Anchored> anchors, AnchorAlias alias, long line)
    {
        if (!anchors.TryGetValue(alias.Value.Value, out var anchored))
        {
            throw Invalid(line, $"alias *{alias.Value.Value} refers to no anchor defined before it");
        }

        // Charge before copying, so an exponential alias chain is refused before it is materialised.
        _aliasNodes += anchored.Nodes;
        _aliasChars += anchored.Chars;
        if (_aliasNodes > _limits.MaxAliasNodes || _aliasChars > _maxAliasChars)
        {
            throw new YamlReadException(
                ManifestErrorCode.LimitExceeded,
                $"line {line}: aliases expand to more than {_limits.MaxAliasNodes} nodes or {_maxAliasChars} characters");
        }

        return new Built(anchored.Node?.DeepClone(), anchored.Nodes, anchored.Chars);
    }

    private static void RegisterAnchor(Dictionary<string, Anchored> anchors, AnchorName anchor, Anchored value)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = value;
        }
    }

    private static string AliasKeyText(JsonNode? node, long line) =>
        node switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonValue v => v.ToJsonString(),
            null => "null",
            _ => throw Invalid(line, "mapping keys must be scalars"),
        };

    private static void CheckCollectionTag(NodeEvent start, long line)
    {
        if (start.Tag.IsEmpty || start.Tag.IsNonSpecific)
        {
            return;
        }

        var expected = start is MappingStart ? "tag:yaml.org,2002:map" : "tag:yaml.org,2002:seq";
        if (start.Tag.Value != expected)
        {
            throw Invalid(line, $"unsupported tag {start.Tag.Value}");
        }
    }

    private static YamlReadException Invalid(long line, string message) =>
        new(ManifestErrorCode.InvalidYaml, $"line {line}: {message}");

    private readonly record struct Built(JsonNode? Node, long Nodes, long Chars);

    private sealed record Anchored(JsonNode? Node, long Nodes, long Chars);

    private sealed class Frame
    {
        private readonly JsonObject? _map;
        private readonly JsonArray? _sequence;
        private string? _pendingKey;
        private bool _pendingMerge;
        private List<JsonObject>? _mergeSources;

        private Frame(JsonObject? map, JsonArray? sequence, AnchorName anchor)
        {
            _map = map;
            _sequence = sequence;
            Anchor = anchor;
        }

        public AnchorName Anchor { get; }

        public long Nodes { get; private set; } = 1;

        public long Chars { get; private set; }

        public bool ExpectsKey => _map is not null && _pendingKey is null && !_pendingMerge;

        public static Frame ForMapping(AnchorName anchor) => new(new JsonObject(), null, anchor);

        public static Frame ForSequence(AnchorName anchor) => new(null, new JsonArray(), anchor);

        public void AcceptKey(string key, bool isMergeKey, long line)
        {
            if (isMergeKey)
            {
                _pendingMerge = true;
                return;
            }

            if (_map!.ContainsKey(key))
            {
                throw Invalid(line, $"duplicate mapping key \"{Truncate(key)}\"");
            }

            _pendingKey = key;
            Chars += key.Length;
        }

        public void Add(Built value, long line)
        {
            Nodes += value.Nodes;
            Chars += value.Chars;
            if (_sequence is not null)
            {
                _sequence.Add(value.Node);
                return;
            }

            if (_pendingMerge)
            {
                _pendingMerge = false;
                AddMergeSource(value.Node, line);
                return;
            }

            _map![_pendingKey!] = value.Node;
            _pendingKey = null;
        }

        public JsonNode Complete(long line)
        {
            if (_sequence is not null)
            {
                return _sequence;
            }

            if (_pendingKey is not null || _pendingMerge)
            {
                throw Invalid(line, "mapping ended without a value");
            }

            foreach (var source in _mergeSources ?? [])
            {
                foreach (var (key, value) in source)
                {
                    // Explicit keys and earlier merge sources win.
                    if (!_map!.ContainsKey(key))
                    {
                        _map[key] = value?.DeepClone();
                    }
                }
            }

            return _map!;
        }

        private void AddMergeSource(JsonNode? node, long line)
        {
            _mergeSources ??= [];
            switch (node)
            {
                case JsonObject single:
                    _mergeSources.Add(single);
                    break;
                case JsonArray list when list.All(item => item is JsonObject):
                    _mergeSources.AddRange(list.Select(item => (JsonObject)item!));
                    break;
                default:
                    throw Invalid(line, "a merge key (<<) needs a mapping or a list of mappings");
            }
        }

        private static string Truncate(string key) => key.Length <= 100 ? key : key[..100] + "…";
    }
}
