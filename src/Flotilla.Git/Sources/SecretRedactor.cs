namespace Flotilla.Git.Sources;

/// <summary>Removes secrets and URL user information from text that is about to become a message.</summary>
internal static class SecretRedactor
{
    private const string Mask = "***";

    /// <summary>Every occurrence of every secret (at least 4 characters) becomes <c>***</c>; URLs are passed through <see cref="GitUrl.Redact"/>.</summary>
    public static string Redact(string text, IEnumerable<string> secrets)
    {
        foreach (var secret in secrets.Where(s => s.Length >= 4).OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return GitUrl.Redact(text);
    }

    /// <summary>The key itself and each of its base64 body lines, so even a partial echo is caught.</summary>
    public static IEnumerable<string> KeyFragments(string privateKey)
    {
        yield return privateKey;
        foreach (var line in privateKey.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!line.StartsWith("-----", StringComparison.Ordinal) && line.Length >= 16) yield return line;
        }
    }
}
