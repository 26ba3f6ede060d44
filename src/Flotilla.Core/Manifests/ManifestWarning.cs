namespace Flotilla.Core.Manifests;

/// <summary>Something changed in an object while reading it that the user should hear about (it is not an error).</summary>
/// <param name="Object">The object, with its identity after the change.</param>
/// <param name="Source">The file (and document) it was read from.</param>
/// <param name="Message">What was changed and why. It names objects and fields, never values.</param>
public sealed record ManifestWarning(ObjectRef Object, SourceLocation Source, string Message)
{
    /// <summary><c>source: message</c>.</summary>
    public override string ToString() => $"{Source}: {Message}";
}
