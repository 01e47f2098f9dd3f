using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Acm;

/// <summary>
/// Reads what ImportCertificate is given and refuses what ACM refuses (docs/localcloud-acm.md, "Import"): one PEM
/// X.509 v3 certificate with an issuer, an unencrypted PEM private key that belongs to it, an algorithm ACM supports,
/// a PEM chain, and a validity period that contains the current time.
/// </summary>
internal static class CertificatePem
{
    private static readonly Dictionary<string, string> ExtendedKeyUsageNames = new(StringComparer.Ordinal)
    {
        ["1.3.6.1.5.5.7.3.1"] = "TLS_WEB_SERVER_AUTHENTICATION", ["1.3.6.1.5.5.7.3.2"] = "TLS_WEB_CLIENT_AUTHENTICATION",
        ["1.3.6.1.5.5.7.3.3"] = "CODE_SIGNING", ["1.3.6.1.5.5.7.3.4"] = "EMAIL_PROTECTION", ["1.3.6.1.5.5.7.3.8"] = "TIME_STAMPING",
        ["1.3.6.1.5.5.7.3.9"] = "OCSP_SIGNING", ["1.3.6.1.5.5.7.3.5"] = "IPSEC_END_SYSTEM", ["1.3.6.1.5.5.7.3.6"] = "IPSEC_TUNNEL",
        ["1.3.6.1.5.5.7.3.7"] = "IPSEC_USER", ["2.5.29.37.0"] = "ANY",
    };

    private static readonly (X509KeyUsageFlags Flag, string Name)[] KeyUsageNames =
    [
        (X509KeyUsageFlags.DigitalSignature, "DIGITAL_SIGNATURE"), (X509KeyUsageFlags.NonRepudiation, "NON_REPUDIATION"),
        (X509KeyUsageFlags.KeyEncipherment, "KEY_ENCIPHERMENT"), (X509KeyUsageFlags.DataEncipherment, "DATA_ENCIPHERMENT"),
        (X509KeyUsageFlags.KeyAgreement, "KEY_AGREEMENT"), (X509KeyUsageFlags.KeyCertSign, "CERTIFICATE_SIGNING"),
        (X509KeyUsageFlags.CrlSign, "CRL_SIGNING"), (X509KeyUsageFlags.EncipherOnly, "ENCIPHER_ONLY"), (X509KeyUsageFlags.DecipherOnly, "DECIPHER_ONLY"),
    ];

    /// <summary>The certificate's content and key algorithm, or a ValidationException saying what is wrong.</summary>
    public static (CertificateContent Content, string KeyAlgorithm) Read(string certificatePem, string privateKeyPem, string? chainPem, DateTimeOffset now)
    {
        if (CountBlocks(certificatePem, "CERTIFICATE") != 1)
        {
            throw Invalid("The certificate field must contain exactly one PEM-encoded certificate (-----BEGIN CERTIFICATE-----).");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certificatePem);
        }
        catch (CryptographicException)
        {
            throw Invalid("Unable to parse the certificate. Provide a PEM-encoded X.509 certificate.");
        }

