using Flotilla.Core.Overrides;

namespace Flotilla.Core.Tests.Overrides;

public sealed class JsonPointerTests
{
    [Theory]
    [InlineData("", new string[0])]
    [InlineData("/", new[] { "" })]
    [InlineData("/metadata/labels/app.kubernetes.io~1name", new[] { "metadata", "labels", "app.kubernetes.io/name" })]
    [InlineData("/a~0b/~01", new[] { "a~b", "~1" })]
    [InlineData("/spec/containers/0", new[] { "spec", "containers", "0" })]
    public void Tokens_are_unescaped(string text, string[] tokens)
    {
        Assert.True(JsonPointer.TryParse(text, out var pointer, out _));
        Assert.Equal(tokens, pointer.Tokens);
        Assert.Equal(text, JsonPointer.FromTokens(tokens).Text);
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("spec", "must start with '/'")]
    [InlineData("/a~", "'~' not followed by 0 or 1")]
    [InlineData("/a~2", "'~' not followed by 0 or 1")]
    public void Bad_pointers_say_why(string? text, string problem)
    {
        Assert.False(JsonPointer.TryParse(text, out _, out var why));
        Assert.Contains(problem, why, StringComparison.Ordinal);
    }
}
