using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;

namespace Flotilla.Hub.Api.Auth;

/// <summary>
/// Asks the hub's API server who a bearer token belongs to (TokenReview) and what that user may do
/// (SubjectAccessReview), so the dashboard's rights are exactly the user's Kubernetes RBAC. Answers are kept for
/// <see cref="CacheFor"/> so a page with live updates does not send a review per refresh; a token is cached only by its
/// SHA-256, never kept in clear.
/// </summary>
public sealed class AccessReviewer(IKubernetes hub, TimeProvider clock)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private const int MaxCached = 10_000;
    private readonly ConcurrentDictionary<string, (Caller? Caller, DateTimeOffset At)> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string User, AccessCheck Check), (bool Allowed, DateTimeOffset At)> _reviews = new();

    /// <summary>The user the token authenticates as, or null when the API server does not accept it.</summary>
    public async Task<Caller?> AuthenticateAsync(string token, CancellationToken ct)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        var now = clock.GetUtcNow();
        if (_tokens.TryGetValue(key, out var known) && now - known.At < CacheFor) return known.Caller;
        var review = await hub.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = token } }, cancellationToken: ct);
        var caller = review.Status is { Authenticated: true, User: { } user }
            ? new Caller(user.Username, user.Uid, [.. user.Groups ?? []])
            : null;
        Remember(_tokens, key, (caller, now));
        return caller;
    }

    /// <summary>True when the hub's RBAC lets <paramref name="caller"/> do <paramref name="check"/>.</summary>
    public async Task<bool> AllowedAsync(Caller caller, AccessCheck check, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var key = (caller.User + "\n" + string.Join(",", caller.Groups), check);
        if (_reviews.TryGetValue(key, out var known) && now - known.At < CacheFor) return known.Allowed;
        var review = await hub.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec
            {
                User = caller.User, Uid = caller.Uid, Groups = [.. caller.Groups],
                ResourceAttributes = new V1ResourceAttributes
                {
                    Verb = check.Verb, Group = check.Group, Resource = check.Resource, NamespaceProperty = check.Namespace, Name = check.Name,
                },
            },
        }, cancellationToken: ct);
        var allowed = review.Status?.Allowed == true;
        Remember(_reviews, key, (allowed, now));
        return allowed;
    }

    // Bounded: a flood of distinct tokens or users empties the cache instead of growing it.
    private static void Remember<TKey, TValue>(ConcurrentDictionary<TKey, TValue> cache, TKey key, TValue value) where TKey : notnull
    {
        if (cache.Count >= MaxCached) cache.Clear();
        cache[key] = value;
    }
}
