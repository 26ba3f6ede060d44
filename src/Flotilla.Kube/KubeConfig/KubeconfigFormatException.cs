namespace Flotilla.Kube.KubeConfig;

/// <summary>
/// Kubeconfig text that is not valid YAML or not shaped like a kubeconfig. The message never quotes
/// values from the text (they may be secrets); it names the field and the position.
/// </summary>
internal sealed class KubeconfigFormatException : Exception
{
    public KubeconfigFormatException(string message, long line = 0, long column = 0)
        : base(line > 0 ? $"{message} (line {line}, column {column})" : message)
    {
        Line = line;
        Column = column;
    }

    /// <summary>1-based line of the problem, or 0 when it is not tied to a position.</summary>
    public long Line { get; }

    /// <summary>1-based column of the problem, or 0 when it is not tied to a position.</summary>
    public long Column { get; }
}
