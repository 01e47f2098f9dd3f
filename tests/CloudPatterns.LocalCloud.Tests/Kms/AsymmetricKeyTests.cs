using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CloudPatterns.LocalCloud.Tests.Support;

namespace CloudPatterns.LocalCloud.Tests.Kms;

/// <summary>
/// Asymmetric SIGN_VERIFY keys as KMS makes them (docs/kms-asymmetric-keys.md): signatures that verify in KMS and
/// offline with the public key, through boto3 and both AWS CLIs, and KMS's refusals.
/// </summary>
public sealed class AsymmetricKeyTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private static readonly string Message = Convert.ToBase64String(Encoding.UTF8.GetBytes("evidence record"));
    private readonly AwsCaller production = cloud.As("production");

    [Theory]
    [InlineData("boto3")]
    [InlineData("cli1")]
    [InlineData("cli2")]
    public async Task Signatures_verify_in_KMS_and_offline_with_the_public_key_through_each_client(string client)
    {
        var account = cloud.Organization.Accounts.Single(candidate => candidate.Name == "production");
        // The AWS CLI v2 is the Debian package's, importable only by /usr/bin/python3; the script drives each CLI in-process.
        // RSA 3072/4096 key generation is slow on a busy machine: a generous limit, not the default minute.
        var python = client == "cli2" ? "/usr/bin/python3" : await AwsClients.Python.Value;
        var script = Path.Combine(AppContext.BaseDirectory, "python", "kms_signing.py");
        var results = (await AwsClients.RunAsync(python, [script, client], AwsClients.Environment(cloud.Server, AwsCredentials.Of(account.Admin)), TimeSpan.FromMinutes(10))).Json;

        Assert.Equal(client == "boto3" ? 10 : 4, results.GetArrayLength());
        foreach (var result in results.EnumerateArray())
        {
            Assert.False(result.TryGetProperty("error", out var error), $"{client}: {result}: {error}");
            Assert.True(result.GetProperty("kmsValid").GetBoolean(), result.ToString());
            Assert.True(result.GetProperty("offlineValid").GetBoolean(), result.ToString());
            Assert.Equal("KMSInvalidSignatureException", result.GetProperty("tamperedCode").GetString());
            Assert.Equal("SIGN_VERIFY", result.GetProperty("keyUsage").GetString());
            Assert.Contains(result.GetProperty("algorithm").GetString(), result.GetProperty("signingAlgorithms").EnumerateArray().Select(a => a.GetString()));
        }
    }

    [Fact]
    public async Task A_signing_key_describes_itself_and_its_public_key_verifies_in_dotnet()
    {
        var keyId = await CreateAsync("ECC_NIST_P256", "SIGN_VERIFY");
        var metadata = (await production.JsonAsync("kms", "TrentService.DescribeKey", new { KeyId = keyId })).Ok()["KeyMetadata"]!;
        Assert.Equal(("ECC_NIST_P256", "SIGN_VERIFY"), (metadata["KeySpec"]!.GetValue<string>(), metadata["KeyUsage"]!.GetValue<string>()));
        Assert.Equal(["ECDSA_SHA_256"], metadata["SigningAlgorithms"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Null(metadata["EncryptionAlgorithms"]);

        var signed = (await production.JsonAsync("kms", "TrentService.Sign", new { KeyId = keyId, Message, SigningAlgorithm = "ECDSA_SHA_256" })).Ok();
        var publicKey = (await production.JsonAsync("kms", "TrentService.GetPublicKey", new { KeyId = keyId })).Ok();
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKey["PublicKey"]!.GetValue<string>()), out _);
        var signature = Convert.FromBase64String(signed["Signature"]!.GetValue<string>());

        Assert.True(ecdsa.VerifyData(Convert.FromBase64String(Message), signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Assert.False(ecdsa.VerifyData(Encoding.UTF8.GetBytes("another record"), signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    [Fact]
    public async Task Sign_on_an_encryption_key_is_InvalidKeyUsageException_in_KMS_words()
    {
        var keyId = await CreateAsync(null, null);
        var arn = $"arn:aws:kms:us-east-2:{production.Account.Id}:key/{keyId}";

        var answer = await production.JsonAsync("kms", "TrentService.Sign", new { KeyId = keyId, Message, SigningAlgorithm = "ECDSA_SHA_256" });

        Assert.Equal(("InvalidKeyUsageException", $"{arn} key usage is ENCRYPT_DECRYPT which is not valid for Sign."), (answer.ErrorType, answer.Message));
        var publicKey = await production.JsonAsync("kms", "TrentService.GetPublicKey", new { KeyId = keyId });
        Assert.Equal("UnsupportedOperationException", publicKey.ErrorType);
    }

    [Fact]
    public async Task An_algorithm_the_key_spec_does_not_support_is_refused_naming_both()
    {
        var keyId = await CreateAsync("ECC_NIST_P384", "SIGN_VERIFY");

        var wrongFamily = await production.JsonAsync("kms", "TrentService.Sign", new { KeyId = keyId, Message, SigningAlgorithm = "RSASSA_PSS_SHA_256" });
        var wrongHash = await production.JsonAsync("kms", "TrentService.Sign", new { KeyId = keyId, Message, SigningAlgorithm = "ECDSA_SHA_256" });
        var unknown = await production.JsonAsync("kms", "TrentService.Sign", new { KeyId = keyId, Message, SigningAlgorithm = "ECDSA_SHA_1" });

        Assert.Equal(("InvalidKeyUsageException", "Algorithm RSASSA_PSS_SHA_256 is incompatible with key spec ECC_NIST_P384."), (wrongFamily.ErrorType, wrongFamily.Message));
        Assert.Equal(("InvalidKeyUsageException", "Algorithm ECDSA_SHA_256 is incompatible with key spec ECC_NIST_P384."), (wrongHash.ErrorType, wrongHash.Message));
        Assert.Equal("ValidationException", unknown.ErrorType);
        Assert.Contains("'ECDSA_SHA_1' at 'signingAlgorithm'", unknown.Message);
    }

    [Fact]
    public async Task A_disabled_key_signs_nothing_until_enabled_again()
    {
        var keyId = await CreateAsync("RSA_2048", "SIGN_VERIFY");
        (await production.JsonAsync("kms", "TrentService.DisableKey", new { KeyId = keyId })).Ok();

        var refused = await production.JsonAsync("kms", "TrentService.Sign", new { KeyId = keyId, Message, SigningAlgorithm = "RSASSA_PKCS1_V1_5_SHA_256" });
        var state = (await production.JsonAsync("kms", "TrentService.DescribeKey", new { KeyId = keyId })).Ok()["KeyMetadata"]!["KeyState"]!.GetValue<string>();
        (await production.JsonAsync("kms", "TrentService.EnableKey", new { KeyId = keyId })).Ok();
        var signed = await production.JsonAsync("kms", "TrentService.Sign", new { KeyId = keyId, Message, SigningAlgorithm = "RSASSA_PKCS1_V1_5_SHA_256" });

        Assert.Equal(("DisabledException", $"arn:aws:kms:us-east-2:{production.Account.Id}:key/{keyId} is disabled."), (refused.ErrorType, refused.Message));
        Assert.Equal("Disabled", state);
        signed.Ok();
    }

    [Theory]
    [InlineData("ECC_NIST_P256", "ENCRYPT_DECRYPT")]
    [InlineData("SYMMETRIC_DEFAULT", "SIGN_VERIFY")]
    [InlineData("RSA_1024", "SIGN_VERIFY")]
    public async Task CreateKey_refuses_a_spec_and_usage_KMS_does_not_pair(string keySpec, string keyUsage)
    {
        var answer = await production.JsonAsync("kms", "TrentService.CreateKey", new { KeySpec = keySpec, KeyUsage = keyUsage });

        Assert.Equal("ValidationException", answer.ErrorType);
        Assert.Contains(keySpec, answer.Message);
    }

    [Fact]
    public async Task A_digest_of_the_wrong_length_and_an_oversized_message_are_refused()
    {
        var keyId = await CreateAsync("ECC_NIST_P256", "SIGN_VERIFY");

        var shortDigest = await production.JsonAsync("kms", "TrentService.Sign", new { KeyId = keyId, Message, MessageType = "DIGEST", SigningAlgorithm = "ECDSA_SHA_256" });
        var oversized = await production.JsonAsync("kms", "TrentService.Sign", new { KeyId = keyId, Message = Convert.ToBase64String(new byte[4097]), SigningAlgorithm = "ECDSA_SHA_256" });

        Assert.Equal(("ValidationException", "Digest is invalid length for algorithm ECDSA_SHA_256."), (shortDigest.ErrorType, shortDigest.Message));
        Assert.Equal("ValidationException", oversized.ErrorType);
        Assert.Contains("4096", oversized.Message);
    }

    [Fact]
    public async Task A_key_policy_that_grants_Sign_to_one_role_refuses_it_to_the_account_admin()
    {
        var policy = JsonSerializer.Serialize(new
        {
            Version = "2012-10-17",
            Statement = new object[]
            {
                new { Effect = "Allow", Principal = new { AWS = $"arn:aws:iam::{production.Account.Id}:root" }, Action = new[] { "kms:DescribeKey", "kms:GetPublicKey", "kms:Verify" }, Resource = "*" },
                new { Effect = "Allow", Principal = new { AWS = $"arn:aws:iam::{production.Account.Id}:role/EvidenceWriter" }, Action = "kms:Sign", Resource = "*" },
            },
        });
        var keyId = (await production.JsonAsync("kms", "TrentService.CreateKey", new { KeySpec = "ECC_NIST_P256", KeyUsage = "SIGN_VERIFY", Policy = policy })).Ok()["KeyMetadata"]!["KeyId"]!.GetValue<string>();

        var sign = await production.JsonAsync("kms", "TrentService.Sign", new { KeyId = keyId, Message, SigningAlgorithm = "ECDSA_SHA_256" });
        var publicKey = await production.JsonAsync("kms", "TrentService.GetPublicKey", new { KeyId = keyId });

        Assert.Equal("AccessDeniedException", sign.ErrorType);
        Assert.Contains("kms:Sign", sign.Message);
        publicKey.Ok();
    }

    private async Task<string> CreateAsync(string? keySpec, string? keyUsage)
    {
        object body = keySpec is null ? new { Description = "test" } : new { KeySpec = keySpec, KeyUsage = keyUsage };
        return (await production.JsonAsync("kms", "TrentService.CreateKey", body)).Ok()["KeyMetadata"]!["KeyId"]!.GetValue<string>();
    }
}
