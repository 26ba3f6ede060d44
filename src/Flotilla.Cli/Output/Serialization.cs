using System.Text.Json;
using System.Text.Json.Nodes;
using Flotilla.Kube.Sync;
using k8s;

namespace Flotilla.Cli.Output;

/// <summary>Prints API objects as JSON or YAML, the way kubectl does.</summary>
public static class Serialization
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write(TextWriter output, object value, OutputFormat format)
    {
        var node = value as JsonNode ?? JsonNode.Parse(KubernetesJson.Serialize(value));
        switch (format)
        {
            case OutputFormat.Json:
                output.WriteLine(node?.ToJsonString(Indented) ?? "null");
                break;
            case OutputFormat.Yaml:
                output.Write(YamlText.Of(node));
                break;
            case OutputFormat.Table:
            case OutputFormat.Wide:
                throw new ArgumentOutOfRangeException(nameof(format), format, "tables are written by the command");
        }
    }
}
