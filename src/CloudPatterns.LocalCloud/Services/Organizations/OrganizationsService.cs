using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Organizations;

/// <summary>
/// AWS Organizations (JSON 1.1, AWSOrganizationsV20161128): the seeded organization, read-only. Everything but
/// DescribeOrganization is for the management account only, as in AWS.
/// </summary>
internal sealed partial class OrganizationsService : JsonService
{
    private const int MaxPageSize = 20;
    private readonly SeedOrganization organization;
    private readonly OrganizationTree tree;
    private readonly OrganizationServiceAccess serviceAccess;
    private readonly OrganizationPolicyStore policies;

    public OrganizationsService(SeedOrganization organization, OrganizationTree tree, OrganizationServiceAccess serviceAccess, OrganizationPolicyStore policies)
        : base("organizations", "AWSOrganizationsV20161128", "TooManyRequestsException")
    {
        this.organization = organization;
        this.tree = tree;
        this.serviceAccess = serviceAccess;
        this.policies = policies;

        AddOperation("DescribeOrganization", mutating: false, (_, _) => new JsonObject { ["Organization"] = DescribeOrganization() });
        AddOperation("ListRoots", mutating: false, ManagementOnly(input => Page("ListRoots", "Roots", input, [organization.RootId], _ => Root())));
        AddOperation("ListOrganizationalUnitsForParent", mutating: false, ManagementOnly(input =>
            Page("ListOrganizationalUnitsForParent", "OrganizationalUnits", input, UnitsUnder(RequireParent(input)).ToList(), Unit)));
        AddOperation("ListAccounts", mutating: false, ManagementOnly(input =>
            Page("ListAccounts", "Accounts", input, organization.Accounts, Account)));
        AddOperation("ListAccountsForParent", mutating: false, ManagementOnly(input =>
            Page("ListAccountsForParent", "Accounts", input, AccountsUnder(RequireParent(input)).ToList(), Account)));
        AddOperation("DescribeAccount", mutating: false, ManagementOnly(input => new JsonObject { ["Account"] = Account(RequireAccount(input)) }));
        AddOperation("ListParents", mutating: false, ManagementOnly(ListParents));
        AddOperation("ListChildren", mutating: false, ManagementOnly(ListChildren));
        AddOperation("ListTagsForResource", mutating: false, ManagementOnly(ListTagsForResource));
        AddPolicyOperations();
        AddMembershipOperations();
    }

    private Func<AwsRequest, JsonElement, JsonObject> ManagementOnly(Func<JsonElement, JsonObject> handler) => (request, input) =>
        request.AccountId == organization.ManagementAccountId
            ? handler(input)
            : throw Error("AccessDeniedException", "You don't have permissions to access this resource.");

    private JsonObject DescribeOrganization() => new()
    {
        ["Id"] = organization.Id,
        ["Arn"] = organization.Arn,
        ["FeatureSet"] = "ALL",
        ["MasterAccountArn"] = AccountArn(organization.ManagementAccountId),
        ["MasterAccountId"] = organization.ManagementAccountId,
        ["MasterAccountEmail"] = organization.ManagementAccount.Email,
        ["AvailablePolicyTypes"] = PolicyTypes(),
    };

    private JsonObject Root() => new()
    {
        ["Id"] = organization.RootId,
        ["Arn"] = organization.RootArn,
        ["Name"] = "Root",
        ["PolicyTypes"] = PolicyTypes(),
    };

    private JsonArray PolicyTypes() => new([.. policies.EnabledTypes.Select(type => (JsonNode)new JsonObject { ["Type"] = type, ["Status"] = "ENABLED" })]);

    private JsonObject Unit(SeedOrganizationalUnit unit) => new()
    {
        ["Id"] = unit.Id,
        ["Arn"] = $"arn:aws:organizations::{organization.ManagementAccountId}:ou/{organization.Id}/{unit.Id}",
        ["Name"] = unit.Name,
        ["Path"] = PathTo(unit.Id) + "/",
    };

    private JsonObject Account(SeedAccount account) => new()
    {
        ["Id"] = account.Id,
        ["Arn"] = AccountArn(account.Id),
        ["Email"] = account.Email,
        ["Name"] = account.Name,
        ["Status"] = "ACTIVE",
        ["State"] = "ACTIVE",
        ["Paths"] = new JsonArray(JsonValue.Create($"{PathTo(tree.ParentOfAccount(account.Id)!)}/{account.Id}/")),
        ["JoinedMethod"] = account.IsManagementAccount ? "INVITED" : "CREATED",
        ["JoinedTimestamp"] = ResponseBodies.EpochSeconds(account.Joined),
    };

    private string AccountArn(string accountId) => $"arn:aws:organizations::{organization.ManagementAccountId}:account/{organization.Id}/{accountId}";

    /// <summary>The organization path of a root or OU, e.g. o-x/r-x/ou-x-y (without the trailing slash).</summary>
    private string PathTo(string parentId) => parentId == organization.RootId
        ? $"{organization.Id}/{organization.RootId}"
        : $"{PathTo(tree.ParentOfUnit(parentId)!)}/{parentId}";

    private IEnumerable<SeedOrganizationalUnit> UnitsUnder(string parentId) =>
        organization.OrganizationalUnits.Where(unit => unit.ParentId == parentId);

    private IEnumerable<SeedAccount> AccountsUnder(string parentId) => tree.AccountsUnder(parentId);

