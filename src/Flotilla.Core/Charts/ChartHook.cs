using System.Text.Json.Nodes;
using Flotilla.Core.Manifests;

namespace Flotilla.Core.Charts;

/// <summary>
/// Reads Helm's hook annotations on a rendered object. An object naming several hooks takes the earliest phase it
/// can run in (a <c>pre-install,post-install</c> object is applied before the others), as Argo CD does.
/// </summary>
public static class ChartHook
{
    public const string HookAnnotation = "helm.sh/hook";

    public const string DeletePolicyAnnotation = "helm.sh/hook-delete-policy";

    /// <summary>The phase of <paramref name="manifest"/>.</summary>
    public static HookPhase PhaseOf(Manifest manifest) => PhaseOf(manifest.Object);

    /// <summary>The phase of an object's body (rendered or prepared: the annotations are the same).</summary>
    public static HookPhase PhaseOf(JsonObject body)
    {
        if (Annotation(body, HookAnnotation) is not { } hooks) return HookPhase.None;
        var names = Split(hooks);
        if (names.Any(h => h is "pre-install" or "pre-upgrade")) return HookPhase.PreSync;
        if (names.Any(h => h is "post-install" or "post-upgrade")) return HookPhase.PostSync;
        if (names.Any(h => h is "test" or "test-success" or "test-failure")) return HookPhase.Test;
        return HookPhase.Ignored;
    }

    /// <summary>
    /// The objects a chart bundle applies: hooks that never run here, and tests unless <paramref name="includeTests"/>,
    /// left out. Everything else keeps its place; the phase decides its stage (see <c>ApplyStagePlanner</c>).
    /// </summary>
    public static IReadOnlyList<Manifest> Applied(IEnumerable<Manifest> rendered, bool includeTests) =>
        rendered.Where(m => PhaseOf(m) switch
        {
            HookPhase.None or HookPhase.PreSync or HookPhase.PostSync => true,
            HookPhase.Test => includeTests,
            HookPhase.Ignored => false,
        }).ToList();

    /// <summary>True for objects applied in a hook stage of their own (pre-install/upgrade and post-install/upgrade).</summary>
    public static bool IsSyncHook(JsonObject body) => PhaseOf(body) is HookPhase.PreSync or HookPhase.PostSync;

    /// <summary>
    /// The delete policy of a hook: the policies named in <c>helm.sh/hook-delete-policy</c> (unknown names ignored), or
    /// <see cref="HookDeletePolicy.BeforeHookCreation"/> when it names none, as Helm and Argo CD default it.
    /// <see cref="HookDeletePolicy.None"/> for an object that is no hook.
    /// </summary>
    public static HookDeletePolicy DeletePolicyOf(JsonObject body)
    {
        if (PhaseOf(body) == HookPhase.None) return HookDeletePolicy.None;
        var policy = HookDeletePolicy.None;
        foreach (var name in Split(Annotation(body, DeletePolicyAnnotation) ?? ""))
        {
            policy |= name switch
            {
                "before-hook-creation" => HookDeletePolicy.BeforeHookCreation,
                "hook-succeeded" => HookDeletePolicy.HookSucceeded,
                "hook-failed" => HookDeletePolicy.HookFailed,
                _ => HookDeletePolicy.None,
            };
        }
        return policy == HookDeletePolicy.None ? HookDeletePolicy.BeforeHookCreation : policy;
    }

    private static string? Annotation(JsonObject body, string name) =>
        body["metadata"]?["annotations"]?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string[] Split(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