        using (certificate)
        {
            if (certificate.Version != 3 || string.IsNullOrEmpty(certificate.Issuer))
            {
                throw Invalid("The certificate must be an X.509 version 3 certificate with an issuer.");
            }

            if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
            {
                throw Invalid(string.Create(CultureInfo.InvariantCulture,
                    $"The certificate is not valid now ({now:u}): it is valid from {certificate.NotBefore.ToUniversalTime():u} to {certificate.NotAfter.ToUniversalTime():u}."));
            }

            if (chainPem is not null && CountBlocks(chainPem, "CERTIFICATE") == 0)
            {
                throw Invalid("The certificate chain must be PEM-encoded certificates (-----BEGIN CERTIFICATE-----).");
            }

            var keyAlgorithm = KeyAlgorithm(certificate);
            CheckPrivateKey(certificate, privateKeyPem);
            var names = SubjectAlternativeNames(certificate);
            var commonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            var domainName = string.IsNullOrEmpty(commonName) ? names.FirstOrDefault() : commonName;
            if (string.IsNullOrEmpty(domainName))
            {
                throw Invalid("The certificate names no domain: give a subject common name or a DNS subject alternative name.");
            }

            var content = new CertificateContent(
                domainName,
                names.Count > 0 ? names : [domainName],
                certificate.NotBefore.ToUniversalTime(),
                certificate.NotAfter.ToUniversalTime(),
                certificate.Subject,
                certificate.Issuer,
                certificate.SerialNumber.ToLowerInvariant(),
                SignatureAlgorithm(certificate.SignatureAlgorithm.Value),
                KeyUsages(certificate),
                ExtendedKeyUsages(certificate),
                certificate.ExportCertificatePem(),
                chainPem?.Trim());
            return (content, keyAlgorithm);
        }
    }

    /// <summary>A certificate for a requested (Amazon-issued) certificate, signed by the sandbox's own CA, with that CA as its chain.</summary>
    public static (string Certificate, string Chain) IssueForSandbox(CertificateContent content)
    {
        using var authorityKey = RSA.Create(2048);
        var authorityRequest = new CertificateRequest("CN=LocalCloud Sandbox CA, O=LocalCloud", authorityKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var authority = authorityRequest.CreateSelfSigned(content.NotBefore.AddDays(-1), content.NotAfter.AddDays(1));
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={content.DomainName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in content.SubjectAlternativeNames)
        {
            names.AddDnsName(name);
        }

        request.CertificateExtensions.Add(names.Build());
        using var issued = request.Create(authority, content.NotBefore, content.NotAfter, Convert.FromHexString(content.Serial.Replace(":", "", StringComparison.Ordinal)));
        return (issued.ExportCertificatePem(), authority.ExportCertificatePem());
    }

    private static string KeyAlgorithm(X509Certificate2 certificate)
    {
        using var rsa = certificate.GetRSAPublicKey();
        if (rsa is not null)
        {
            return rsa.KeySize is 1024 or 2048 or 3072 or 4096
                ? $"RSA_{rsa.KeySize}"
                : throw Invalid($"The certificate's RSA key has {rsa.KeySize} bits: ACM supports RSA 1024, 2048, 3072 and 4096 bits, and ECDSA P-256, P-384 and P-521.");
        }

        using var ec = certificate.GetECDsaPublicKey();
        return ec?.KeySize switch
        {
            256 => "EC_prime256v1",
            384 => "EC_secp384r1",
            521 => "EC_secp521r1",
            _ => throw Invalid("The certificate's key algorithm is not supported: ACM supports RSA 1024, 2048, 3072 and 4096 bits, and ECDSA P-256, P-384 and P-521."),
        };
    }

    private static void CheckPrivateKey(X509Certificate2 certificate, string privateKeyPem)
    {
        if (privateKeyPem.Contains("ENCRYPTED", StringComparison.Ordinal))
        {
            throw Invalid("The private key is encrypted: ACM imports only an unencrypted PEM private key.");
        }

        try
        {
            using var rsa = certificate.GetRSAPublicKey();
            if (rsa is not null)
            {
                using var key = RSA.Create();
                key.ImportFromPem(privateKeyPem);
                if (key.ExportParameters(false).Modulus.AsSpan().SequenceEqual(rsa.ExportParameters(false).Modulus))
                {
                    return;
                }
            }
            else
            {
                using var ec = certificate.GetECDsaPublicKey()!;
                using var key = ECDsa.Create();
                key.ImportFromPem(privateKeyPem);
                if (key.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(ec.ExportSubjectPublicKeyInfo()))
                {
                    return;
                }
            }
        }
        catch (Exception error) when (error is ArgumentException or CryptographicException)
        {
            throw Invalid("Unable to parse the private key. Provide the certificate's unencrypted PEM-encoded private key.");
        }

        throw Invalid("The private key does not match the certificate's public key.");
    }

    private static List<string> SubjectAlternativeNames(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(extension => extension.EnumerateDnsNames()).ToList();

    private static List<string> KeyUsages(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509KeyUsageExtension>().SelectMany(extension => KeyUsageNames.Where(usage => extension.KeyUsages.HasFlag(usage.Flag)).Select(usage => usage.Name)).ToList();

    private static List<string> ExtendedKeyUsages(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>()
            .SelectMany(extension => extension.EnhancedKeyUsages.Cast<Oid>())
            .Select(oid => ExtendedKeyUsageNames.GetValueOrDefault(oid.Value ?? "", "CUSTOM"))
            .Distinct(StringComparer.Ordinal)
            .ToList();

    private static string SignatureAlgorithm(string? oid) => oid switch
    {
        "1.2.840.113549.1.1.11" => "SHA256WITHRSA",
        "1.2.840.113549.1.1.12" => "SHA384WITHRSA",
        "1.2.840.113549.1.1.13" => "SHA512WITHRSA",
        "1.2.840.113549.1.1.5" => "SHA1WITHRSA",
        "1.2.840.10045.4.3.2" => "SHA256WITHECDSA",
        "1.2.840.10045.4.3.3" => "SHA384WITHECDSA",
        "1.2.840.10045.4.3.4" => "SHA512WITHECDSA",
        _ => oid ?? "UNKNOWN",
    };

    private static int CountBlocks(string pem, string label)
    {
        var count = 0;
        for (var index = pem.IndexOf($"-----BEGIN {label}-----", StringComparison.Ordinal); index >= 0; index = pem.IndexOf($"-----BEGIN {label}-----", index + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static AwsServiceException Invalid(string message) => new(400, "ValidationException", message);
}
