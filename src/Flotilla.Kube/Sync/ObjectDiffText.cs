using Flotilla.Core.Sync;

namespace Flotilla.Kube.Sync;

/// <summary>
/// How a preview's object lines read, in <c>flotilla diff</c>, <c>flotilla plan</c> and the dashboard alike: a marker (+ create,
/// ~ update, - prune, ! refused, ? reported, = left alone), the object and what happens to it; the redacted YAML line
/// diff for what would be written; and whether a line is a change or a failure (the exit codes 1 and 2).
/// </summary>
public static class ObjectDiffText
{
    public static string Line(ObjectDiff d) => d.Error is { } error ? $"! {d.Object}: {error}" : d.Action switch
    {
        ChangeAction.Create => $"+ {d.Object} (create)",
        ChangeAction.Update => $"~ {d.Object}",
        ChangeAction.DriftCorrect => $"~ {d.Object} (drift: {d.Detail}, corrected)",
        ChangeAction.DriftReport => $"? {d.Object} (drift: {d.Detail}, reported only)",
        ChangeAction.Conflict => $"! {d.Object} (conflict: {d.Detail})",
        ChangeAction.OwnedByOtherBundle => $"! {d.Object}: {d.Detail}",
        ChangeAction.Prune => $"- {d.Object} (prune)",
        ChangeAction.PruneSkipped => $"= {d.Object} (not pruned: {d.Detail})",
        ChangeAction.Unchanged => $"= {d.Object}",
    };

    /// <summary>The line diff of what an update would write (before: live, after: the server's dry-run answer); empty otherwise.</summary>
    public static string Body(ObjectDiff d) =>
        d.Error is null && d.Action is ChangeAction.Update or ChangeAction.DriftCorrect
            ? LineDiff.Unified(YamlText.Of(d.Before), YamlText.Of(d.After))
            : "";

    /// <summary>Worth a line of its own: anything but an object left as it is.</summary>
    public static bool Shown(ObjectDiff d) => d.Action != ChangeAction.Unchanged || d.Error is not null;

    /// <summary>The object cannot be written as it is (exit code 2).</summary>
    public static bool IsFailure(ObjectDiff d) => d.Error is not null || d.Action is ChangeAction.Conflict or ChangeAction.OwnedByOtherBundle;

    /// <summary>A sync would write or delete it (exit code 1).</summary>
    public static bool IsChange(ChangeAction action) => action is not (ChangeAction.Unchanged or ChangeAction.PruneSkipped);

    /// <summary><c>DriftCorrect</c> → <c>drift-correct</c>, as kubectl prints kinds of change.</summary>
    public static string Words(ChangeAction action) =>
        string.Concat(action.ToString().Select((ch, i) => char.IsUpper(ch) && i > 0 ? $"-{char.ToLowerInvariant(ch)}" : char.ToLowerInvariant(ch).ToString()));
}
