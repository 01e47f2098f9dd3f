"""What `sam package` / `aws cloudformation package` do before a deployment, for bench/cfn-corpus.py: every property
that names a local file or folder (relative to the template's folder) is uploaded to S3 (a folder zipped, code always
zipped) and the template is rewritten to point at the upload. The packaged resource types and properties are the ones
the AWS CLI's and SAM CLI's documentation list (docs/localcloud-cloudformation-transforms.md, "Packaging").

The files come from a sources folder laid out as the corpus (<owner+repo>/<path>): public repositories' code is kept
outside the repository, as their templates are (tests/cfn-corpus/README.md).
"""
import hashlib
import io
import json
import pathlib
import re
import zipfile

# Resource type -> (property path, what the S3 location becomes, whether a single file is zipped too, whether a missing
# property means the template's own folder). The location is "uri" (s3://bucket/key), "url" (https URL of a template,
# packaged itself first) or a pair of names for {bucket, key}.
PACKAGED = {
    "AWS::Serverless::Function": [("CodeUri", "uri", True, True)],
    "AWS::Serverless::LayerVersion": [("ContentUri", "uri", True, True)],
    "AWS::Serverless::Api": [("DefinitionUri", "uri", False, False)],
    "AWS::Serverless::HttpApi": [("DefinitionUri", "uri", False, False)],
    "AWS::Serverless::StateMachine": [("DefinitionUri", ("Bucket", "Key"), False, False)],
    "AWS::Serverless::GraphQLApi": [("SchemaUri", "uri", False, False)],
    "AWS::Serverless::Application": [("Location", "url", False, False)],
    "AWS::CloudFormation::Stack": [("TemplateURL", "url", False, False)],
    "AWS::Lambda::Function": [("Code", ("S3Bucket", "S3Key"), True, False)],
    "AWS::Lambda::LayerVersion": [("Content", ("S3Bucket", "S3Key"), True, False)],
    "AWS::ApiGateway::RestApi": [("BodyS3Location", ("Bucket", "Key"), False, False)],
    "AWS::ApiGatewayV2::Api": [("BodyS3Location", ("Bucket", "Key"), False, False)],
    "AWS::StepFunctions::StateMachine": [("DefinitionS3Location", ("Bucket", "Key"), False, False)],
    "AWS::AppSync::GraphQLSchema": [("DefinitionS3Location", "uri", False, False)],
    "AWS::AppSync::Resolver": [("RequestMappingTemplateS3Location", "uri", False, False), ("ResponseMappingTemplateS3Location", "uri", False, False),
                               ("CodeS3Location", "uri", False, False)],
    "AWS::AppSync::FunctionConfiguration": [("RequestMappingTemplateS3Location", "uri", False, False),
                                            ("ResponseMappingTemplateS3Location", "uri", False, False), ("CodeS3Location", "uri", False, False)],
    "AWS::Glue::Job": [("Command.ScriptLocation", "uri", False, False)],
    "AWS::ElasticBeanstalk::ApplicationVersion": [("SourceBundle", ("S3Bucket", "S3Key"), True, False)],
}
# The directives `rain pkg` replaces before a deployment (https://github.com/aws-cloudformation/rain, docs/rain_pkg.md):
# Embed (the file's text), Include (the file read as YAML/JSON), S3 / S3Http (the file or folder uploaded; its S3 URI or
# HTTPS URL, or {BucketProperty: bucket, KeyProperty: key}). A template's loader reads `!Rain::Embed x` as
# {"Fn::Rain::Embed": "x"}. Env (the packager's environment) and Module (experimental) are left as written, so
# CloudFormation refuses them as it refuses an unknown function.
RAIN = re.compile(r"^(Fn::)?Rain::(Embed|Include|S3|S3Http)$")
# SAM GraphQLApi: the code of each resolver and function in their maps.
GRAPHQL_CODE = ("Resolvers", "Functions")
REMOTE = re.compile(r"^(s3://|https?://)", re.IGNORECASE)


def plain(template):
    """The decoded template as plain JSON values (YAML dates such as Version: 2012-10-17 as the text CloudFormation reads)."""
    return json.loads(json.dumps(template, default=lambda value: value.isoformat() if hasattr(value, "isoformat") else str(value)))


