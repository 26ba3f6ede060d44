namespace Flotilla.Core.Overrides;

/// <summary>How an <see cref="EnvOverride"/> treats a variable the container already has.</summary>
public enum EnvMode
{
    /// <summary>Replace it (value and any <c>valueFrom</c>); append when absent.</summary>
    Set,

    /// <summary>Append only when absent; an existing variable is kept (a per-cluster default the manifest may override).</summary>
    Add,
}
