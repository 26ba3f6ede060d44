using Flotilla.Core.Clusters;

namespace Flotilla.Hub.Api;

/// <summary>
/// What part of the bundle × cluster matrix to return: clusters matching <see cref="Selector"/> (and, with
/// <see cref="Status"/>, having at least one such cell), grouped by the value of the label <see cref="GroupBy"/>,
/// bundles of <see cref="Namespace"/> (all when null); one page of rows (<see cref="Page"/> from 1).
/// </summary>
public sealed record MatrixQuery(LabelSelector Selector, MatrixStatusFilter? Status, string? GroupBy, string? Namespace, int Page, int PageSize)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    /// <summary>Reads the query string; a bad value is a <see cref="FormatException"/> naming it (the API answers 400).</summary>
    public static MatrixQuery Parse(Func<string, string?> get)
    {
        var status = get("status") is { Length: > 0 } s
            ? Enum.TryParse<MatrixStatusFilter>(s, ignoreCase: false, out var f) && Enum.IsDefined(f) ? f
                : throw new FormatException($"status \"{s}\" is not one of {string.Join(", ", Enum.GetNames<MatrixStatusFilter>())}")
            : (MatrixStatusFilter?)null;
        return new(LabelSelector.Parse(get("selector")), status, Blank(get("groupBy")), Blank(get("namespace")),
            Number(get("page"), "page", 1, 1, int.MaxValue), Number(get("pageSize"), "pageSize", DefaultPageSize, 1, MaxPageSize));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static int Number(string? text, string name, int fallback, int min, int max)
    {
        if (string.IsNullOrEmpty(text)) return fallback;
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            throw new FormatException($"{name} must be a whole number from {min} to {max}");
        return n;
    }
}