def local_path(value):
    """The local path a property names, or None (an S3 location, a URL, an intrinsic function, an object)."""
    return value if isinstance(value, str) and value.strip() and not REMOTE.match(value) else None


def existing(folder, relative):
    """The file or folder a local path names, or None. Its case is matched loosely, as on the case-insensitive file
    systems (macOS, Windows) such templates are written and packaged on: CodeUri: ProducerFunction/ finds
    producerFunction/."""
    path = folder
    for part in pathlib.PurePosixPath(relative.replace("\\", "/")).parts:
        candidate = (path / part)
        if not candidate.exists() and path.is_dir():
            candidate = next((entry for entry in sorted(path.iterdir()) if entry.name.lower() == part.lower()), candidate)
        path = candidate
    return path.resolve() if path.exists() else None


def zipped(path):
    """A folder (or one file) as a zip with fixed timestamps, so the same content gives the same S3 key."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        files = sorted(item for item in path.rglob("*") if item.is_file()) if path.is_dir() else [path]
        for item in files:
            info = zipfile.ZipInfo(str(item.relative_to(path if path.is_dir() else path.parent)), date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            archive.writestr(info, item.read_bytes())
    return buffer.getvalue()


class Packager:
    """Packages templates of one corpus into one region's artifacts bucket; upload(bucket, key, body) puts an object."""

    def __init__(self, corpus_folder, sources_folder, upload, bucket, region):
        self.corpus_folder = pathlib.Path(corpus_folder)
        self.sources_folder = pathlib.Path(sources_folder) if sources_folder else self.corpus_folder
        self.upload, self.bucket, self.region = upload, bucket, region

    def package(self, template_path, template):
        """The packaged template (a copy) and whether anything was uploaded."""
        template = plain(template)
        folder = self.folder_of(template_path)
        changed = self.package_globals(template, folder)
        for resource in (template.get("Resources") or {}).values():
            if not isinstance(resource, dict) or not isinstance(resource.get("Properties", {}), dict):
                continue
            properties = resource.setdefault("Properties", {}) if resource.get("Type") in PACKAGED else resource.get("Properties") or {}
            for name, form, force_zip, default_here in PACKAGED.get(resource.get("Type"), []):
                if default_here and not self.needs_default(resource.get("Type"), properties, template):
                    default_here = False
                changed |= self.package_property(properties, name, form, force_zip, default_here, folder)
            if resource.get("Type") == "AWS::Serverless::GraphQLApi":
                for group in GRAPHQL_CODE:
                    for item in (properties.get(group) or {}).values():
                        if isinstance(item, dict):
                            changed |= self.package_property(item, "CodeUri", "uri", False, False, folder)
        changed |= self.package_includes(template, folder)
        template, rain = self.package_rain(template, folder)
        return template, changed or rain

    def folder_of(self, template_path):
        """The template's folder in the sources (a template of the full tree itself, or the corpus copy's original)."""
        path = pathlib.Path(template_path).resolve()
        if path.is_relative_to(self.sources_folder.resolve()):
            return path.parent
        return self.sources_folder / path.relative_to(self.corpus_folder.resolve()).parent

    def needs_default(self, kind, properties, template):
        """Whether a missing code property means "this folder": not for inline code, images, or a Globals CodeUri."""
        if kind == "AWS::Serverless::Function":
            function_globals = ((template.get("Globals") or {}).get("Function") or {})
            return not any(key in properties or key in function_globals for key in ("InlineCode", "ImageUri", "CodeUri")) \
                and (properties.get("PackageType") or function_globals.get("PackageType")) != "Image"
        return True

    def package_globals(self, template, folder):
        function_globals = (template.get("Globals") or {}).get("Function")
        return self.package_property(function_globals, "CodeUri", "uri", True, False, folder) if isinstance(function_globals, dict) else False

    def package_property(self, properties, name, form, force_zip, default_here, folder):
        *parents, leaf = name.split(".")
        for parent in parents:
            properties = properties.get(parent) if isinstance(properties, dict) else None
        if not isinstance(properties, dict):
            return False
        value = properties.get(leaf, "." if default_here else None)
        relative = local_path(value)
        if relative is None:
            return False
        path = existing(folder, relative)
        if path is None or not path.resolve().is_relative_to(self.sources_folder.resolve()):
            return False  # not in the sources: left as written, as the package command would refuse it
        if form == "url":
            body = self.packaged_child(path)
            key = hashlib.md5(body).hexdigest() + ".template"
        else:
            body = zipped(path) if path.is_dir() or (force_zip and not zipfile.is_zipfile(path)) else path.read_bytes()
            key = hashlib.md5(body).hexdigest() + (".zip" if path.is_dir() or force_zip else path.suffix)
        self.upload(self.bucket, key, body)
        properties[leaf] = (f"s3://{self.bucket}/{key}" if form == "uri" else f"https://s3.{self.region}.amazonaws.com/{self.bucket}/{key}" if form == "url"
                            else {form[0]: self.bucket, form[1]: key})
        return True

    def packaged_child(self, path):
        """A nested template's text after its own packaging (the package command packages children first)."""
        import cfnlint.decode  # only needed for nested templates
        child = cfnlint.decode.decode(str(path))[0]
        if child is None:
            return path.read_bytes()
        relative = path.relative_to(self.sources_folder.resolve())
        template, _ = Packager(self.sources_folder, self.sources_folder, self.upload, self.bucket, self.region).package(self.sources_folder / relative, child)
        return json.dumps(template).encode()

    def package_includes(self, template, folder):
        """Fn::Transform AWS::Include with a local Location (anywhere in the template) gets the snippet's S3 URI."""
        changed = False
        stack = [template]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                transforms = node.get("Fn::Transform")
                for transform in transforms if isinstance(transforms, list) else [transforms]:
                    if isinstance(transform, dict) and transform.get("Name") == "AWS::Include":
                        changed |= self.package_property(transform.get("Parameters"), "Location", "uri", False, False, folder)
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
        top = template.get("Transform")
        for transform in top if isinstance(top, list) else [top]:
            if isinstance(transform, dict) and transform.get("Name") == "AWS::Include":
                changed |= self.package_property(transform.get("Parameters"), "Location", "uri", False, False, folder)
        return changed

    def package_rain(self, node, folder):
        """The node with its rain directives replaced (see RAIN), and whether any was; a directive whose file is not in
        the sources is left as written."""
        if isinstance(node, list):
            items = [self.package_rain(item, folder) for item in node]
            return [item for item, _ in items], any(changed for _, changed in items)
        if not isinstance(node, dict):
            return node, False
        if len(node) == 1 and RAIN.match(next(iter(node))):
            (key, argument), = node.items()
            replaced = self.rain_directive(RAIN.match(key).group(2), argument, folder)
            return (node, False) if replaced is None else (replaced, True)
        items = {key: self.package_rain(value, folder) for key, value in node.items()}
        return {key: value for key, (value, _) in items.items()}, any(changed for _, changed in items.values())

    def rain_directive(self, name, argument, folder):
        options = argument if isinstance(argument, dict) else {"Path": argument}
        path = existing(folder, options["Path"]) if local_path(options.get("Path")) else None
        if path is None or not path.resolve().is_relative_to(self.sources_folder.resolve()):
            return None
        if name == "Embed":
            return path.read_text(encoding="utf-8")
        if name == "Include":
            import cfnlint.decode  # the same loader as the corpus's templates (short-form tags)
            return plain(cfnlint.decode.decode(str(path))[0])
        body = zipped(path) if path.is_dir() or str(options.get("Zip", "")).lower() == "true" else path.read_bytes()
        key = hashlib.md5(body).hexdigest() + (".zip" if path.is_dir() or str(options.get("Zip", "")).lower() == "true" else path.suffix)
        self.upload(self.bucket, key, body)
        if options.get("BucketProperty") and options.get("KeyProperty"):
            return {options["BucketProperty"]: self.bucket, options["KeyProperty"]: key}
        http = name == "S3Http" or str(options.get("Format", "")).lower() == "http"
        return f"https://{self.bucket}.s3.{self.region}.amazonaws.com/{key}" if http else f"s3://{self.bucket}/{key}"
