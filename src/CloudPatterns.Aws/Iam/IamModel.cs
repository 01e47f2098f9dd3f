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
