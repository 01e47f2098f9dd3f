"""What a template's user puts in place before CreateStack, supplied by bench/cfn-corpus.py (tests/cfn-corpus/README.md,
"Prerequisites the benchmark supplies"):

- SSM parameters: a parameter of type AWS::SSM::Parameter::Value<...> whose default names a parameter that does not
  exist, and a {{resolve:ssm:NAME}} dynamic reference to one, get it with a plausible value (from the parameter's and
  the SSM name's words), as the user's earlier prerequisite stack would have written it. Deleted after the template.
  A reference whose name a Fn::Sub builds from parameters, mappings or pseudo parameters
  ("{{resolve:ssm:/${Stage}/URL}}" with Stage from a mapping) is read with the values the benchmark passes.
- Lambda code: an AWS::Lambda::Function's Code (or an AWS::Lambda::LayerVersion's Content) in S3Bucket/S3Key whose
  object is missing gets a zip of the repository's own source folder, as the repository's packaging script builds
  and uploads it: the folder that holds the handler's file, nearest the template (the source trees are in the
  --sources folder, one <owner>+<repo>/ per repository, never in this repository).
- Log groups: /aws/lambda/<function> groups that Lambda made for the template's functions (not stack resources, so
  deleting the stack leaves them, as in AWS) are deleted with the template's stacks, so the next template starts clean.
"""
import io
import os
import pathlib
import re
import zipfile

import boto3
import botocore.exceptions

SSM_TYPE = re.compile(r"AWS::SSM::Parameter::Value<(?P<kind>.+)>")
# SSM refuses a name whose first segment starts with "aws" or "ssm" (docs/localcloud-ssm.md, "Names").
RESERVED_SSM_NAME = re.compile(r"/?(aws|ssm)", re.IGNORECASE)
SSM_REFERENCE = re.compile(r"\{\{resolve:ssm:(?P<name>[a-zA-Z0-9_.\-/]+?)(?::\d+)?\}\}")
# Lambda runtimes -> the file extensions of a handler's module (Handler "app.lambda_handler" is app.py for Python).
HANDLER_EXTENSIONS = {"python": [".py"], "nodejs": [".js", ".mjs", ".cjs"]}


def organization_facts(config, region):
    """The sandbox organization's ids (the names {OrganizationId}, {RootId}, {ManagementAccountId},
    {AuditAccountId}, {LogArchiveAccountId} of the benchmark's name hints): the organization's member accounts in
    turn stand for the shared accounts a landing zone names (audit, log archive)."""
    organizations = boto3.client("organizations", region_name=region, config=config)
    try:
        organization = organizations.describe_organization()["Organization"]
        root = organizations.list_roots()["Roots"][0]["Id"]
        accounts = [account["Id"] for account in organizations.list_accounts()["Accounts"] if account["Id"] != organization["MasterAccountId"]]
    except (botocore.exceptions.ClientError, IndexError, KeyError):
        # No organization to read: values of the right forms, so the hints still format.
        return {"OrganizationId": "o-0000000000", "RootId": "r-0000", "ManagementAccountId": "111111111111",
                "AuditAccountId": "222222222222", "LogArchiveAccountId": "333333333333"}
    members = accounts + [organization["MasterAccountId"]] * 2
    return {"OrganizationId": organization["Id"], "RootId": root, "ManagementAccountId": organization["MasterAccountId"],
            "AuditAccountId": members[0], "LogArchiveAccountId": members[1] if len(accounts) > 1 else members[0]}


def kms_key_facts(config, region):
    """{KmsKey}: the ARN of a customer managed KMS key of the sandbox account in the region (made once, with KMS's
    default key policy), which parameters naming a key get: a template's user passes a key that exists, and services
    refuse one that does not (EFS: "KmsKeyId ... does not name a KMS key")."""
    kms = boto3.client("kms", region_name=region, config=config)
    alias = "alias/corpus-key"
    try:
        return {"KmsKey": kms.describe_key(KeyId=alias)["KeyMetadata"]["Arn"]}
    except botocore.exceptions.ClientError:
        arn = kms.create_key(Description="corpus benchmark key")["KeyMetadata"]["Arn"]
        kms.create_alias(AliasName=alias, TargetKeyId=arn)
        return {"KmsKey": arn}


