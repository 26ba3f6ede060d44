using Flotilla.Core.Sync;

namespace Flotilla.Core.Tests.Sync;

public sealed class LineDiffTests
{
    [Fact]
    public void Equal_texts_give_no_diff() => Assert.Equal("", LineDiff.Unified("a\nb\n", "a\nb\n"));

    [Fact]
    public void Changed_lines_are_marked_with_context()
    {
        var diff = LineDiff.Unified("a\nb\nc\nd\ne\nf\ng\nh\n", "a\nb\nc\nd\nE\nf\ng\nh\n", context: 1);
        Assert.Equal("  …\n  d\n- e\n+ E\n  f\n  …\n", diff);
    }
}
