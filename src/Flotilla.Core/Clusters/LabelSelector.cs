using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Flotilla.Core.Clusters;

/// <summary>
/// A Kubernetes label selector in its string form (<c>env=prod,region in (eu-west,us-east),!legacy</c>).
/// Requirements are ANDed; the empty selector matches everything.
/// </summary>
public sealed partial record LabelSelector(ImmutableArray<LabelRequirement> Requirements)
{
    /// <summary>Matches every label set.</summary>
    public static LabelSelector Everything { get; } = new(ImmutableArray<LabelRequirement>.Empty);

    /// <summary>True when every requirement holds for <paramref name="labels"/>.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels) => Requirements.All(r => r.Matches(labels));

    /// <summary>Parses the string form; throws <see cref="FormatException"/> naming the bad part.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Everything;
        var requirements = ImmutableArray.CreateBuilder<LabelRequirement>();
        foreach (var part in SplitTopLevel(text))
        {
            var match = RequirementPattern().Match(part);
            if (!match.Success) throw new FormatException($"invalid label selector requirement \"{part}\"");
            var key = match.Groups["key"].Value;
            if (!LabelValidation.IsValidKey(key)) throw new FormatException($"invalid label key \"{key}\" in selector");
            var op = match.Groups["op"].Value;
            var values = match.Groups["set"].Success
                ? match.Groups["set"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : match.Groups["value"].Success ? [match.Groups["value"].Value] : [];
            var kind = (match.Groups["not"].Success, op) switch
            {
                (true, "") => SelectorOperator.DoesNotExist,
                (false, "") => SelectorOperator.Exists,
                (_, "=" or "==") => SelectorOperator.Equals,
                (_, "!=") => SelectorOperator.NotEquals,
                (_, var o) when o.Equals("in", StringComparison.Ordinal) => SelectorOperator.In,
                (_, var o) when o.Equals("notin", StringComparison.Ordinal) => SelectorOperator.NotIn,
                _ => throw new FormatException($"invalid operator in \"{part}\""),
            };
            requirements.Add(new LabelRequirement(key, kind, [.. values.Order(StringComparer.Ordinal)]));
        }
        return new LabelSelector(requirements.ToImmutable());
    }

    /// <summary>Builds a selector from an equality map (the <c>matchLabels</c> form).</summary>
    public static LabelSelector FromMatchLabels(IReadOnlyDictionary<string, string> matchLabels) =>
        new([.. matchLabels.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new LabelRequirement(p.Key, SelectorOperator.Equals, [p.Value]))]);

    public override string ToString() => string.Join(",", Requirements.Select(r => r.ToString()));

    public bool Equals(LabelSelector? other) => other is not null && Requirements.SequenceEqual(other.Requirements);

    public override int GetHashCode() => Requirements.Aggregate(0, (h, r) => HashCode.Combine(h, r));

    // Commas inside "( … )" belong to a set, not to the list of requirements.
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i].Trim();
                start = i + 1;
            }
        }
        yield return text[start..].Trim();
    }

    [GeneratedRegex(@"^(?<not>!)?\s*(?<key>[^\s!=,()]+)\s*(?:(?<op>==|=|!=)\s*(?<value>[^\s,()]*)|\s+(?<op>in|notin)\s*\((?<set>[^()]*)\))?$")]
    private static partial Regex RequirementPattern();
}

/// <summary>The operators of a label requirement.</summary>
public enum SelectorOperator { Equals, NotEquals, In, NotIn, Exists, DoesNotExist }

/// <summary>The operators a Kubernetes <c>matchExpressions</c> entry may name.</summary>
public static class MatchExpressionOperators
{
    public const string Expected = "In, NotIn, Exists, DoesNotExist";

    /// <summary>The operator <paramref name="text"/> names (case-sensitive, as the API), or null for anything else.</summary>
    public static SelectorOperator? Parse(string? text) => text switch
    {
        "In" => SelectorOperator.In,
        "NotIn" => SelectorOperator.NotIn,
        "Exists" => SelectorOperator.Exists,
        "DoesNotExist" => SelectorOperator.DoesNotExist,
        _ => null,
    };
}

/// <summary>One requirement of a <see cref="LabelSelector"/>; values are ordinal sorted.</summary>
public sealed record LabelRequirement(string Key, SelectorOperator Operator, ImmutableArray<string> Values)
{
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var has = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            SelectorOperator.Equals or SelectorOperator.In => has && Values.Contains(value!),
            SelectorOperator.NotEquals or SelectorOperator.NotIn => !has || !Values.Contains(value!),
            SelectorOperator.Exists => has,
            SelectorOperator.DoesNotExist => !has,
        };
    }

    public override string ToString() => Operator switch
    {
        SelectorOperator.Equals => $"{Key}={Values[0]}",
        SelectorOperator.NotEquals => $"{Key}!={Values[0]}",
        SelectorOperator.In => $"{Key} in ({string.Join(",", Values)})",
        SelectorOperator.NotIn => $"{Key} notin ({string.Join(",", Values)})",
        SelectorOperator.Exists => Key,
        SelectorOperator.DoesNotExist => $"!{Key}",
    };

    public bool Equals(LabelRequirement? other) =>
        other is not null && Key == other.Key && Operator == other.Operator && Values.SequenceEqual(other.Values);

    public override int GetHashCode() => HashCode.Combine(Key, Operator, Values.Length);
}
