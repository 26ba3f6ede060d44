namespace Flotilla.Git.Render;

/// <summary>
/// Hard safety caps for turning repository files into objects. Every cap is enforced before the work it
/// bounds, so hostile input fails fast with <see cref="Core.Manifests.ManifestErrorCode.LimitExceeded"/>
/// instead of exhausting memory, stack or time.
/// </summary>
public sealed record RenderLimits
{
    /// <summary>One mebibyte.</summary>
    public const long MiB = 1024 * 1024;

    /// <summary>The defaults.</summary>
    public static RenderLimits Default { get; } = new();

    /// <summary>
    /// Largest single file read. Default 16 MiB: real release files are big (cert-manager's is 1.4 MB, one KEDA CRD
    /// 472 KB) and a file larger than the API server's 3 MiB request limit can still hold many objects.
    /// </summary>
    public long MaxFileBytes { get; init; } = 16 * MiB;

    /// <summary>Largest total of all files read plus kustomize output in one render. Default 64 MiB.</summary>
    public long MaxTotalBytes { get; init; } = 64 * MiB;

    /// <summary>Most files read in one render (YAML/JSON files and kustomization files). Default 5,000.</summary>
    public int MaxFiles { get; init; } = 5_000;

    /// <summary>Most YAML documents in one render, empty ones included. Default 10,000.</summary>
    public int MaxDocuments { get; init; } = 10_000;

    /// <summary>Most objects in one render, after <c>List</c> kinds are flattened. Default 10,000.</summary>
    public int MaxObjects { get; init; } = 10_000;

    /// <summary>Deepest nesting of mappings and sequences in a document. Default 64.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>
    /// Most nodes that YAML aliases may copy in one file (a "billion laughs" document is refused once
    /// it would copy more). Default 10,000. The text aliases copy is also capped, at <see cref="MaxFileBytes"/>.
    /// </summary>
    public int MaxAliasNodes { get; init; } = 10_000;

    /// <summary>Throws when a cap is not positive.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A cap is zero or negative.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxFileBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxTotalBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxFiles);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxDocuments);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxObjects);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxDepth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxAliasNodes);
    }
}
