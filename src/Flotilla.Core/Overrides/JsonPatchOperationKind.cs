namespace Flotilla.Core.Overrides;

/// <summary>The operations of RFC 6902 JSON Patch.</summary>
public enum JsonPatchOperationKind
{
    Add,
    Remove,
    Replace,
    Move,
    Copy,
    Test,
}
