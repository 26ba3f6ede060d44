using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Flotilla.Core.Manifests;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Flotilla.Git.Render;

/// <summary>
/// Types scalars by the YAML 1.2 core schema: quoted and block scalars are strings; plain scalars are
/// null (<c>~</c>, <c>null</c>, empty), booleans (<c>true</c>/<c>false</c> in three casings), integers
/// (decimal, <c>0o</c> octal, <c>0x</c> hex), floats, otherwise strings. YAML 1.1 forms such as
/// <c>yes</c>, <c>on</c> or <c>1_000</c> stay strings. Explicit <c>!!str/int/float/bool/null/binary/timestamp</c>
/// tags and the non-specific <c>!</c> are honoured; other tags are refused. Infinity and NaN are refused
/// because JSON cannot carry them.
/// </summary>
internal static partial class CoreSchemaScalar
{
    private const string TagPrefix = "tag:yaml.org,2002:";

    public static JsonNode? Resolve(Scalar scalar)
    {
        var value = scalar.Value;
        if (!scalar.Tag.IsEmpty)
        {
            return scalar.Tag.IsNonSpecific ? JsonValue.Create(value) : ResolveTagged(scalar.Tag.Value, value, scalar.Start.Line);
        }

        return scalar.Style == ScalarStyle.Plain ? ResolvePlain(value, scalar.Start.Line) : JsonValue.Create(value);
    }

    private static JsonNode? ResolveTagged(string tag, string value, long line) =>
        tag switch
        {
            TagPrefix + "str" or TagPrefix + "timestamp" => JsonValue.Create(value),
            TagPrefix + "binary" => JsonValue.Create(string.Concat(value.Where(c => !char.IsWhiteSpace(c)))),
            TagPrefix + "null" => null,
            TagPrefix + "bool" when TryBool(value, out var b) => JsonValue.Create(b),
            TagPrefix + "int" when TryInteger(value, line) is { } i => i,
            TagPrefix + "float" when TryFloat(value, line) is { } f => f,
            TagPrefix + "bool" or TagPrefix + "int" or TagPrefix + "float" =>
                throw new YamlReadException(ManifestErrorCode.InvalidYaml, $"line {line}: value does not match its tag {ShortTag(tag)}"),
            _ => throw new YamlReadException(ManifestErrorCode.InvalidYaml, $"line {line}: unsupported tag {ShortTag(tag)}"),
        };

    private static JsonNode? ResolvePlain(string value, long line)
    {
        if (value is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (TryBool(value, out var b))
        {
            return JsonValue.Create(b);
        }

        return TryInteger(value, line) ?? TryFloat(value, line) ?? JsonValue.Create(value);
    }

    private static bool TryBool(string value, out bool result)
    {
        switch (value)
        {
            case "true" or "True" or "TRUE":
                result = true;
                return true;
            case "false" or "False" or "FALSE":
                result = false;
                return true;
            default:
                result = false;
                return false;
        }
    }

    private static JsonNode? TryInteger(string value, long line)
    {
        if (DecimalInteger().IsMatch(value))
        {
            if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            {
                return JsonValue.Create(l);
            }

            // Beyond int64: keep it as a number the way Kubernetes' YAML-to-JSON does (float64).
            return TryFloat(value, line);
        }

        if (OctalInteger().IsMatch(value))
        {
            return JsonValue.Create(ParseRadix(value.AsSpan(2), 8, line));
        }

        if (HexInteger().IsMatch(value))
        {
            return JsonValue.Create(ParseRadix(value.AsSpan(2), 16, line));
        }

        return null;
    }

    private static JsonNode? TryFloat(string value, long line)
    {
        if (Infinity().IsMatch(value) || value is ".nan" or ".NaN" or ".NAN")
        {
            throw new YamlReadException(ManifestErrorCode.InvalidYaml, $"line {line}: infinity and NaN cannot be represented in JSON");
        }

        if (!Float().IsMatch(value))
        {
            return null;
        }

        var d = double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(d))
        {
            throw new YamlReadException(ManifestErrorCode.InvalidYaml, $"line {line}: number is out of range");
        }

        return JsonValue.Create(d);
    }

    private static long ParseRadix(ReadOnlySpan<char> digits, int radix, long line)
    {
        long result = 0;
        foreach (var ch in digits)
        {
            var digit = char.IsAsciiDigit(ch) ? ch - '0' : (char.ToLowerInvariant(ch) - 'a') + 10;
            if (result > (long.MaxValue - digit) / radix)
            {
                throw new YamlReadException(ManifestErrorCode.InvalidYaml, $"line {line}: integer is out of range");
            }

            result = (result * radix) + digit;
        }

        return result;
    }

    private static string ShortTag(string tag) => tag.StartsWith(TagPrefix, StringComparison.Ordinal) ? "!!" + tag[TagPrefix.Length..] : tag;

    [GeneratedRegex(@"\A[-+]?[0-9]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex DecimalInteger();

    [GeneratedRegex(@"\A0o[0-7]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex OctalInteger();

    [GeneratedRegex(@"\A0x[0-9a-fA-F]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex HexInteger();

    [GeneratedRegex(@"\A[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Float();

    [GeneratedRegex(@"\A[-+]?\.(inf|Inf|INF)\z", RegexOptions.CultureInvariant)]
    private static partial Regex Infinity();
}
