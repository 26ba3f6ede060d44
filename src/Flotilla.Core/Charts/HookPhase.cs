namespace Flotilla.Core.Charts;

/// <summary>When a chart object is applied, from its <c>helm.sh/hook</c> annotation, as Argo CD maps Helm hooks.</summary>
public enum HookPhase
{
    /// <summary>Not a hook: applied with the chart's other objects.</summary>
    None,

    /// <summary><c>pre-install</c>/<c>pre-upgrade</c>: a stage before the chart's other objects.</summary>
    PreSync,

    /// <summary><c>post-install</c>/<c>post-upgrade</c>: a stage after them.</summary>
    PostSync,

    /// <summary><c>test</c> (and Helm 2's <c>test-success</c>/<c>test-failure</c>): dropped unless <c>includeTests</c>.</summary>
    Test,

    /// <summary><c>pre-delete</c>, <c>post-delete</c>, <c>pre-rollback</c>, <c>post-rollback</c> and unknown hooks: never applied (Argo CD ignores them too).</summary>
    Ignored,
}
