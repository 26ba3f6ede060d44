namespace Flotilla.Core.Services;

/// <summary>The two ServiceImport types of the MCS API: a virtual IP for the set, or DNS straight to the endpoints.</summary>
public enum ImportType
{
    ClusterSetIP,
    Headless,
}
