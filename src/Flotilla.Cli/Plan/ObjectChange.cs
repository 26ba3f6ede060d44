using Flotilla.Cli.Output;
using Flotilla.Core.Sync;
using Flotilla.Kube.Sync;

namespace Flotilla.Cli.Plan;

/// <summary>
/// One object's line in a plan, as text only (Secret values already redacted): its identity, what a sync would do,
/// the line <c>flotilla diff</c> prints for it, the line diff of an update (empty otherwise), and whether it would be refused.
/// </summary>
public sealed record ObjectChange(string Object, ChangeAction Action, string Line, string Diff, bool Failed)
{
    /// <summary>A sync would write or delete the object.</summary>
    public bool IsChange => ObjectDiffText.IsChange(Action);

    public static ObjectChange From(ObjectDiff diff) =>
        new(diff.Object.ToString(), diff.Action, ObjectDiffText.Line(diff), ObjectDiffText.Body(diff), ObjectDiffText.IsFailure(diff));
}
