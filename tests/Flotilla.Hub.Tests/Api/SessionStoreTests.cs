using Flotilla.Hub.Api.Auth;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Hub.Tests.Api;

public class SessionStoreTests
{
    private static readonly Caller Alice = new("alice", "u1", ["devs"]);

    [Fact]
    public void A_session_is_found_by_its_id_until_it_expires_or_ends()
    {
        var clock = new FakeTimeProvider();
        var store = new SessionStore(clock);
        var s = store.Create(Alice);
        Assert.Equal(Alice, store.Find(s.Id)!.Caller);
        Assert.Null(store.Find("not-" + s.Id));
        clock.Advance(SessionStore.Lifetime);
        Assert.Null(store.Find(s.Id));
        var t = store.Create(Alice);
        store.End(t.Id);
        Assert.Null(store.Find(t.Id));
    }

    [Fact]
    public void Ids_and_csrf_tokens_are_random_and_distinct()
    {
        var store = new SessionStore(new FakeTimeProvider());
        var a = store.Create(Alice);
        var b = store.Create(Alice);
        Assert.NotEqual(a.Id, b.Id);
        Assert.NotEqual(a.Csrf, a.Id);
        Assert.True(a.Id.Length >= 40);
        Assert.True(a.CsrfMatches(a.Csrf));
        Assert.False(a.CsrfMatches(b.Csrf));
        Assert.False(a.CsrfMatches(null));
        Assert.False(a.CsrfMatches(""));
    }
}
