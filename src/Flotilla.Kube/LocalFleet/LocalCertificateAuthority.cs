using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Flotilla.Kube.LocalFleet;

/// <summary>
/// A throw-away certificate authority for the local fleet: one CA per fleet, one serving certificate per
/// API server (SANs 127.0.0.1 and localhost), all written as PEM. Never used outside the local fleet.
/// </summary>
public sealed class LocalCertificateAuthority : IDisposable
{
    private readonly X509Certificate2 _ca;

    private LocalCertificateAuthority(X509Certificate2 ca) => _ca = ca;

    /// <summary>The CA certificate as PEM.</summary>
    public string CertificatePem => _ca.ExportCertificatePem() + "\n";

    /// <summary>Creates a new CA valid for ten years.</summary>
    public static LocalCertificateAuthority Create(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return new LocalCertificateAuthority(request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10)));
    }

    /// <summary>Loads a CA written earlier by <see cref="WriteTo"/>.</summary>
    public static LocalCertificateAuthority Load(string certPath, string keyPath) =>
        new(X509Certificate2.CreateFromPemFile(certPath, keyPath));

    /// <summary>Writes the CA certificate and key as PEM (key mode 0600).</summary>
    public void WriteTo(string certPath, string keyPath)
    {
        File.WriteAllText(certPath, CertificatePem);
        using var key = _ca.GetECDsaPrivateKey() ?? throw new InvalidOperationException("CA has no private key");
        WritePrivate(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    /// <summary>Issues a serving certificate for 127.0.0.1/localhost and writes it with its key as PEM.</summary>
    public void IssueServingCertificate(string commonName, string certPath, string keyPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        var now = DateTimeOffset.UtcNow;
        using var cert = request.Create(_ca, now.AddMinutes(-5), now.AddYears(5), serial);
        // PEM exports end without a newline; Go cannot read two blocks glued together.
        File.WriteAllText(certPath, cert.ExportCertificatePem() + "\n" + _ca.ExportCertificatePem() + "\n");
        WritePrivate(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    /// <summary>Writes an RSA key pair for signing service account tokens.</summary>
    public static void WriteServiceAccountKeys(string privatePath, string publicPath)
    {
        using var rsa = RSA.Create(2048);
        WritePrivate(privatePath, rsa.ExportRSAPrivateKeyPem() + "\n");
        File.WriteAllText(publicPath, rsa.ExportSubjectPublicKeyInfoPem() + "\n");
    }

    public static void WritePrivate(string path, string content)
    {
        File.WriteAllText(path, "");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(path, content);
    }

    public void Dispose() => _ca.Dispose();
}
