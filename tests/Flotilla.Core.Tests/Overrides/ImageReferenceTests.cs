using Flotilla.Core.Overrides;

namespace Flotilla.Core.Tests.Overrides;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("nginx", "mirror.eu", "mirror.eu/nginx")]
    [InlineData("nginx:1.27", "mirror.eu", "mirror.eu/nginx:1.27")]
    [InlineData("library/nginx:1.27", "mirror.eu", "mirror.eu/library/nginx:1.27")]
    [InlineData("ghcr.io/acme/api:2.0", "mirror.eu", "mirror.eu/acme/api:2.0")]
    [InlineData("registry:5000/app@sha256:abc", "mirror.eu:443", "mirror.eu:443/app@sha256:abc")]
    [InlineData("localhost/app:1", "mirror.eu/proxy", "mirror.eu/proxy/app:1")]
    [InlineData("acme/api:2.0", "mirror.eu", "mirror.eu/acme/api:2.0")]
    public void The_registry_part_is_replaced_or_added(string image, string registry, string expected) =>
        Assert.Equal(expected, ImageReference.WithRegistry(image, registry));
}
