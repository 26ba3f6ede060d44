using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Flotilla.Kube.Sync;

/// <summary>API objects as YAML text the way kubectl prints them (for the CLI's output and the diffs of a preview).</summary>
public static class YamlText
{
    private static YamlNode ToYaml(JsonNode? node) => node switch
    {
        JsonObject o => new YamlMappingNode(o.Select(p => new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(p.Key), ToYaml(p.Value)))),
        JsonArray a => new YamlSequenceNode(a.Select(ToYaml)),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Quoted(v.GetValue<string>()),
        JsonValue v => new YamlScalarNode(v.ToJsonString()),
        null => new YamlScalarNode("null"),
        _ => throw new ArgumentOutOfRangeException(nameof(node)),
    };

    // Strings that would read back as another type ("true", "1", "") are quoted, as kubectl does.
    private static YamlScalarNode Quoted(string s)
    {
        var plain = s.Length > 0 && !double.TryParse(s, out _) && s is not ("true" or "false" or "null" or "~" or "yes" or "no")
            && !s.Contains(": ") && !s.Contains(" #") && !"-?:,[]{}#&*!|>'\"%@`".Contains(s[0]) && s.Trim() == s && !s.Contains('\n');
        return new YamlScalarNode(s) { Style = plain ? ScalarStyle.Plain : s.Contains('\n') ? ScalarStyle.Literal : ScalarStyle.DoubleQuoted };
    }

    /// <summary>YAML text of <paramref name="node"/> without the "..." end marker YamlStream adds (kubectl prints none).</summary>
    public static string Of(JsonNode? node)
    {
        using var writer = new StringWriter { NewLine = "\n" };
        new YamlStream(new YamlDocument(ToYaml(node))).Save(writer, assignAnchors: false);
        var text = writer.ToString();
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }
}
