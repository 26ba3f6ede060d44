using System.Text.RegularExpressions;

namespace Flotilla.Hub.Tests.Install;

/// <summary>The README's "RBAC" table, read as (where, API group, resource, verb) grants.</summary>
public static partial class RbacTable
{
    public sealed record Grant(string Where, string Group, string Resource, string Verb);

    public static string ReadmePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Flotilla.sln"))) return Path.Combine(dir.FullName, "README.md");
        throw new DirectoryNotFoundException("Flotilla.sln not found above the test directory");
    }

    /// <summary>The rows of the first table under the heading <c>### RBAC</c>, one grant per resource and verb.</summary>
    public static IReadOnlyList<Grant> Parse(string readme)
    {
        var lines = readme.Split('\n').SkipWhile(l => l.Trim() != "### RBAC").Skip(1)
            .SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).ToList();
        if (lines.Count < 3) throw new FormatException("no table under ### RBAC in the README");
        var grants = new List<Grant>();
        foreach (var line in lines.Skip(2)) // the header and the |---| line
        {
            var cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (cells.Length != 5) throw new FormatException($"an RBAC row needs 5 cells: {line}");
            var where = cells[0].Replace("`", "");
            var group = Code(cells[1]).Single();
            foreach (var resource in Code(cells[2]))
                foreach (var verb in Code(cells[3]))
                    grants.Add(new Grant(where, group == "\"\"" ? "" : group, resource, verb));
        }
        return grants;
    }

    private static IEnumerable<string> Code(string cell) => CodeSpan().Matches(cell).Select(m => m.Groups[1].Value);

    [GeneratedRegex("`([^`]*)`")]
    private static partial Regex CodeSpan();
}
