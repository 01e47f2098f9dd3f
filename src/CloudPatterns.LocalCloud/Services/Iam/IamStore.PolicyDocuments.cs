using System.Text.Json;
using CloudPatterns.LocalCloud.Identity;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Iam;

// IamStore: policy documents.
internal sealed partial class IamStore
{
    /// <summary>
    /// A trust policy must be JSON with statements that each have an Effect, a Principal and an Action, and no
    /// Resource; LocalCloud must also be able to evaluate it for AssumeRole (see <see cref="PolicyDocument"/>).
    /// </summary>
    public static void ValidateTrustPolicy(string document)
    {
        var statements = Statements(document, "This policy contains invalid Json");
        foreach (var statement in statements)
        {
            if (statement.TryGetProperty("Resource", out _) || statement.TryGetProperty("NotResource", out _))
            {
                throw Malformed(statement.TryGetProperty("Resource", out _) ? "Has prohibited field Resource" : "Has prohibited field NotResource");
            }

            if (!statement.TryGetProperty("Principal", out _) && !statement.TryGetProperty("NotPrincipal", out _))
            {
                throw Malformed("Missing required field Principal");
            }
        }

        if (PolicySize(document) > MaxTrustPolicySize)
        {
            throw new AwsServiceException(409, "LimitExceeded", $"Cannot exceed quota for ACLSizePerRole: {MaxTrustPolicySize}");
        }

        try
        {
            PolicyDocument.Parse(document);
        }
        catch (Exception error) when (error is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            throw Malformed(error.Message);
        }
    }

    /// <summary>A permission policy must be JSON whose statements each have an Effect, an Action and a Resource, and no Principal.</summary>
    public static void ValidatePermissionPolicy(string document)
    {
        foreach (var statement in Statements(document, "Syntax errors in policy."))
        {
            if (statement.TryGetProperty("Principal", out _) || statement.TryGetProperty("NotPrincipal", out _))
            {
                throw Malformed("Policy document should not specify a principal.");
            }

            if (!statement.TryGetProperty("Resource", out _) && !statement.TryGetProperty("NotResource", out _))
            {
                throw Malformed("Policy statement must contain resources.");
            }
        }
    }

    /// <summary>The statements of a policy, each with a valid Effect and an Action or NotAction.</summary>
    private static List<JsonElement> Statements(string document, string invalidJsonMessage)
    {
        JsonElement root;
        try
        {
            using var parsed = JsonDocument.Parse(document);
            root = parsed.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw Malformed(invalidJsonMessage);
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Statement", out var statementElement))
        {
            throw Malformed(root.ValueKind == JsonValueKind.Object ? "Missing required field Statement" : invalidJsonMessage);
        }

        var statements = statementElement.ValueKind == JsonValueKind.Array ? statementElement.EnumerateArray().ToList() : [statementElement];
        foreach (var statement in statements)
        {
            if (statement.ValueKind != JsonValueKind.Object)
            {
                throw Malformed(invalidJsonMessage);
            }

            if (!statement.TryGetProperty("Effect", out var effect))
            {
                throw Malformed("Missing required field Effect");
            }

            if (effect.ValueKind != JsonValueKind.String || effect.GetString() is not ("Allow" or "Deny"))
            {
                throw Malformed($"Invalid effect: {(effect.ValueKind == JsonValueKind.String ? effect.GetString() : effect.GetRawText())}");
            }

            if (!statement.TryGetProperty("Action", out _) && !statement.TryGetProperty("NotAction", out _))
            {
                throw Malformed("Missing required field Action");
            }
        }

        return statements;
    }

    /// <summary>IAM counts a policy's size without whitespace.</summary>
    private static int PolicySize(string document) => document.Count(character => !char.IsWhiteSpace(character));

    private static AwsServiceException Malformed(string message) => new(400, "MalformedPolicyDocument", message);
}
