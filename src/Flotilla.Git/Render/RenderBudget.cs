namespace Flotilla.Git.Render;

/// <summary>
/// What one render has consumed so far against its <see cref="RenderLimits"/>: files, bytes, documents
/// and objects across every file read. Not thread-safe; one budget per render.
/// </summary>
public sealed class RenderBudget
{
    /// <summary>Creates an empty budget.</summary>
    public RenderBudget(RenderLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.Validate();
        Limits = limits;
    }

    /// <summary>The caps charged against.</summary>
    public RenderLimits Limits { get; }

    /// <summary>Files charged so far.</summary>
    public int Files { get; private set; }

    /// <summary>Bytes charged so far.</summary>
    public long Bytes { get; private set; }

    /// <summary>Documents charged so far.</summary>
    public int Documents { get; private set; }

    /// <summary>Objects charged so far.</summary>
    public int Objects { get; private set; }

    /// <summary>True once any total has gone over its cap; a render stops there.</summary>
    public bool IsExhausted =>
        Files > Limits.MaxFiles || Bytes > Limits.MaxTotalBytes || Documents > Limits.MaxDocuments || Objects > Limits.MaxObjects;

    /// <summary>Charges one file; false when that exceeds <see cref="RenderLimits.MaxFiles"/>.</summary>
    public bool TryChargeFile() => ++Files <= Limits.MaxFiles;

    /// <summary>Charges bytes; false when the total exceeds <see cref="RenderLimits.MaxTotalBytes"/>.</summary>
    public bool TryChargeBytes(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Bytes += bytes;
        return Bytes <= Limits.MaxTotalBytes;
    }

    /// <summary>Charges one document; false when that exceeds <see cref="RenderLimits.MaxDocuments"/>.</summary>
    public bool TryChargeDocument() => ++Documents <= Limits.MaxDocuments;

    /// <summary>Charges one object; false when that exceeds <see cref="RenderLimits.MaxObjects"/>.</summary>
    public bool TryChargeObject() => ++Objects <= Limits.MaxObjects;
}
