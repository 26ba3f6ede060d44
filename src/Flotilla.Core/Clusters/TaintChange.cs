namespace Flotilla.Core.Clusters;

/// <summary>How a cluster taint keeps bundles away (OCM's taint effects).</summary>
public enum TaintEffect
{
    /// <summary>Never placed there unless tolerated.</summary>
    NoSelect,
    /// <summary>Avoided when other clusters fit.</summary>
    PreferNoSelect,
    /// <summary>Not newly placed there unless tolerated; existing placements stay.</summary>
    NoSelectIfNew,
}

/// <summary>
/// A taint edit as kubectl writes it: <c>key=value:Effect</c> or <c>key:Effect</c> adds,
/// <c>key-</c> / <c>key:Effect-</c> removes. <see cref="Effect"/> is null for "remove every effect of key".
/// </summary>
public sealed record TaintChange(string Key, string? Value, TaintEffect? Effect, bool Remove)
{
    public static TaintChange Parse(string text)
    {
        var remove = text.EndsWith('-');
        var body = remove ? text[..^1] : text;
        var colon = body.LastIndexOf(':');
        TaintEffect? effect = null;
        if (colon >= 0)
        {
            if (!Enum.TryParse<TaintEffect>(body[(colon + 1)..], ignoreCase: false, out var parsed) || !Enum.IsDefined(parsed))
                throw new FormatException($"invalid taint effect \"{body[(colon + 1)..]}\" in \"{text}\": expected NoSelect, PreferNoSelect or NoSelectIfNew");
            effect = parsed;
            body = body[..colon];
        }
        else if (!remove) throw new FormatException($"invalid taint \"{text}\": expected key[=value]:Effect");
        var eq = body.IndexOf('=');
        var key = eq < 0 ? body : body[..eq];
        var value = eq < 0 ? null : body[(eq + 1)..];
        if (!LabelValidation.IsValidKey(key)) throw new FormatException($"invalid taint key \"{key}\"");
        if (value is not null && !LabelValidation.IsValidValue(value)) throw new FormatException($"invalid taint value \"{value}\"");
        return new(key, value, effect, remove);
    }
}
