namespace Flotilla.Core.Charts;

/// <summary>One cluster's chart values (canonical JSON), or why it has none (a variable the cluster lacks).</summary>
public sealed record ChartValuesResult(string? Json, string? Problem)
{
    public static ChartValuesResult Of(string json) => new(json, null);

    public static ChartValuesResult Missing(string problem) => new(null, problem);
}
