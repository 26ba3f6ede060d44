using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Flotilla.Git.Render;

/// <summary>
/// Reads multi-document YAML (JSON included, being YAML) into JSON mappings under hard caps, using
/// YamlDotNet's low-level event parser (never its object deserializer).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Empty documents are skipped (they still count against <see cref="RenderLimits.MaxDocuments"/>).</item>
/// <item>A document whose <c>kind</c> ends in <c>List</c> and that has an <c>items</c> sequence is flattened
/// into its items (one level), each located as <c>path[document].items[i]</c>.</item>
/// <item>Every other document must be a mapping.</item>
/// <item>Scalars are typed by the YAML 1.2 core schema: quoted strings stay strings; <c>yes</c>/<c>on</c> are strings.</item>
/// <item>Caps: <see cref="RenderLimits.MaxFileBytes"/> (UTF-8 bytes of the input), documents and objects
/// (charged to the <see cref="RenderBudget"/>), <see cref="RenderLimits.MaxDepth"/>, and per input
/// <see cref="RenderLimits.MaxAliasNodes"/> plus at most <see cref="RenderLimits.MaxFileBytes"/> characters copied by aliases.</item>
/// </list>
/// The first error stops the stream; its objects are then discarded.
/// </remarks>
public sealed class SafeYamlReader
{
    private readonly RenderLimits _limits;

    /// <summary>Creates a reader with these caps.</summary>
    public SafeYamlReader(RenderLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.Validate();
        _limits = limits;
    }

    /// <summary>Reads <paramref name="content"/> with a fresh budget.</summary>
    /// <param name="content">The YAML or JSON text.</param>
    /// <param name="path">The path to name in locations and errors (relative to the render root).</param>
    public YamlReadResult Read(string content, string path) => Read(content, path, new RenderBudget(_limits));

    /// <summary>Reads <paramref name="content"/>, charging documents and objects to <paramref name="budget"/>.</summary>
    /// <param name="content">The YAML or JSON text.</param>
    /// <param name="path">The path to name in locations and errors (relative to the render root).</param>
    /// <param name="budget">The render's running totals.</param>
    public YamlReadResult Read(string content, string path, RenderBudget budget) =>
        ReadStream(content, path, budget, _limits.MaxFileBytes);

    /// <summary>As <see cref="Read(string,string,RenderBudget)"/> with another size cap (kustomize output is one stream for many files).</summary>
    internal YamlReadResult ReadStream(string content, string path, RenderBudget budget, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(budget);

        var fileLocation = new SourceLocation(path);
        if (content.Length > maxBytes || Encoding.UTF8.GetByteCount(content) > maxBytes)
        {
            return YamlReadResult.Failed(new ManifestError(ManifestErrorCode.LimitExceeded, fileLocation, $"larger than {maxBytes} bytes"));
        }

        var objects = new List<ParsedObject>();
        var documentIndex = -1;
        try
        {
            var parser = new Parser(new StringReader(StripByteOrderMark(content)));
            var builder = new YamlTreeBuilder(parser, _limits, maxAliasChars: maxBytes);
            parser.Consume<StreamStart>();
            while (!parser.Accept<StreamEnd>(out _))
            {
                parser.Consume<DocumentStart>();
                documentIndex++;
                if (!budget.TryChargeDocument())
                {
                    throw new YamlReadException(ManifestErrorCode.LimitExceeded, $"more than {_limits.MaxDocuments} documents in this render");
                }

                var root = builder.ReadDocumentRoot();
                parser.Consume<DocumentEnd>();
                AddDocument(root, path, documentIndex, objects, budget);
            }
        }
        catch (YamlReadException e)
        {
            return YamlReadResult.Failed(new ManifestError(e.Code, Locate(path, documentIndex), e.Message));
        }
        catch (YamlException e)
        {
            // Syntax errors from the parser; its message names the position, never the data.
            return YamlReadResult.Failed(new ManifestError(
                ManifestErrorCode.InvalidYaml, Locate(path, documentIndex), $"line {e.Start.Line}: {FirstLine(e.Message)}"));
        }

        return new YamlReadResult(objects, []);
    }

    private void AddDocument(JsonNode? root, string path, int documentIndex, List<ParsedObject> objects, RenderBudget budget)
    {
        switch (root)
        {
            case null:
                return;
            case JsonObject list when IsList(list, out var items):
                var bodies = new List<JsonObject>(items.Count);
                for (var i = 0; i < items.Count; i++)
                {
                    bodies.Add(items[i] as JsonObject
                        ?? throw new YamlReadException(ManifestErrorCode.InvalidYaml, $"items[{i}] of a List is not a mapping"));
                }

                items.Clear(); // detach the items so each can be owned on its own
                for (var i = 0; i < bodies.Count; i++)
                {
                    ChargeObject(budget);
                    objects.Add(new ParsedObject(bodies[i], new SourceLocation(path, documentIndex, i)));
                }

                return;
            case JsonObject single:
                ChargeObject(budget);
                objects.Add(new ParsedObject(single, new SourceLocation(path, documentIndex)));
                return;
            default:
                throw new YamlReadException(ManifestErrorCode.InvalidYaml, $"document is a {Describe(root)}, not a mapping");
        }
    }

    private void ChargeObject(RenderBudget budget)
    {
        if (!budget.TryChargeObject())
        {
            throw new YamlReadException(ManifestErrorCode.LimitExceeded, $"more than {_limits.MaxObjects} objects in this render");
        }
    }

    private static bool IsList(JsonObject document, out JsonArray items)
    {
        items = null!;
        return document["kind"] is JsonValue kind
            && kind.GetValueKind() == JsonValueKind.String
            && kind.GetValue<string>().EndsWith("List", StringComparison.Ordinal)
            && document["items"] is JsonArray array
            && (items = array) is not null;
    }

    private static string Describe(JsonNode node) =>
        node.GetValueKind() switch
        {
            JsonValueKind.Array => "sequence",
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            var other => other.ToString().ToLowerInvariant(),
        };

    private static SourceLocation Locate(string path, int documentIndex) =>
        documentIndex < 0 ? new SourceLocation(path) : new SourceLocation(path, documentIndex);

    private static string StripByteOrderMark(string content) =>
        content.Length > 0 && content[0] == '\uFEFF' ? content[1..] : content;

    private static string FirstLine(string message)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: 3, Col: 6, Idx: 21): "; the line is already given.
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && message.IndexOf("): ", StringComparison.Ordinal) is var cut and > 0)
        {
            message = message[(cut + 3)..];
        }

        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
