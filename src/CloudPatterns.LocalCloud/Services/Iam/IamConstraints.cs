using System.Globalization;
using CloudPatterns.LocalCloud.Protocols;

namespace CloudPatterns.LocalCloud.Services.Iam;

/// <summary>
/// The IAM model's constraints on names, paths and settings (botocore iam/2010-05-08), checked by the service for
/// every member of a request and by the store for what CloudFormation hands it directly.
/// </summary>
internal static class IamConstraints
{
    public const string EntityNamePattern = @"[\w+=,.@-]+";

    public const string EntityPathPattern = @"(\u002F)|(\u002F[\u0021-\u007E]+\u002F)";

    public const string PolicyPathPattern = @"((/[A-Za-z0-9\.,\+@=_-]+)*)/";

    public const string PathPrefixPattern = @"\u002F[\u0021-\u007F]*";

    public const string PolicyDocumentPattern = @"[\u0009\u000A\u000D\u0020-\u00FF]+";

    public const string DescriptionPattern = @"[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*";

    public const string PolicyVersionPattern = @"v[1-9][0-9]*(\.[A-Za-z0-9-]*)?";

    public const string TagPattern = @"[\p{L}\p{Z}\p{N}_.:/=+\-@]+";

    public const string TagValuePattern = @"[\p{L}\p{Z}\p{N}_.:/=+\-@]*";

    public static void RequireValidRole(string name, string path, string? description, int maxSessionDuration)
    {
        var violations = new List<string>();
        ModelConstraints.CheckString(violations, "roleName", name, 1, 64, EntityNamePattern);
        ModelConstraints.CheckString(violations, "path", path, 1, 512, EntityPathPattern);
        ModelConstraints.CheckString(violations, "description", description, 0, 1000, DescriptionPattern, required: false);
        ModelConstraints.CheckInteger(violations, "maxSessionDuration", maxSessionDuration.ToString(CultureInfo.InvariantCulture), 3600, 43200);
        ModelConstraints.ThrowIfAny(violations);
    }

    public static void RequireValidPolicy(string name, string path)
    {
        var violations = new List<string>();
        ModelConstraints.CheckString(violations, "policyName", name, 1, 128, EntityNamePattern);
        ModelConstraints.CheckString(violations, "path", path, 1, 512, PolicyPathPattern);
        ModelConstraints.ThrowIfAny(violations);
    }

    public static void RequireValidInstanceProfile(string name, string path)
    {
        var violations = new List<string>();
        ModelConstraints.CheckString(violations, "instanceProfileName", name, 1, 128, EntityNamePattern);
        ModelConstraints.CheckString(violations, "path", path, 1, 512, EntityPathPattern);
        ModelConstraints.ThrowIfAny(violations);
    }
}
