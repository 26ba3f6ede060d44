using Flotilla.Core.Placement;

namespace Flotilla.Core.Tests.Placement;

public sealed class BundleCountTableTests
{
    [Fact]
    public void A_version_keeps_its_counts_and_names_the_clusters_that_moved_since_an_older_one()
    {
        var empty = BundleCountTable.Create();
        var one = empty.Add(["a", "b"], +1);
        var two = one.Add(["b", "c"], +1);
        var three = two.Add(["a"], -1);

        Assert.Equal((1, 1, 0), (one.CountOf("a"), one.CountOf("b"), one.CountOf("c")));
        Assert.Equal((0, 2, 1), (three.CountOf("a"), three.CountOf("b"), three.CountOf("c")));
        Assert.Equal(["b", "c"], two.MovedSince(one)!.Order(StringComparer.Ordinal));
        Assert.Equal(["a", "b", "c"], three.MovedSince(one)!.Order(StringComparer.Ordinal));
        Assert.Empty(three.MovedSince(three)!);
        Assert.Null(one.MovedSince(three));                            // newer than this one: not known
        Assert.Null(three.MovedSince(BundleCountTable.Create()));      // another table
        Assert.Equal([("b", 2), ("c", 1)], three.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, e.Value)));
    }

    [Fact]
    public void Versions_follow_one_line_and_no_count_goes_below_zero()
    {
        var first = BundleCountTable.Create().Add(["a"], +1);
        first.Add(["a"], +1);
        Assert.Throws<InvalidOperationException>(() => first.Add(["b"], +1));
        Assert.Throws<InvalidOperationException>(() => BundleCountTable.Create().Add(["a"], -1));
        Assert.Same(first, first.Add([], +1));
    }

    [Fact]
    public void A_version_the_bounded_log_forgot_is_not_known_and_a_recent_one_still_is()
    {
        var names = Enumerable.Range(0, 40_000).Select(i => $"c{i}").ToArray();
        var start = BundleCountTable.Create();
        var first = start.Add(names, +1);
        var second = first.Add(names, +1);                // 80,000 entries: past the capacity, the oldest half goes
        var third = second.Add(["c7"], -1);
        Assert.Null(third.MovedSince(start));
        Assert.Equal(["c7"], third.MovedSince(second));
    }

    [Fact]
    public void Other_bundle_counts_leave_out_the_bundle_itself_and_clusters_with_none()
    {
        var table = BundleCountTable.Create().Add(["a", "b"], +1).Add(["a"], +1);
        var others = new OtherBundleCounts(table, new HashSet<string> { "a", "b" });
        Assert.True(others.TryGetValue("a", out var a));
        Assert.Equal(1, a);
        Assert.False(others.ContainsKey("b"));
        Assert.False(others.ContainsKey("z"));
        var count = others.Count;
        Assert.Equal(1, count);
        Assert.Equal([("a", 1)], others.Select(e => (e.Key, e.Value)));
        Assert.Throws<KeyNotFoundException>(() => others["b"]);
    }
}
