using Flotilla.Core.Manifests;

namespace Flotilla.Core.Overrides;

/// <summary>
/// Why one cluster cannot get its objects: the rule (null for a variable a manifest uses), the object, and the JSON
/// Pointer at fault. Messages never quote field values (they may be Secret data).
/// </summary>
public sealed record OverrideError(OverrideErrorCode Code, string? Rule, ObjectRef Object, string Path, string Message)
{
    /// <summary><c>override "rule": Kind/ns/name at /path: message</c>.</summary>
    public override string ToString() =>
        $"{(Rule is null ? "" : $"override \"{Rule}\": ")}{Object} at {(Path.Length == 0 ? "\"\"" : Path)}: {Message}";
}
