namespace Flotilla.Cli.Output;

/// <summary>Writes kubectl-style tables: upper-case headers, columns padded to the widest cell plus three spaces.</summary>
public static class TableWriter
{
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.Prepend(headers).ToList();
        var widths = Enumerable.Range(0, headers.Count)
            .Select(i => all.Max(r => i < r.Count ? r[i].Length : 0))
            .ToArray();
        foreach (var row in all)
        {
            var cells = row.Select((cell, i) => i == row.Count - 1 ? cell : cell.PadRight(widths[i] + 3));
            output.WriteLine(string.Concat(cells).TrimEnd());
        }
    }
}
