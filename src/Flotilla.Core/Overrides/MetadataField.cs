namespace Flotilla.Core.Overrides;

/// <summary>Which map of <c>metadata</c> a <see cref="MetadataOverride"/> changes.</summary>
public enum MetadataField
{
    Labels,
    Annotations,
}
