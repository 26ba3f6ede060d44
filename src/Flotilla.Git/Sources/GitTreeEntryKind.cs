namespace Flotilla.Git.Sources;

/// <summary>The tree entry modes a snapshot reproduces. Submodules (mode 160000) are not fetched and not listed.</summary>
internal enum GitTreeEntryKind
{
    /// <summary>Mode 100644 (and legacy non-executable modes).</summary>
    File,

    /// <summary>Mode 100755.</summary>
    Executable,

    /// <summary>Mode 120000: the blob is the link target.</summary>
    Symlink,
}
