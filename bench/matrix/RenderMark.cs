namespace Flotilla.Bench.Matrix;

/// <summary>
/// How the matrix page's first render is read on the browser's own clock, by the render benchmark and the dashboard's
/// 1,000-cluster browser test alike: from navigation start to the first frame painted after the rows were parsed (the
/// rows are in the server's HTML, so all are there at DOMContentLoaded; a task queued from the next animation frame
/// runs once that frame is painted).
/// </summary>
public static class RenderMark
{
    /// <summary>The init script that records the mark in <c>window.matrixRendered</c>.</summary>
    public const string Script = """
        addEventListener('DOMContentLoaded', () => requestAnimationFrame(() => setTimeout(() => {
          window.matrixRendered = { at: performance.now(), rows: document.querySelectorAll('#matrix tbody tr').length };
        })));
        """;

    public const string Done = "window.matrixRendered !== undefined";
    public const string At = "window.matrixRendered.at";
    public const string Rows = "window.matrixRendered.rows";
    public const string FirstContentfulPaint = "performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint')?.startTime ?? -1";
    public const string ResponseEnd = "performance.getEntriesByType('navigation')[0].responseEnd";
}
