namespace Flotilla.Core.Charts;

/// <summary>
/// When a hook object is deleted, from <c>helm.sh/hook-delete-policy</c> (a comma-separated list). A hook without the
/// annotation gets <see cref="BeforeHookCreation"/>, Helm's and Argo CD's default.
/// </summary>
[Flags]
public enum HookDeletePolicy
{
    None = 0,

    /// <summary><c>before-hook-creation</c>: a hook whose desired content changed is deleted and created anew (a Job cannot be updated in place).</summary>
    BeforeHookCreation = 1,

    /// <summary><c>hook-succeeded</c>: deleted once healthy (a Job Complete); remembered as done until its content changes.</summary>
    HookSucceeded = 2,

    /// <summary><c>hook-failed</c>: deleted once it failed; the sync stays failed until its content changes.</summary>
    HookFailed = 4,
}
