using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;
using Flotilla.Core.Sync;

namespace Flotilla.Kube.Sync;

/// <summary>
/// What a run of the executor did (or, as a preview, would do): the <see cref="ChangeSet"/> as refined by the server's
/// dry-runs, the server's dry-run answer per written object, each object's error, and the compact result for status.
/// </summary>
public sealed record SyncOutcome(
    ChangeSet Plan,
    IReadOnlyDictionary<ObjectRef, JsonObject> DryRuns,
    IReadOnlyDictionary<ObjectRef, string> Errors,
    SyncResult Result);
