using System.Globalization;
using System.Text;

namespace Flotilla.Kube.KubeConfig;

/// <summary>
/// Formats a name from a kubeconfig for a message: double-quoted, with quotes, backslashes and control
/// characters escaped so a crafted name cannot forge extra lines in a log or a condition.
/// </summary>
internal static class QuotedName
{
    public static string Of(string name)
    {
        var builder = new StringBuilder(name.Length + 2).Append('"');
        foreach (var c in name)
        {
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                _ when char.IsControl(c) => builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => builder.Append(c),
            };
        }

        return builder.Append('"').ToString();
    }
}
