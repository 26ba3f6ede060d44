using System.Globalization;

namespace Flotilla.Core.Rollout;

/// <summary>
/// A count given as a number (<c>3</c>) or a percentage of a total (<c>25%</c>), as Kubernetes'
/// <c>maxUnavailable</c>. Percentages round down: a budget of 10% over 9 clusters allows 0 failures.
/// </summary>
public readonly record struct IntOrPercent(int Value, bool IsPercent)
{
    /// <summary>Zero: no failure allowed.</summary>
    public static IntOrPercent Zero => new(0, false);

    /// <summary>A plain count.</summary>
    public static IntOrPercent Count(int value) => new(value, false);

    /// <summary>A percentage of the total.</summary>
    public static IntOrPercent Percent(int value) => new(value, true);

    /// <summary>Parses <c>3</c> or <c>25%</c>; throws <see cref="FormatException"/> otherwise.</summary>
    public static IntOrPercent Parse(string text)
    {
        var trimmed = text.Trim();
        var percent = trimmed.EndsWith('%');
        var number = percent ? trimmed[..^1] : trimmed;
        return int.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? new IntOrPercent(value, percent)
            : throw new FormatException($"\"{text}\" is neither a number nor a percentage");
    }

    /// <summary>The count this means for <paramref name="total"/> clusters (percentages round down).</summary>
    public int Of(int total) => IsPercent ? (int)((long)Value * total / 100) : Value;

    public override string ToString() => IsPercent ? $"{Value}%" : Value.ToString(CultureInfo.InvariantCulture);
}
