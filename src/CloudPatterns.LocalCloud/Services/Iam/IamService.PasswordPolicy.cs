using System.Globalization;
using System.Xml.Linq;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Iam;

/// <summary>
/// The account password policy (docs/localcloud-iam.md): UpdateAccountPasswordPolicy sets every setting at once (an
/// omitted one takes its default: length 6, no requirement, no expiry), Get answers NoSuchEntity until a policy is
/// set and after DeleteAccountPasswordPolicy. LocalCloud has no IAM users, so the policy is kept and shown only.
/// </summary>
internal sealed partial class IamService
{
    private void AddPasswordPolicyOperations()
    {
        AddOperation("UpdateAccountPasswordPolicy", mutating: true, UpdateAccountPasswordPolicy);
        AddOperation("GetAccountPasswordPolicy", mutating: false, GetAccountPasswordPolicy);
        AddOperation("DeleteAccountPasswordPolicy", mutating: true, DeleteAccountPasswordPolicy);
    }

    private IEnumerable<XElement> UpdateAccountPasswordPolicy(AwsRequest request, QueryParameters parameters)
    {
        var violations = new List<string>();
        var length = ModelConstraints.CheckInteger(violations, "minimumPasswordLength", parameters.Get("MinimumPasswordLength"), 6, 128);
        var maxAge = ModelConstraints.CheckInteger(violations, "maxPasswordAge", parameters.Get("MaxPasswordAge"), 1, 1095);
        var reuse = ModelConstraints.CheckInteger(violations, "passwordReusePrevention", parameters.Get("PasswordReusePrevention"), 1, 24);
        bool Flag(string name)
        {
            var text = parameters.Get(name);
            if (text is null)
            {
                return false;
            }

            if (!bool.TryParse(text, out var flag))
            {
                violations.Add($"Value '{text}' at '{char.ToLowerInvariant(name[0])}{name[1..]}' failed to satisfy constraint: Member must be a boolean");
            }

            return flag;
        }

        var policy = new IamPasswordPolicy(
            length ?? IamPasswordPolicy.DefaultMinimumLength,
            Flag("RequireSymbols"),
            Flag("RequireNumbers"),
            Flag("RequireUppercaseCharacters"),
            Flag("RequireLowercaseCharacters"),
            Flag("AllowUsersToChangePassword"),
            maxAge,
            reuse,
            parameters.Get("HardExpiry") is null ? null : Flag("HardExpiry"));
        ModelConstraints.ThrowIfAny(violations);
        store.PutPasswordPolicy(request.AccountId, policy);
        return [];
    }

    private IEnumerable<XElement> GetAccountPasswordPolicy(AwsRequest request, QueryParameters parameters)
    {
        var policy = store.GetPasswordPolicy(request.AccountId);
        string Text(bool value) => value ? "true" : "false";
        return [Element("PasswordPolicy", new object?[]
        {
            Element("MinimumPasswordLength", policy.MinimumPasswordLength.ToString(CultureInfo.InvariantCulture)),
            Element("RequireSymbols", Text(policy.RequireSymbols)),
            Element("RequireNumbers", Text(policy.RequireNumbers)),
            Element("RequireUppercaseCharacters", Text(policy.RequireUppercaseCharacters)),
            Element("RequireLowercaseCharacters", Text(policy.RequireLowercaseCharacters)),
            Element("AllowUsersToChangePassword", Text(policy.AllowUsersToChangePassword)),
            Element("ExpirePasswords", Text(policy.MaxPasswordAge is not null)),
            policy.MaxPasswordAge is { } age ? Element("MaxPasswordAge", age.ToString(CultureInfo.InvariantCulture)) : null,
            policy.PasswordReusePrevention is { } reuse ? Element("PasswordReusePrevention", reuse.ToString(CultureInfo.InvariantCulture)) : null,
            policy.HardExpiry is { } hard ? Element("HardExpiry", Text(hard)) : null,
        })];
    }

    private IEnumerable<XElement> DeleteAccountPasswordPolicy(AwsRequest request, QueryParameters parameters)
    {
        store.DeletePasswordPolicy(request.AccountId);
        return [];
    }
}
