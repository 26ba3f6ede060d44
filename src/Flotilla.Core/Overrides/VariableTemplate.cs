using System.Text;
using System.Text.RegularExpressions;

namespace Flotilla.Core.Overrides;

/// <summary>
/// The variable syntax of string values in manifests that opt in: <c>${cluster.name}</c>,
/// <c>${cluster.labels['key']}</c>, <c>${cluster.properties['key']}</c>; <c>$${</c> stands for a literal <c>${</c>.
/// Any other <c>${…}</c>, or one without its <c>}</c>, is an error (so a typo never ships as text).
/// </summary>
internal static partial class VariableTemplate
{
    /// <summary>True when <paramref name="text"/> needs the parser at all (the common case is a plain string).</summary>
    public static bool MayContain(string text) => text.Contains("${", StringComparison.Ordinal);

    /// <summary>Adds the variables <paramref name="text"/> uses to <paramref name="variables"/>; null, or the syntax problem.</summary>
    public static string? Scan(string text, ISet<ClusterVariable> variables) =>
        Walk(text, null, v => variables.Add(v), null);

    /// <summary>The text with every variable replaced; <paramref name="missing"/> is the first variable the cluster lacks, and then the result is null.</summary>
    public static string? Substitute(string text, Func<ClusterVariable, string?> valueOf, out ClusterVariable? missing)
    {
        var result = new StringBuilder(text.Length);
        ClusterVariable? absent = null;
        Walk(text, result, _ => { }, v =>
        {
            var value = valueOf(v);
            if (value is null) absent ??= v;
            return value ?? "";
        });
        missing = absent;
        return absent is null ? result.ToString() : null;
    }

    private static string? Walk(string text, StringBuilder? output, Action<ClusterVariable> found, Func<ClusterVariable, string>? valueOf)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (string.CompareOrdinal(text, i, "$${", 0, 3) == 0)
            {
                output?.Append("${");
                i += 3;
                continue;
            }

            if (string.CompareOrdinal(text, i, "${", 0, 2) != 0)
            {
                output?.Append(text[i]);
                i++;
                continue;
            }

            var end = text.IndexOf('}', i + 2);
            if (end < 0) return "a \"${\" has no closing '}' ($${ writes a literal ${)";
            var expression = text[(i + 2)..end];
            var variable = Parse(expression);
            if (variable is null) return $"unknown variable {Quoted(expression)}(use ${{cluster.name}}, ${{cluster.labels['key']}} or ${{cluster.properties['key']}}; $${{ for a literal ${{)";
            found(variable);
            output?.Append(valueOf?.Invoke(variable));
            i = end + 1;
        }

        return null;
    }

    private static ClusterVariable? Parse(string expression)
    {
        if (expression == "cluster.name") return new ClusterVariable(ClusterVariableSource.Name, "");
        var match = MapVariable().Match(expression);
        if (!match.Success) return null;
        var source = match.Groups["map"].Value == "labels" ? ClusterVariableSource.Label : ClusterVariableSource.Property;
        return new ClusterVariable(source, match.Groups["key"].Value);
    }

    // Values may be Secret data: only something that plainly tries to be a variable is quoted back.
    private static string Quoted(string expression) =>
        expression.StartsWith("cluster.", StringComparison.Ordinal) && expression.Length <= 80 && !expression.Any(char.IsWhiteSpace)
            ? $"\"${{{expression}}}\" "
            : "";

    [GeneratedRegex(@"^cluster\.(?<map>labels|properties)\['(?<key>[^'\]]+)'\]$")]
    private static partial Regex MapVariable();
}
