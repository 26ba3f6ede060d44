namespace Flotilla.Core;

/// <summary>How a revision is shown in messages: a commit by its first 12 characters, a chart version's revision
/// (<c>NAME@VERSION+sha256:DIGEST</c>) by its name and version (its first 12 characters would cut the version off).</summary>
public static class Revisions
{
    public static string Short(string revision) =>
        revision.IndexOf("+sha256:", StringComparison.Ordinal) is > 0 and var digest ? revision[..digest]
        : revision.Length > 12 ? revision[..12] : revision;
}
