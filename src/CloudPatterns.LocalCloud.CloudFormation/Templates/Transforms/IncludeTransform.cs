using System.Text.Json.Nodes;

namespace CloudPatterns.LocalCloud.CloudFormation.Templates.Transforms;

/// <summary>AWS::Include: a template snippet read from S3 (s3://bucket/key or an https S3 address) at create/update.</summary>
internal static class IncludeTransform
{
    /// <summary>The snippet a definition ({Name: AWS::Include, Parameters: {Location}}) points to.</summary>
    public static JsonNode? Read(JsonNode? definition, TransformContext context, StaticResolver values)
    {
        var location = values.TryResolve(definition?["Parameters"]?["Location"]) is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        if (location is null)
        {
            throw TemplateTransforms.Failed(TemplateTransforms.Include, "The Location parameter must be a string that names an S3 object.");
        }
        var (bucket, key) = S3ObjectUrl.Parse(location, allowS3Scheme: true)
            ?? throw TemplateTransforms.Failed(TemplateTransforms.Include, $"The location parameter is not a valid S3 uri: {location}");
        var snippet = context.ReadObject(bucket, key)
            ?? throw TemplateTransforms.Failed(TemplateTransforms.Include, $"S3 object s3://{bucket}/{key} does not exist or is not readable.");
        try
        {
            return TemplateParser.ParseFragment(snippet);
        }
        catch (CloudFormationException)
        {
            throw TemplateTransforms.Failed(TemplateTransforms.Include, "The specified S3 object's content should be valid Yaml/JSON");
        }
    }

    /// <summary>Template-level AWS::Include: the snippet's sections join the template's (a snippet key wins).</summary>
    public static JsonObject Merge(JsonObject root, JsonNode? definition, TransformContext context)
    {
        if (Read(definition, context, new StaticResolver(root, context)) is not JsonObject snippet)
        {
            throw TemplateTransforms.Failed(TemplateTransforms.Include, "The snippet of a template-level AWS::Include must be an object of template sections.");
        }
        foreach (var (section, content) in snippet)
        {
            if (root[section] is JsonObject existing && content is JsonObject added)
            {
                foreach (var (key, value) in added)
                {
                    existing[key] = value?.DeepClone();
                }
            }
            else
            {
                root[section] = content?.DeepClone();
            }
        }
        return root;
    }
}
