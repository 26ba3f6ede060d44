namespace Flotilla.Core.Overrides;

/// <summary>
/// Why the bundle's overrides cannot be used at all (a Stalled condition until the spec changes): a problem with a rule
/// as written, or with a manifest's variables. <see cref="Rule"/> is the rule's name (<c>#index</c> when it has none),
/// or null for a manifest problem, which names the object in the message.
/// </summary>
public sealed record OverrideRuleError(string? Rule, string Message)
{
    /// <summary><c>override "name": message</c>, or the message alone.</summary>
    public override string ToString() => Rule is null ? Message : $"override \"{Rule}\": {Message}";
}
