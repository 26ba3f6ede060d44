using System.Text;
using Flotilla.Git.Sources;

namespace Flotilla.Git.Tests.Sources;

public sealed class WebhookSignatureTests
{
    // The example from GitHub's "Validating webhook deliveries" documentation.
    private const string Secret = "It's a Secret to Everybody";
    private const string Signature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("Hello, World!");

    [Fact]
    public void GitHub_signature_of_the_documented_example_verifies()
    {
        Assert.True(WebhookSignature.Verify(Secret, Body, Signature));
        Assert.True(WebhookSignature.Verify(Secret, Body, Signature.ToUpperInvariant().Replace("SHA256=", "sha256=", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17ff")]
    [InlineData("sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("sha256=857107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    public void Missing_malformed_or_wrong_signatures_do_not_verify(string? header) =>
        Assert.False(WebhookSignature.Verify(Secret, Body, header));

    [Fact]
    public void A_changed_body_or_secret_does_not_verify()
    {
        Assert.False(WebhookSignature.Verify(Secret, Encoding.UTF8.GetBytes("Hello, World?"), Signature));
        Assert.False(WebhookSignature.Verify("another secret", Body, Signature));
        Assert.Throws<ArgumentException>(() => WebhookSignature.Verify("", Body, Signature));
    }

    [Theory]
    [InlineData("s3cret-token", true)]
    [InlineData("s3cret-tokeN", false)]
    [InlineData("s3cret-token ", false)]
    [InlineData("s3cret", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void GitLab_token_header_must_equal_the_secret(string? header, bool expected) =>
        Assert.Equal(expected, WebhookSignature.VerifyToken("s3cret-token", header));
}
