namespace Flotilla.Core.Charts;

/// <summary>The <c>helm.sh/hook-delete-policy</c> values Flotilla acts on.</summary>
[Flags]
public enum HookDeletePolicy
{
    None = 0,

    /// <summary><c>before-hook-creation</c> (Helm's default for a hook without a policy): the old object is deleted before it is applied again, since a Job cannot be changed.</summary>
    BeforeHookCreation = 1,

    /// <summary><c>hook-succeeded</c>: deleted once it is healthy (a Job: complete).</summary>
    HookSucceeded = 2,

    /// <summary><c>hook-failed</c>: deleted once it failed.</summary>
    HookFailed = 4,
}
