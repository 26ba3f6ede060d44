namespace Flotilla.Core.Clusters;

/// <summary>
/// A label edit as kubectl writes it: <c>key=value</c> sets, <c>key-</c> removes.
/// <see cref="Value"/> is null for a removal.
/// </summary>
public sealed record LabelChange(string Key, string? Value)
{
    /// <summary>Parses one edit; throws <see cref="FormatException"/> with the rule that was broken.</summary>
    public static LabelChange Parse(string text)
    {
        if (text.EndsWith('-') && !text.Contains('='))
        {
            var key = text[..^1];
            return LabelValidation.IsValidKey(key) ? new(key, null) : throw new FormatException($"invalid label key \"{key}\"");
        }
        var eq = text.IndexOf('=');
        if (eq <= 0) throw new FormatException($"invalid label \"{text}\": expected key=value or key-");
        var (k, v) = (text[..eq], text[(eq + 1)..]);
        if (!LabelValidation.IsValidKey(k)) throw new FormatException($"invalid label key \"{k}\"");
        if (!LabelValidation.IsValidValue(v)) throw new FormatException($"invalid label value \"{v}\" for key \"{k}\": at most 63 characters of [A-Za-z0-9-_.], beginning and ending alphanumeric");
        return new(k, v);
    }
}
