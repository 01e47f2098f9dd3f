using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Tests.Support;

namespace CloudPatterns.LocalCloud.Tests.Acm;

/// <summary>ACM over SigV4: DNS validation on the simulated clock, the seeded certificates, import parsing and refusals, list filters.</summary>
public sealed class AcmTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task A_dns_validated_request_is_pending_until_the_sandbox_validates_it_a_minute_later()
    {
        var production = cloud.As("production");
        var arn = (await Acm(production, "RequestCertificate", new { DomainName = "dns.example.com", ValidationMethod = "DNS", SubjectAlternativeNames = new[] { "*.dns.example.com" } }))
            .Ok()["CertificateArn"]!.GetValue<string>();
        Assert.Matches("^arn:aws:acm:us-east-2:333333333333:certificate/[0-9a-f-]{36}$", arn);

        var pending = (await Acm(production, "DescribeCertificate", new { CertificateArn = arn })).Ok()["Certificate"]!;
        Assert.Equal("PENDING_VALIDATION", pending["Status"]!.GetValue<string>());
        Assert.Null(pending["NotAfter"]);
        var validations = pending["DomainValidationOptions"]!.AsArray();
        Assert.Equal(["dns.example.com", "*.dns.example.com"], validations.Select(item => item!["DomainName"]!.GetValue<string>()));
        var record = validations[1]!["ResourceRecord"]!;
        Assert.Equal("CNAME", record["Type"]!.GetValue<string>());
        Assert.Matches(@"^_[0-9a-f]{32}\.dns\.example\.com\.$", record["Name"]!.GetValue<string>());
        Assert.EndsWith(".acm-validations.aws.", record["Value"]!.GetValue<string>());
        Assert.Equal("RequestInProgressException", (await Acm(production, "GetCertificate", new { CertificateArn = arn })).ErrorType);

        await cloud.AdvanceClockAsync("PT61S");
        var issued = (await Acm(production, "DescribeCertificate", new { CertificateArn = arn })).Ok()["Certificate"]!;
        Assert.Equal("ISSUED", issued["Status"]!.GetValue<string>());
        Assert.Equal("SUCCESS", issued["DomainValidationOptions"]![0]!["ValidationStatus"]!.GetValue<string>());
        var body = (await Acm(production, "GetCertificate", new { CertificateArn = arn })).Ok();
        using var certificate = X509Certificate2.CreateFromPem(body["Certificate"]!.GetValue<string>());
        Assert.Equal("CN=dns.example.com", certificate.Subject);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", body["CertificateChain"]!.GetValue<string>());

        var elsewhere = await Acm(cloud.As("production", "us-west-2"), "DescribeCertificate", new { CertificateArn = arn });
        Assert.Equal(("ResourceNotFoundException", HttpStatusCode.BadRequest), (elsewhere.ErrorType, elsewhere.Status));
    }

    [Fact]
    public async Task The_seed_gives_each_workload_account_an_issued_certificate_in_every_region_and_no_other_account_one()
    {
        foreach (var region in cloud.Organization.Regions)
        {
            var listed = (await Acm(cloud.As("staging", region), "ListCertificates", new { CertificateStatuses = new[] { "ISSUED" } })).Ok()["CertificateSummaryList"]!.AsArray();
            var seeded = Assert.Single(listed, item => item!["DomainName"]!.GetValue<string>() == "staging.example.com")!;
            Assert.StartsWith($"arn:aws:acm:{region}:444444444444:certificate/", seeded["CertificateArn"]!.GetValue<string>());
            Assert.Equal("AMAZON_ISSUED", seeded["Type"]!.GetValue<string>());
        }

        Assert.Empty((await Acm(cloud.As("management"), "ListCertificates", new { })).Ok()["CertificateSummaryList"]!.AsArray());
    }

    [Fact]
    public async Task An_import_is_read_from_the_pem_and_listed_only_when_its_key_type_is_asked_for()
    {
        var logArchive = cloud.As("log-archive");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (certificatePem, keyPem) = SelfSigned(key, "api.example.org", ["api.example.org", "www.api.example.org"], DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2));
        var arn = (await Acm(logArchive, "ImportCertificate", new { Certificate = Base64(certificatePem), PrivateKey = Base64(keyPem), Tags = new[] { new { Key = "team", Value = "api" } } }))
            .Ok()["CertificateArn"]!.GetValue<string>();

        var detail = (await Acm(logArchive, "DescribeCertificate", new { CertificateArn = arn })).Ok()["Certificate"]!;
        Assert.Equal(("IMPORTED", "ISSUED", "EC_prime256v1", "api.example.org"),
            (detail["Type"]!.GetValue<string>(), detail["Status"]!.GetValue<string>(), detail["KeyAlgorithm"]!.GetValue<string>(), detail["DomainName"]!.GetValue<string>()));
        Assert.Equal(["api.example.org", "www.api.example.org"], detail["SubjectAlternativeNames"]!.AsArray().Select(name => name!.GetValue<string>()));
        Assert.Equal("SHA256WITHECDSA", detail["SignatureAlgorithm"]!.GetValue<string>());

        Assert.Empty((await Acm(logArchive, "ListCertificates", new { })).Ok()["CertificateSummaryList"]!.AsArray());
        var ec = (await Acm(logArchive, "ListCertificates", new { Includes = new { keyTypes = new[] { "EC_prime256v1" } } })).Ok()["CertificateSummaryList"]!.AsArray();
        Assert.Equal(arn, Assert.Single(ec)!["CertificateArn"]!.GetValue<string>());
        Assert.Equal("[{\"Key\":\"team\",\"Value\":\"api\"}]", (await Acm(logArchive, "ListTagsForCertificate", new { CertificateArn = arn })).Ok()["Tags"]!.ToJsonString());

        (await Acm(logArchive, "DeleteCertificate", new { CertificateArn = arn })).Ok();
        Assert.Equal("ResourceNotFoundException", (await Acm(logArchive, "DescribeCertificate", new { CertificateArn = arn })).ErrorType);
    }

    [Theory]
    [InlineData("expired", "is not valid now")]
    [InlineData("wrong-key", "does not match the certificate")]
    [InlineData("rsa-1536", "ACM supports RSA 1024, 2048, 3072 and 4096 bits")]
    [InlineData("two-certificates", "exactly one PEM-encoded certificate")]
    [InlineData("not-pem", "exactly one PEM-encoded certificate")]
    public async Task An_import_ACM_refuses_is_refused_with_the_reason(string problem, string reason)
    {
        using var key = RSA.Create(problem == "rsa-1536" ? 1536 : 2048);
        using var other = RSA.Create(2048);
        var now = DateTimeOffset.UtcNow;
        var (certificatePem, keyPem) = problem == "expired"
            ? SelfSigned(key, "old.example.com", [], now.AddYears(-3), now.AddYears(-2))
            : SelfSigned(key, "new.example.com", [], now.AddDays(-1), now.AddYears(1));
        var (certificate, privateKey) = problem switch
        {
            "wrong-key" => (certificatePem, other.ExportPkcs8PrivateKeyPem()),
            "two-certificates" => (certificatePem + certificatePem, keyPem),
            "not-pem" => ("MIIB not a certificate", keyPem),
            _ => (certificatePem, keyPem),
        };

        var answer = await Acm(cloud.As("dr"), "ImportCertificate", new { Certificate = Base64(certificate), PrivateKey = Base64(privateKey) });

        Assert.Equal("ValidationException", answer.ErrorType);
        Assert.Contains(reason, answer.Message, StringComparison.Ordinal);
        Assert.Empty((await Acm(cloud.As("dr"), "ListCertificates", new { Includes = new { keyTypes = new[] { "RSA_2048", "RSA_1024", "EC_prime256v1" } } })).Ok()["CertificateSummaryList"]!.AsArray());
    }

    [Fact]
    public async Task A_request_names_every_value_the_model_refuses()
    {
        var answer = await Acm(cloud.As("production"), "RequestCertificate", new { DomainName = "-bad-.example", ValidationMethod = "PHONE", KeyAlgorithm = "RSA_512" });

        Assert.Equal("ValidationException", answer.ErrorType);
        Assert.StartsWith("3 validation errors detected: Value '-bad-.example' at 'domainName'", answer.Message, StringComparison.Ordinal);
        Assert.Contains("Value 'PHONE' at 'validationMethod'", answer.Message, StringComparison.Ordinal);
        Assert.Contains("Value 'RSA_512' at 'keyAlgorithm'", answer.Message, StringComparison.Ordinal);
    }

    private static Task<AwsAnswer> Acm(AwsCaller caller, string operation, object body) => caller.JsonAsync("acm", $"CertificateManager.{operation}", body);

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static (string Certificate, string Key) SelfSigned(AsymmetricAlgorithm key, string commonName, string[] names, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var request = key is RSA rsa
            ? new CertificateRequest($"CN={commonName}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest($"CN={commonName}", (ECDsa)key, HashAlgorithmName.SHA256);
        if (names.Length > 0)
        {
            var builder = new SubjectAlternativeNameBuilder();
            foreach (var name in names)
            {
                builder.AddDnsName(name);
            }

            request.CertificateExtensions.Add(builder.Build());
        }

        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
