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