def missing_ssm_parameters(template, body, built=()):
    """(SSM name, template parameter name or None, list or not, the type of one item) for every SSM parameter the
    template reads: the defaults of its SSM-typed parameters and its {{resolve:ssm:...}} references, literal in the
    body or built (the texts of the Fn::Sub that make them, as the values passed render them)."""
    for key, definition in ((template or {}).get("Parameters") or {}).items():
        kind = SSM_TYPE.fullmatch(str((definition or {}).get("Type", "")))
        default = (definition or {}).get("Default")
        if kind and isinstance(default, str) and default:
            kind = kind.group("kind")
            listed = kind.startswith("List<") or kind == "CommaDelimitedList"
            yield default, key, listed, kind[5:-1] if kind.startswith("List<") else "String" if listed else kind
    for match in SSM_REFERENCE.finditer("\n".join([body, *built])):
        yield match.group("name"), None, False, "String"


def supply_ssm_parameters(template, body, region, config, guess, made, built=()):
    """Creates the missing SSM parameters the template reads (guess(words, item type) -> a value); returns template
    parameter -> its SSM value for the SSM-typed parameters (existing or made). made collects (region, name) to delete
    after."""
    ssm = boto3.client("ssm", region_name=region, config=config)
    resolved = {}
    for name, key, listed, kind in missing_ssm_parameters(template, body, built):
        try:
            value = ssm.get_parameter(Name=name)["Parameter"]["Value"]
        except ssm.exceptions.ParameterNotFound:
            if RESERVED_SSM_NAME.match(name):
                continue  # AWS's public parameters (/aws/service/...): no user can write one; CloudFormation reports it
            # One item for a list: a landing zone with one region, one account.
            value = guess(f"{key or ''} {name}", kind)
            ssm.put_parameter(Name=name, Value=value, Type="StringList" if listed else "String")
            made.append((region, name))
        except botocore.exceptions.ClientError:
            continue  # a name SSM refuses: CloudFormation reports it
        if key is not None:
            resolved[key] = value
    return resolved


def delete_ssm_parameters(made, config):
    for region, name in made:
        try:
            boto3.client("ssm", region_name=region, config=config).delete_parameter(Name=name)
        except botocore.exceptions.ClientError:
            pass  # a stack of the template deleted it already
    made.clear()


def code_locations(template):
    """(resource type, S3Bucket, S3Key, handler, runtime) of the template's functions and layers with code in S3 (SAM's as
    the AWS::Lambda types they become)."""
    for resource in ((template or {}).get("Resources") or {}).values():
        if not isinstance(resource, dict):
            continue
        properties = resource.get("Properties") or {}
        kind = resource.get("Type")
        code = properties.get("Code") if kind == "AWS::Lambda::Function" else properties.get("Content") if kind == "AWS::Lambda::LayerVersion" else None
        if isinstance(code, dict) and "S3Bucket" in code and "S3Key" in code:
            yield kind, code["S3Bucket"], code["S3Key"], properties.get("Handler"), properties.get("Runtime")
        # SAM's CodeUri / ContentUri in S3 ("s3://BUCKET/KEY" or {Bucket, Key}), Globals filling what the function omits.
        function_globals = (((template or {}).get("Globals") or {}).get("Function") or {}) if kind == "AWS::Serverless::Function" else {}
        uri = (properties.get("CodeUri") or function_globals.get("CodeUri")) if kind == "AWS::Serverless::Function" else \
            properties.get("ContentUri") if kind == "AWS::Serverless::LayerVersion" else None
        located = re.fullmatch(r"s3://([^/]+)/(.+)", uri) if isinstance(uri, str) else None
        bucket, key = (located.group(1), located.group(2)) if located else (uri.get("Bucket"), uri.get("Key")) if isinstance(uri, dict) else (None, None)
        if bucket is not None and key is not None:
            yield (kind.replace("Serverless", "Lambda"), bucket, key, properties.get("Handler") or function_globals.get("Handler"),
                   properties.get("Runtime") or function_globals.get("Runtime"))


