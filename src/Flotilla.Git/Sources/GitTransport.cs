namespace Flotilla.Git.Sources;

/// <summary>The transports Flotilla lets git use (<c>GIT_ALLOW_PROTOCOL</c> is set to match).</summary>
internal enum GitTransport
{
    Https,
    Http,
    Ssh,
    Local,
}
