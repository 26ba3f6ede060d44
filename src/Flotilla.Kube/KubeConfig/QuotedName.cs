using System.Globalization;
using System.Text;

namespace Flotilla.Kube.KubeConfig;

/// <summary>
/// Formats a name taken from a kubeconfig for a message or a listing, so a crafted name cannot forge
/// extra lines in a log or a condition, or send escape sequences to a terminal.
/// </summary>
public static class QuotedName
{
    /// <summary>The name double-quoted, with quotes, backslashes and control characters escaped.</summary>
    public static string Of(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
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

    /// <summary>The name as it is when it has no control characters, otherwise <see cref="Of"/>.</summary>
    public static string ForDisplay(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Any(char.IsControl) ? Of(name) : name;
    }
}