def branches(node):
    """Both values of an Fn::If (the benchmark stages for either), else the value."""
    chosen = node.get("Fn::If") if isinstance(node, dict) and len(node) == 1 else None
    return chosen[1:] if isinstance(chosen, list) and len(chosen) == 3 else [node]


def source_folder(sources, repository, template_path, kind, handler, runtime, key):
    """The repository's folder to zip for one function or layer: for a function, a folder holding the handler's module
    file; for a layer, a folder named layer (or under one). Nearest the template wins (longest shared path), then
    the folder whose name the S3 key repeats."""
    root = pathlib.Path(sources) / repository
    if not root.is_dir():
        return None
    if kind == "AWS::Lambda::Function":
        if not isinstance(handler, str) or "." not in handler or not isinstance(runtime, str):
            return None
        module = handler.rsplit(".", 1)[0]
        extensions = next((found for prefix, found in HANDLER_EXTENSIONS.items() if runtime.startswith(prefix)), [])
        candidates = {file.parent.parents[module.count("/") - 1] if "/" in module else file.parent
                      for extension in extensions for file in root.rglob(pathlib.PurePosixPath(module).name + extension)
                      if str(file.relative_to(root).with_suffix("")).endswith(module)}
    else:
        candidates = {folder for folder in root.rglob("*") if folder.is_dir() and folder.parent.name == "layer"}
    if not candidates:
        return None
    template_parts = pathlib.PurePosixPath(template_path).parts
    words = set(re.split(r"[^a-z0-9]+", key.lower()))

    def score(folder):
        parts = folder.relative_to(root).parts
        shared = len(os.path.commonprefix([list(parts), list(template_parts)]))
        return shared, sum(1 for part in parts if part.lower() in words or part.lower().replace("_", "-") in key.lower()), -len(parts)
    return max(sorted(candidates), key=score)


def zipped(folder):
    """The folder's files at the zip's root, as the packaging scripts zip a function's source."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file() and "__pycache__" not in file.parts:
                archive.write(file, file.relative_to(folder).as_posix())
    return buffer.getvalue()


def stage_code(template, template_path, sources, render, region, config, made):
    """Uploads a zip of the repository's source for every function or layer whose S3 object is missing (render(value)
    -> the value's text with the deployment's parameters, or None). made collects the buckets it creates, for
    delete_leftovers after the template (a bucket the template creates itself must not exist before)."""
    if sources is None:
        return
    repository = pathlib.PurePosixPath(template_path).parts[0]
    s3 = boto3.client("s3", region_name=region, config=config)
    for kind, bucket, key, handler, runtime in ((kind, bucket, key, handler, runtime) for kind, buckets, keys, handler, runtime in code_locations(template)
                                                for bucket in branches(buckets) for key in branches(keys)):
        bucket, key = render(bucket), render(key)
        if not isinstance(bucket, str) or not isinstance(key, str) or not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", bucket):
            continue
        try:
            s3.head_object(Bucket=bucket, Key=key)
            continue  # staged already
        except botocore.exceptions.ClientError:
            pass
        folder = source_folder(sources, repository, pathlib.PurePosixPath(*pathlib.PurePosixPath(template_path).parts[1:]).parent.as_posix(), kind, handler, runtime, key)
        if folder is None:
            continue
        if ensure_bucket(s3, bucket, region):
            made.append(("bucket", bucket))
        s3.put_object(Bucket=bucket, Key=key, Body=zipped(folder))


def ensure_bucket(s3, bucket, region):
    """Creates the bucket in the region (us-east-1 takes no location constraint); True when it was made, False when it
    exists already."""
    try:
        s3.create_bucket(Bucket=bucket, **({} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}))
        return True
    except botocore.exceptions.ClientError:
        return False


def leftovers(cfn, stack_id):
    """What outlives the stack's deletion and would clash with the next template's names, read before deleting it:
    (kind, name) for its functions' /aws/lambda/<name> log groups (Lambda makes them, not the stack) and for its
    buckets, log groups, SSM parameters and SNS topics (DeletionPolicy Retain keeps them); nested stacks' too."""
    try:
        resources = cfn.describe_stack_resources(StackName=stack_id)["StackResources"]
    except botocore.exceptions.ClientError:
        return []
    kinds = {"AWS::Lambda::Function": "function", "AWS::S3::Bucket": "bucket", "AWS::Logs::LogGroup": "log group", "AWS::SSM::Parameter": "parameter",
             "AWS::SNS::Topic": "topic"}
    found = []
    for resource in resources:
        name = resource.get("PhysicalResourceId")
        if not name:
            continue
        if resource["ResourceType"] == "AWS::CloudFormation::Stack":
            found += leftovers(cfn, name)
        elif resource["ResourceType"] in kinds:
            kind = kinds[resource["ResourceType"]]
            found.append(("log group", f"/aws/lambda/{name}") if kind == "function" else (kind, name))
    return found


