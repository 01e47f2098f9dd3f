using System.Text.Json;
using System.Text.Json.Nodes;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Kms;

/// <summary>
/// Sign, Verify and GetPublicKey on asymmetric SIGN_VERIFY keys, refused where KMS refuses them
/// (docs/kms-asymmetric-keys.md): a disabled key, a key of another usage, an algorithm the key spec does not
/// support, a RAW message over 4096 bytes or a digest of the wrong length, and a signature that does not verify.
/// </summary>
internal sealed partial class KmsService
{
    private const int MaxMessageBytes = 4096;

    private static readonly string[] AllSigningAlgorithms =
    [
        "RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512", "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384",
        "RSASSA_PKCS1_V1_5_SHA_512", "ECDSA_SHA_256", "ECDSA_SHA_384", "ECDSA_SHA_512", "SM2DSA", "ML_DSA_SHAKE_256",
    ];

    private void AddSigningOperations()
    {
        AddOperation("Sign", mutating: false, Sign);
        AddOperation("Verify", mutating: false, Verify);
        AddOperation("GetPublicKey", mutating: false, GetPublicKey);
    }

    private JsonObject Sign(AwsRequest request, JsonElement input)
    {
        var (key, algorithm, message, isDigest) = SigningRequest(request, input, "kms:Sign", "Sign");
        var signature = key.KeySpec.Sign(key.PrivateKey!, algorithm, message, isDigest);
        return new JsonObject { ["KeyId"] = key.Arn, ["Signature"] = Convert.ToBase64String(signature), ["SigningAlgorithm"] = algorithm };
    }

    private JsonObject Verify(AwsRequest request, JsonElement input)
    {
        var (key, algorithm, message, isDigest) = SigningRequest(request, input, "kms:Verify", "Verify");
        var signature = Blob(input, "Signature");
        if (!key.KeySpec.Verify(key.PrivateKey!, algorithm, message, isDigest, signature))
        {
            // KMS answers a signature that does not verify with this exception, never SignatureValid false.
            throw new AwsServiceException(400, "KMSInvalidSignatureException", "");
        }

        return new JsonObject { ["KeyId"] = key.Arn, ["SignatureValid"] = true, ["SigningAlgorithm"] = algorithm };
    }

    private JsonObject GetPublicKey(AwsRequest request, JsonElement input)
    {
        var key = Authorize(request, input, "kms:GetPublicKey");
        if (!key.Enabled)
        {
            throw new AwsServiceException(400, "DisabledException", $"{key.Arn} is disabled.");
        }

        if (key.PrivateKey is null)
        {
            throw new AwsServiceException(400, "UnsupportedOperationException", $"{key.Arn} key usage is {key.KeyUsage} and key spec is {key.KeySpec.Name}: only asymmetric KMS keys have a public key.");
        }

        var output = new JsonObject
        {
            ["KeyId"] = key.Arn,
            ["PublicKey"] = Convert.ToBase64String(key.KeySpec.PublicKey(key.PrivateKey)),
            ["CustomerMasterKeySpec"] = key.KeySpec.Name,
            ["KeySpec"] = key.KeySpec.Name,
            ["KeyUsage"] = key.KeyUsage,
        };
        AddAlgorithms(output, key);
        return output;
    }

    /// <summary>The key, algorithm and message of a Sign or Verify request, after every check KMS makes.</summary>
    private (KmsKey Key, string Algorithm, byte[] Message, bool IsDigest) SigningRequest(AwsRequest request, JsonElement input, string action, string operation)
    {
        var message = Blob(input, "Message");
        var algorithm = RequiredString(input, "SigningAlgorithm");
        if (!AllSigningAlgorithms.Contains(algorithm))
        {
            throw new AwsServiceException(400, "ValidationException",
                $"1 validation error detected: Value '{algorithm}' at 'signingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", AllSigningAlgorithms)}]");
        }

        var messageType = OptionalString(input, "MessageType") ?? "RAW";
        if (messageType is not ("RAW" or "DIGEST"))
        {
            throw new AwsServiceException(400, "ValidationException",
                $"1 validation error detected: Value '{messageType}' at 'messageType' failed to satisfy constraint: Member must satisfy enum value set: [RAW, DIGEST, EXTERNAL_MU]");
        }

        if (message.Length is 0 or > MaxMessageBytes)
        {
            throw new AwsServiceException(400, "ValidationException",
                $"1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length {(message.Length == 0 ? "greater than or equal to 1" : $"less than or equal to {MaxMessageBytes}")}");
        }

        var key = KmsStore.Usable(Authorize(request, input, action), KmsKeySpec.SignVerify, operation);
        if (!key.KeySpec.SigningAlgorithms.Contains(algorithm))
        {
            throw new AwsServiceException(400, "InvalidKeyUsageException", $"Algorithm {algorithm} is incompatible with key spec {key.KeySpec.Name}.");
        }

        return (key, algorithm, message, messageType == "DIGEST");
    }

    /// <summary>A blob member (base64 on the wire); a missing or non-base64 value is KMS's validation error.</summary>
    private static byte[] Blob(JsonElement input, string name)
    {
        var text = RequiredString(input, name);
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new AwsServiceException(400, "SerializationException", $"Could not decode '{name}': not base64.");
        }
    }
}
