using System.Text.Json.Serialization;

namespace Flotilla.Hub.Api;

/// <summary>One page of the bundle × cluster matrix: the columns (every selected bundle, with totals over all matching clusters) and a page of rows.</summary>
public sealed record MatrixPage(
    [property: JsonPropertyName("bundles")] IReadOnlyList<MatrixColumn> Bundles,
    [property: JsonPropertyName("rows")] IReadOnlyList<MatrixRow> Rows,
    [property: JsonPropertyName("totalClusters")] int TotalClusters,
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("pageSize")] int PageSize,
    [property: JsonPropertyName("pages")] int Pages);

/// <summary>A bundle and how its cells stand over every cluster that matched (not just this page).</summary>
public sealed record MatrixColumn(
    [property: JsonPropertyName("namespace")] string Namespace,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("revision")] string? Revision,
    [property: JsonPropertyName("synced")] int Synced,
    [property: JsonPropertyName("outOfSync")] int OutOfSync,
    [property: JsonPropertyName("failed")] int Failed);

/// <summary>A cluster and its cell per column (null: the bundle is not on it).</summary>
public sealed record MatrixRow(
    [property: JsonPropertyName("cluster")] string Cluster,
    [property: JsonPropertyName("group")] string? Group,
    [property: JsonPropertyName("available")] bool Available,
    [property: JsonPropertyName("cells")] IReadOnlyList<MatrixCell?> Cells);
