using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Flotilla.Core.Overrides;

/// <summary>
/// An RFC 6901 JSON Pointer: <c>""</c> is the whole document, otherwise <c>/</c>-separated tokens where
/// <c>~1</c> stands for <c>/</c> and <c>~0</c> for <c>~</c> (so <c>/metadata/labels/app.kubernetes.io~1name</c>).
/// </summary>
public sealed class JsonPointer
{
    private JsonPointer(string text, ImmutableArray<string> tokens)
    {
        Text = text;
        Tokens = tokens;
    }

    /// <summary>The pointer as written.</summary>
    public string Text { get; }

    /// <summary>The unescaped reference tokens; empty for the whole document.</summary>
    public ImmutableArray<string> Tokens { get; }

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="problem"/> says why.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out JsonPointer? pointer, [NotNullWhen(false)] out string? problem)
    {
        pointer = null;
        if (text is null)
        {
            problem = "is required";
            return false;
        }

        if (text.Length == 0)
        {
            pointer = new JsonPointer(text, []);
            problem = null;
            return true;
        }

        if (text[0] != '/')
        {
            problem = $"\"{text}\" must start with '/'";
            return false;
        }

        var tokens = ImmutableArray.CreateBuilder<string>();
        foreach (var raw in text[1..].Split('/'))
        {
            if (!TryUnescape(raw, out var token))
            {
                problem = $"\"{text}\" has '~' not followed by 0 or 1";
                return false;
            }

            tokens.Add(token);
        }

        pointer = new JsonPointer(text, tokens.ToImmutable());
        problem = null;
        return true;
    }

    /// <summary>True when this pointer is <paramref name="other"/> or lies inside it.</summary>
    public bool IsWithin(JsonPointer other) =>
        Tokens.Length >= other.Tokens.Length && Tokens.Take(other.Tokens.Length).SequenceEqual(other.Tokens, StringComparer.Ordinal);

    /// <summary>Builds a pointer from unescaped tokens.</summary>
    public static JsonPointer FromTokens(params string[] tokens)
    {
        var text = new StringBuilder();
        foreach (var token in tokens) text.Append('/').Append(Escape(token));
        return new JsonPointer(text.ToString(), [.. tokens]);
    }

    /// <summary>One token as it is written in a pointer: <c>~</c> as <c>~0</c>, <c>/</c> as <c>~1</c>.</summary>
    internal static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    /// <summary>
    /// An array index token: decimal digits without a leading zero (RFC 6901 §4); <c>-</c> (past the end) is handled by callers.
    /// </summary>
    internal static bool TryIndex(string token, out int index)
    {
        index = -1;
        if (token.Length == 0 || (token.Length > 1 && token[0] == '0') || !token.All(char.IsAsciiDigit)) return false;
        return int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    private static bool TryUnescape(string raw, out string token)
    {
        token = raw;
        if (!raw.Contains('~', StringComparison.Ordinal)) return true;
        var result = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '~')
            {
                result.Append(raw[i]);
                continue;
            }

            if (i + 1 >= raw.Length || raw[i + 1] is not ('0' or '1')) return false;
            result.Append(raw[i + 1] == '0' ? '~' : '/');
            i++;
        }

        token = result.ToString();
        return true;
    }
}