    private JsonObject ListParents(JsonElement input)
    {
        var childId = RequiredString(input, "ChildId", ChildIdPattern());
        var parentId = tree.ParentOfAccount(childId) ?? tree.ParentOfUnit(childId)
            ?? throw Error("ChildNotFoundException", "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.");
        return Page("ListParents", "Parents", input, [parentId], id => new JsonObject
        {
            ["Id"] = id,
            ["Type"] = id == organization.RootId ? "ROOT" : "ORGANIZATIONAL_UNIT",
        });
    }

    private JsonObject ListChildren(JsonElement input)
    {
        var parentId = RequireParent(input);
        var childType = RequiredString(input, "ChildType", ChildTypePattern(), "INVALID_ENUM");
        var children = childType == "ACCOUNT"
            ? AccountsUnder(parentId).Select(account => account.Id)
            : UnitsUnder(parentId).Select(unit => unit.Id);
        return Page("ListChildren", "Children", input, children.ToList(), id => new JsonObject { ["Id"] = id, ["Type"] = childType });
    }

    private JsonObject ListTagsForResource(JsonElement input)
    {
        var resourceId = RequiredString(input, "ResourceId", ResourceIdPattern());
        var tags = organization.FindAccount(resourceId)?.Tags
            ?? organization.OrganizationalUnits.FirstOrDefault(unit => unit.Id == resourceId)?.Tags
            ?? (resourceId == organization.RootId
                ? new Dictionary<string, string>()
                : throw Error("TargetNotFoundException", "We can't find a root, OU, account, or policy with the TargetId that you specified."));
        return Page("ListTagsForResource", "Tags", input, tags.ToList(), tag => new JsonObject { ["Key"] = tag.Key, ["Value"] = tag.Value });
    }

    private string RequireParent(JsonElement input)
    {
        var parentId = RequiredString(input, "ParentId", ParentIdPattern());
        return tree.IsParent(parentId)
            ? parentId
            : throw Error("ParentNotFoundException", "We can't find a root or OU with the ParentId that you specified.");
    }

    private SeedAccount RequireAccount(JsonElement input) =>
        organization.FindAccount(RequiredString(input, "AccountId", AccountIdPattern()))
        ?? throw Error("AccountNotFoundException", "You specified an account that doesn't exist.");

    /// <summary>
    /// One page of a list. NextToken is opaque to clients; it carries the operation and the offset so a token from
    /// another operation or a made-up one is refused as AWS refuses it.
    /// </summary>
    private static JsonObject Page<T>(string operation, string member, JsonElement input, IReadOnlyList<T> items, Func<T, JsonObject> render)
    {
        var pageSize = MaxPageSize;
        if (input.TryGetProperty("MaxResults", out var maxResults))
        {
            pageSize = maxResults.TryGetInt32(out var requested) ? requested : 0;
            if (pageSize < 1)
            {
                throw InvalidInput("MIN_VALUE_EXCEEDED", "You provided a numeric parameter that has a smaller value than allowed.");
            }

            if (pageSize > MaxPageSize)
            {
                throw InvalidInput("MAX_VALUE_EXCEEDED", "You provided a numeric parameter that has a larger value than allowed.");
            }
        }

        var offset = 0;
        if (input.TryGetProperty("NextToken", out var token) && token.ValueKind != JsonValueKind.Null)
        {
            // The model documents INVALID_PAGINATION_TOKEN for tokens that did not come from a previous response.
            if (!PageTokens.TryRead(operation, token.GetString(), out offset))
            {
                throw InvalidInput("INVALID_PAGINATION_TOKEN", "The specified pagination token isn't valid. Get the value for the NextToken parameter from the response to a previous call of the operation.");
            }
        }

        var page = new JsonArray(items.Skip(offset).Take(pageSize).Select(item => (JsonNode)render(item)).ToArray());
        var result = new JsonObject { [member] = page };
        if (offset + pageSize < items.Count)
        {
            result["NextToken"] = PageTokens.Create(operation, offset + pageSize);
        }

        return result;
    }

    private static string RequiredString(JsonElement input, string member, Regex pattern, string invalidReason = "INVALID_PATTERN")
    {
        if (!input.TryGetProperty(member, out var value) || value.ValueKind != JsonValueKind.String)
        {
            throw InvalidInput("INPUT_REQUIRED", $"You must include a value for all required parameters: {member}.");
        }

        var text = value.GetString()!;
        return pattern.IsMatch(text)
            ? text
            : throw InvalidInput(invalidReason, $"You provided a value that isn't valid for {member}.");
    }

    private static AwsServiceException InvalidInput(string reason, string message) =>
        new(400, "InvalidInputException", message) { JsonMessageMember = "Message", Fields = [new("Reason", reason)] };

    private static AwsServiceException Error(string code, string message) => OrganizationPolicyStore.Error(code, message);

    [GeneratedRegex(@"^[0-9]{12}$")]
    private static partial Regex AccountIdPattern();

    [GeneratedRegex(@"^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$")]
    private static partial Regex ParentIdPattern();

    [GeneratedRegex(@"^([0-9]{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$")]
    private static partial Regex ChildIdPattern();

    [GeneratedRegex(@"^(ACCOUNT|ORGANIZATIONAL_UNIT)$")]
    private static partial Regex ChildTypePattern();

    [GeneratedRegex(@"^(r-[0-9a-z]{4,32}|[0-9]{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$")]
    private static partial Regex ResourceIdPattern();
}
