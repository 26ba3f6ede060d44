namespace Flotilla.Git.Sources;

/// <summary>
/// A fresh ed25519 key pair: the private key in OpenSSH format (secret: store it in the source's auth
/// Secret) and the one-line public key to register as the repository's deploy key. <see cref="ToString"/>
/// shows the public key only.
/// </summary>
public sealed record DeployKey(string PrivateKeyOpenSsh, string PublicKeyLine)
{
    public override string ToString() => $"DeployKey {{ PublicKeyLine = {PublicKeyLine} }}";
}
