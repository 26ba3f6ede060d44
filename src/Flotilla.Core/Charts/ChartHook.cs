using Flotilla.Core.Manifests;

namespace Flotilla.Core.Charts;

/// <summary>
/// Reads Helm's hook annotations on a rendered object. An object naming several hooks takes the earliest phase it
/// can run in (a <c>pre-install,post-install</c> object is applied before the others), as Argo CD does.
/// </summary>
public static class ChartHook
{
    public const string HookAnnotation = "helm.sh/hook";

    /// <summary>The phase of <paramref name="manifest"/>.</summary>
    public static HookPhase PhaseOf(Manifest manifest)
    {
        if (Annotation(manifest, HookAnnotation) is not { } hooks) return HookPhase.None;
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

    private static string? Annotation(Manifest manifest, string name) =>
        manifest.Object["metadata"]?["annotations"]?[name] is System.Text.Json.Nodes.JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string[] Split(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
