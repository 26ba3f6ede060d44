using System.Text;

namespace Flotilla.Core.Sync;

/// <summary>A unified-style line diff (LCS) with a few lines of context, for <c>flotilla diff</c>.</summary>
public static class LineDiff
{
    /// <summary>Lines prefixed "- ", "+ " or "  "; empty when the texts are equal. Inputs are capped at 5,000 lines each.</summary>
    public static string Unified(string before, string after, int context = 3)
    {
        var a = before.Split('\n').Take(5000).ToArray();
        var b = after.Split('\n').Take(5000).ToArray();
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
            for (var j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        var ops = new List<(char Op, string Line)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y]) { ops.Add((' ', a[x])); x++; y++; }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1])) { ops.Add(('-', a[x])); x++; }
            else { ops.Add(('+', b[y])); y++; }
        }
        if (ops.All(o => o.Op == ' ')) return "";
        var keep = new bool[ops.Count];
        for (var i = 0; i < ops.Count; i++)
            if (ops[i].Op != ' ')
                for (var k = Math.Max(0, i - context); k <= Math.Min(ops.Count - 1, i + context); k++) keep[k] = true;
        var output = new StringBuilder();
        for (var i = 0; i < ops.Count; i++)
        {
            if (keep[i]) output.Append(ops[i].Op).Append(' ').Append(ops[i].Line).Append('\n');
            else if (i == 0 || keep[i - 1]) output.Append("  …\n");
        }
        return output.ToString();
    }
}