def delete_leftovers(found, region, config):
    """Deletes what leftovers() found that the stack's deletion left (a bucket emptied first); gone ones are skipped."""
    logs, ssm, s3, sns = (boto3.client(service, region_name=region, config=config) for service in ("logs", "ssm", "s3", "sns"))
    for kind, name in found:
        try:
            if kind == "log group":
                logs.delete_log_group(logGroupName=name)
            elif kind == "parameter":
                ssm.delete_parameter(Name=name)
            elif kind == "topic":
                sns.delete_topic(TopicArn=name)
            else:
                for page in s3.get_paginator("list_object_versions").paginate(Bucket=name):
                    items = [{"Key": item["Key"], "VersionId": item["VersionId"]} for item in page.get("Versions", []) + page.get("DeleteMarkers", [])]
                    if items:
                        s3.delete_objects(Bucket=name, Delete={"Objects": items})
                s3.delete_bucket(Bucket=name)
        except botocore.exceptions.ClientError:
            pass  # the stack deleted it, or none was made


def text(value):
    """A template value as CloudFormation reads it into a parameter: YAML booleans (true, yes, on...) are true/false."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def answered(message, template, values, guess):
    """The parameter values a user gives when CreateStack refuses the deployment with a rule's AssertDescription:
    the rule's parameters left empty get a plausible value (guess(name, definition)); if none is empty, each
    parameter with AllowedValues takes the next one. None when the message is no rule's or nothing can change."""
    parameters = (template or {}).get("Parameters") or {}
    for rule in ((template or {}).get("Rules") or {}).values():
        if not isinstance(rule, dict) or not any(isinstance(item, dict) and item.get("AssertDescription") == message for item in rule.get("Assertions") or []):
            continue
        names = sorted({node["Ref"] for node in nodes(rule) if isinstance(node.get("Ref"), str) and node["Ref"] in parameters})
        current = {name: values.get(name, text((parameters[name] or {}).get("Default", ""))) for name in names}
        empty = {name: guess(name, {key: value for key, value in (parameters[name] or {}).items() if key != "Default"})
                 for name, value in current.items() if value == ""}
        if empty:
            return {**values, **empty}
        changed = {}
        for name, value in current.items():
            allowed = [text(item) for item in (parameters[name] or {}).get("AllowedValues") or []]
            if len(allowed) > 1:
                changed[name] = allowed[(allowed.index(value) + 1) % len(allowed) if value in allowed else 0]
        return {**values, **changed} if changed else None
    return None


def nodes(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from nodes(value)
