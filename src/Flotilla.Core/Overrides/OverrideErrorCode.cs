namespace Flotilla.Core.Overrides;

/// <summary>Why an override failed for one cluster. Branch on this, never on the message.</summary>
public enum OverrideErrorCode
{
    /// <summary>A patch or shorthand addresses a path (or a container) the object does not have.</summary>
    PathNotFound,

    /// <summary>A JSON Patch <c>test</c> operation found a different value.</summary>
    TestFailed,

    /// <summary>A rule changed the object's apiVersion, kind, namespace or name.</summary>
    IdentityChanged,

    /// <summary>The path exists but holds the wrong type for the change (e.g. <c>spec</c> is not an object, an <c>env</c> that is not a list).</summary>
    WrongType,

    /// <summary>A manifest that opts in to substitution uses a label or property the cluster does not have.</summary>
    MissingVariable,
}
