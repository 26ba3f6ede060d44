using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Flotilla.Core.Tests.TestSupport;

/// <summary>Loads trusted test fixtures from YAML into JSON (plain scalars typed like YAML 1.2 core).</summary>
internal static class YamlFixture
{
    public static JsonObject LoadObject(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        Assert.Single(stream.Documents);
        return Assert.IsType<JsonObject>(Convert(stream.Documents[0].RootNode));
    }

    /// <summary>Every document of a multi-document stream, in order; empty documents (a bare <c>---</c>) are skipped.</summary>
    public static List<JsonObject> LoadObjects(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents
            .Where(d => d.RootNode is not YamlScalarNode { Value: null or "" })
            .Select(d => Assert.IsType<JsonObject>(Convert(d.RootNode)))
            .ToList();
    }

    private static JsonNode? Convert(YamlNode node) =>
        node switch
        {
            YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
                KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, Convert(kv.Value)))),
            YamlSequenceNode seq => new JsonArray(seq.Children.Select(Convert).ToArray()),
            YamlScalarNode scalar => ConvertScalar(scalar),
            _ => throw new InvalidOperationException($"unsupported node {node.NodeType}"),
        };

    private static JsonNode? ConvertScalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }

        if (value is "" or "~" or "null")
        {
            return null;
        }

        if (value is "true" or "false")
        {
            return JsonValue.Create(value == "true");
        }

        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return JsonValue.Create(l);
        }

        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? JsonValue.Create(d)
            : JsonValue.Create(value);
    }
}
