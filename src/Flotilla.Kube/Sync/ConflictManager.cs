using System.Text.RegularExpressions;

namespace Flotilla.Kube.Sync;

/// <summary>
/// The other field manager named in a server-side apply conflict (409, reason Conflict). The API server gives the
/// name only inside its message (<c>conflict with "kubectl-edit" using v1: .data.value</c>); the error is classified
/// by its status, and this only picks the name out for the report.
/// </summary>
public static partial class ConflictManager
{
    public static string? From(string message) => Pattern().Match(message) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex("conflicts? with \"([^\"]+)\"")]
    private static partial Regex Pattern();
}
