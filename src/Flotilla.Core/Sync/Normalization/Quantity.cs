using System.Numerics;

namespace Flotilla.Core.Sync.Normalization;

/// <summary>
/// The exact value of a Kubernetes resource quantity (<c>2000m</c>, <c>1Gi</c>, <c>0.5</c>, <c>1e3</c>), so that two
/// spellings the API server treats as one value compare equal. The server stores quantities in a canonical
/// spelling (<c>2000m</c> comes back as <c>2</c>, <c>1024Mi</c> as <c>1Gi</c>), so text equality is not enough.
/// </summary>
/// <remarks>
/// Grammar (k8s.io/apimachinery resource.Quantity): an optionally signed decimal number followed by a binary
/// suffix (<c>Ki</c>…<c>Ei</c>), a decimal suffix (<c>n u m "" k M G T P E</c>) or a decimal exponent
/// (<c>e</c>/<c>E</c> and a signed integer). The value is kept as <c>Mantissa × 10^Exponent</c>, reduced (no
/// trailing zeros in the mantissa), so equal values are equal records. Digits and exponents are capped so hostile
/// text cannot make huge numbers.
/// </remarks>
internal readonly record struct Quantity(BigInteger Mantissa, int Exponent)
{
    private const int MaxDigits = 64;
    private const int MaxExponent = 64;

    public static bool TryParse(string text, out Quantity quantity)
    {
        quantity = default;
        var span = text.AsSpan();
        if (span.Length is 0 or > MaxDigits + 8)
        {
            return false;
        }

        var negative = span[0] == '-';
        if (span[0] is '-' or '+')
        {
            span = span[1..];
        }

        var mantissa = BigInteger.Zero;
        var scale = 0;
        var digits = 0;
        var seenPoint = false;
        var i = 0;
        for (; i < span.Length; i++)
        {
            var ch = span[i];
            if (ch == '.' && !seenPoint)
            {
                seenPoint = true;
                continue;
            }

            if (!char.IsAsciiDigit(ch))
            {
                break;
            }

            mantissa = (mantissa * 10) + (ch - '0');
            digits++;
            if (seenPoint)
            {
                scale--;
            }
        }

        if (digits == 0 || !TrySuffix(span[i..], out var exponent10, out var power2))
        {
            return false;
        }

        mantissa *= BigInteger.Pow(2, power2);
        quantity = Reduce(negative ? -mantissa : mantissa, scale + exponent10);
        return true;
    }

    private static bool TrySuffix(ReadOnlySpan<char> suffix, out int exponent10, out int power2)
    {
        (exponent10, power2) = (0, 0);
        switch (suffix)
        {
            case "": return true;
            case "n": exponent10 = -9; return true;
            case "u": exponent10 = -6; return true;
            case "m": exponent10 = -3; return true;
            case "k": exponent10 = 3; return true;
            case "M": exponent10 = 6; return true;
            case "G": exponent10 = 9; return true;
            case "T": exponent10 = 12; return true;
            case "P": exponent10 = 15; return true;
            case "E": exponent10 = 18; return true;
            case "Ki": power2 = 10; return true;
            case "Mi": power2 = 20; return true;
            case "Gi": power2 = 30; return true;
            case "Ti": power2 = 40; return true;
            case "Pi": power2 = 50; return true;
            case "Ei": power2 = 60; return true;
        }

        // A decimal exponent: e/E and a signed integer ("1e3", "5E-2").
        if (suffix.Length < 2 || suffix[0] is not ('e' or 'E'))
        {
            return false;
        }

        var rest = suffix[1..];
        var sign = 1;
        if (rest[0] is '-' or '+')
        {
            sign = rest[0] == '-' ? -1 : 1;
            rest = rest[1..];
        }

        if (rest.Length is 0 or > 3)
        {
            return false;
        }

        var value = 0;
        foreach (var ch in rest)
        {
            if (!char.IsAsciiDigit(ch))
            {
                return false;
            }

            value = (value * 10) + (ch - '0');
        }

        exponent10 = sign * value;
        return value <= MaxExponent;
    }

    private static Quantity Reduce(BigInteger mantissa, int exponent)
    {
        if (mantissa.IsZero)
        {
            return new Quantity(BigInteger.Zero, 0);
        }

        while (BigInteger.Remainder(mantissa, 10).IsZero)
        {
            mantissa /= 10;
            exponent++;
        }

        return new Quantity(mantissa, exponent);
    }
}
