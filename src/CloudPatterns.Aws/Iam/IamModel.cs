using System;
using System.Collections.Generic;
using Amazon.Runtime;

// Shapes of IAM 2010-05-08 (botocore model iam/2010-05-08), members named as on the wire.
namespace CloudPatterns.Aws.Iam;

public sealed class GetRoleRequest : AmazonWebServiceRequest
{
    public string? RoleName { get; set; }
}

public sealed class GetRoleResponse : AmazonWebServiceResponse
{
    public Role? Role { get; set; }
}

public sealed class Role
{
    public string? Path { get; set; }

    public string? RoleName { get; set; }

    public string? RoleId { get; set; }

    public string? Arn { get; set; }

    public DateTime? CreateDate { get; set; }

    /// <summary>The trust policy as IAM returns it: URL-encoded JSON (see <see cref="TrustPolicyDocument"/>).</summary>
    public string? AssumeRolePolicyDocument { get; set; }

    public string? Description { get; set; }

    public int? MaxSessionDuration { get; set; }

    /// <summary>The trust policy's JSON, decoded from the URL encoding IAM sends it in.</summary>
    public string? TrustPolicyDocument => AssumeRolePolicyDocument is null ? null : Uri.UnescapeDataString(AssumeRolePolicyDocument);
}

public sealed class CreateRoleRequest : AmazonWebServiceRequest
{
    public string? RoleName { get; set; }

    public string? AssumeRolePolicyDocument { get; set; }

    public string? Description { get; set; }
}

public sealed class CreateRoleResponse : AmazonWebServiceResponse
{
    public Role? Role { get; set; }
}

public sealed class UpdateAssumeRolePolicyRequest : AmazonWebServiceRequest
{
    public string? RoleName { get; set; }

    public string? PolicyDocument { get; set; }
}

public sealed class UpdateAssumeRolePolicyResponse : AmazonWebServiceResponse
{
}

public sealed class GetRolePolicyRequest : AmazonWebServiceRequest
{
    public string? RoleName { get; set; }

    public string? PolicyName { get; set; }
}

public sealed class GetRolePolicyResponse : AmazonWebServiceResponse
{
    public string? RoleName { get; set; }

    public string? PolicyName { get; set; }

    /// <summary>The policy as IAM returns it: URL-encoded JSON.</summary>
    public string? PolicyDocument { get; set; }
}

public sealed class PutRolePolicyRequest : AmazonWebServiceRequest
{
    public string? RoleName { get; set; }

    public string? PolicyName { get; set; }

    public string? PolicyDocument { get; set; }
}

public sealed class PutRolePolicyResponse : AmazonWebServiceResponse
{
}

public sealed class SimulatePrincipalPolicyRequest : AmazonWebServiceRequest
{
    public string? PolicySourceArn { get; set; }

    public List<string> ActionNames { get; set; } = new List<string>();

    public List<string>? ResourceArns { get; set; }

    /// <summary>A resource-based policy weighed with each resource (a KMS key policy, a bucket policy).</summary>
    public string? ResourcePolicy { get; set; }

    public List<ContextEntry>? ContextEntries { get; set; }
}

/// <summary>A condition key's value for the simulation, e.g. iam:PassedToService.</summary>
public sealed class ContextEntry
{
    public string? ContextKeyName { get; set; }

    public List<string> ContextKeyValues { get; set; } = new List<string>();

    /// <summary>string, stringList, numeric, boolean, date, ip, binary (and their List forms).</summary>
    public string? ContextKeyType { get; set; }
}

public sealed class SimulatePrincipalPolicyResponse : AmazonWebServiceResponse
{
    public List<EvaluationResult> EvaluationResults { get; set; } = new List<EvaluationResult>();

    public bool? IsTruncated { get; set; }
}

public sealed class EvaluationResult
{
    public string? EvalActionName { get; set; }

    public string? EvalResourceName { get; set; }

    /// <summary>allowed, explicitDeny or implicitDeny.</summary>
    public string? EvalDecision { get; set; }

    public List<MatchedStatement> MatchedStatements { get; set; } = new List<MatchedStatement>();

    public OrganizationsDecisionDetail? OrganizationsDecisionDetail { get; set; }
}

/// <summary>The model's Statement shape: which policy decided.</summary>
public sealed class MatchedStatement
{
    public string? SourcePolicyId { get; set; }

    public string? SourcePolicyType { get; set; }
}

public sealed class OrganizationsDecisionDetail
{
    public bool? AllowedByOrganizations { get; set; }
}
