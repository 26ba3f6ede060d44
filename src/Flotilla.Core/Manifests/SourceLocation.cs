namespace Flotilla.Core.Manifests;

/// <summary>
/// Where an object (or an error) came from: a path relative to the render root, and optionally the
/// zero-based index of the YAML document in that file and of the item inside a <c>List</c> document.
/// </summary>
/// <param name="Path">Path relative to the render root, with <c>/</c> separators.</param>
/// <param name="DocumentIndex">Zero-based document index in the file, when the location is a document.</param>
/// <param name="ItemIndex">Zero-based index in a <c>List</c> kind's <c>items</c>, when the object came from one.</param>
public sealed record SourceLocation(string Path, int? DocumentIndex = null, int? ItemIndex = null)
{
    /// <summary><c>path</c>, <c>path[document]</c> or <c>path[document].items[item]</c>.</summary>
    public override string ToString() =>
        (DocumentIndex, ItemIndex) switch
        {
            (null, _) => Path,
            ({ } d, null) => $"{Path}[{d}]",
            ({ } d, { } i) => $"{Path}[{d}].items[{i}]",
        };
}
