namespace Flotilla.Core.Manifests;

/// <summary>One reason a manifest set could not be produced, naming where it happened.</summary>
/// <param name="Code">What kind of failure this is; callers branch on this.</param>
/// <param name="Source">The file (and document) at fault.</param>
/// <param name="Message">A human-readable explanation. It never contains object data values.</param>
public sealed record ManifestError(ManifestErrorCode Code, SourceLocation Source, string Message)
{
    /// <summary><c>source: message</c>.</summary>
    public override string ToString() => $"{Source}: {Message}";
}
