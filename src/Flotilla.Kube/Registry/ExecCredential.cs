using System.Text;

namespace Flotilla.Kube.Registry;

/// <summary>
/// What an exec credential plugin printed (<c>ExecCredential.status</c>): a bearer token, or a client certificate
/// and key (PEM), and when they expire. Holds secrets: <see cref="ToString"/> shows none.
/// </summary>
public sealed record ExecCredential(string? Token, string? ClientCertificatePem, string? ClientKeyPem, DateTimeOffset? Expires)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Token = ").Append(Token is null ? "null" : "<redacted>")
            .Append(", ClientCertificate = ").Append(ClientCertificatePem is null ? "null" : "<redacted>")
            .Append(", Expires = ").Append(Expires);
        return true;
    }
}
