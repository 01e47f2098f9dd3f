"""Parameter Store (and the stacks that read it) through boto3.

Usage: python3 ssm_client.py <scenario> [arguments]; LOCALCLOUD_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_DEFAULT_REGION come from the environment. Prints one JSON object.
"""
import json
import sys
import time


from localcloud import client, error, settle


def parameters(other_key_id, other_secret):
    """Versions, labels, SecureString, paths and the public parameters, from two accounts and two regions."""
    ssm = client("ssm")
    other = client("ssm", region="eu-west-1", aws_access_key_id=other_key_id, aws_secret_access_key=other_secret)
    ssm.put_parameter(Name="/app/db/host", Value="db-1.internal", Type="String", Description="primary")
    ssm.put_parameter(Name="/app/db/host", Value="db-2.internal", Overwrite=True)
    ssm.put_parameter(Name="/app/db/password", Value="hunter2-very-secret", Type="SecureString")
    ssm.put_parameter(Name="/app/zones", Value="a,b,c", Type="StringList")
    ssm.put_parameter(Name="/app/deep/er/value", Value="1", Type="String")
    labelled = ssm.label_parameter_version(Name="/app/db/host", ParameterVersion=1, Labels=["blue", "9lives"])
    history = ssm.get_parameter_history(Name="/app/db/host")["Parameters"]
    by_path = ssm.get_parameters_by_path(Path="/app")["Parameters"]
    recursive = [p["Name"] for page in ssm.get_paginator("get_parameters_by_path").paginate(Path="/app", Recursive=True, PaginationConfig={"PageSize": 2}) for p in page["Parameters"]]
    secret = ssm.get_parameter(Name="/app/db/password")["Parameter"]
    decrypted = ssm.get_parameter(Name="/app/db/password", WithDecryption=True)["Parameter"]
    al2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
    public_here = ssm.get_parameter(Name=al2023)["Parameter"]
    public_other = other.get_parameter(Name=al2023)["Parameter"]
    described = ssm.describe_parameters(ParameterFilters=[{"Key": "Type", "Values": ["SecureString"]}])["Parameters"]
    result = {
        "versions": [[h["Version"], h["Value"], h.get("Labels", [])] for h in history],
        "invalidLabels": labelled["InvalidLabels"],
        "byLabel": ssm.get_parameter(Name="/app/db/host:blue")["Parameter"]["Value"],
        "selector": ssm.get_parameter(Name="/app/db/host:1")["Parameter"].get("Selector"),
        "oneLevel": sorted(p["Name"] for p in by_path),
        "recursive": recursive,
        "cipherDiffers": secret["Value"] != "hunter2-very-secret",
        "decrypted": decrypted["Value"],
        "secureKey": described[0].get("KeyId"),
        "getParameters": ssm.get_parameters(Names=["/app/zones", "/app/none"]),
        "publicHere": [public_here["Value"], public_here["ARN"], public_here["Type"]],
        "publicOther": public_other["Value"],
        "regionName": ssm.get_parameter(Name="/aws/service/global-infrastructure/regions/eu-west-1/longName")["Parameter"]["Value"],
        "ecs": json.loads(ssm.get_parameter(Name="/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended")["Parameter"]["Value"])["image_id"],
        "ecsImage": ssm.get_parameter(Name="/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id")["Parameter"]["Value"],
        "ecsAmazonLinux": json.loads(ssm.get_parameter(Name="/aws/service/ecs/optimized-ami/amazon-linux/recommended")["Parameter"]["Value"])["image_name"],
        "ecsAmazonLinuxImage": ssm.get_parameter(Name="/aws/service/ecs/optimized-ami/amazon-linux/recommended/image_id")["Parameter"]["Value"],
        "windowsJapanese": ssm.get_parameter(Name="/aws/service/ami-windows-latest/Windows_Server-2022-Japanese-Full-Base")["Parameter"]["Value"],
        "windowsUnknownLanguage": error(ssm.get_parameter, Name="/aws/service/ami-windows-latest/Windows_Server-2022-Klingon-Full-Base"),
        "ubuntu": [ssm.get_parameter(Name=f"/aws/service/canonical/ubuntu/server/{release}/stable/current/arm64/hvm/ebs-gp2/ami-id")["Parameter"]["Value"]
                   for release in ("22.04", "jammy")]
                  + [ssm.get_parameter(Name="/aws/service/canonical/ubuntu/server/noble/stable/current/amd64/hvm/ebs-gp3/ami-id")["Parameter"]["Value"]],
        "ubuntuUnbuiltVolume": error(ssm.get_parameter, Name="/aws/service/canonical/ubuntu/server/noble/stable/current/amd64/hvm/ebs-gp2/ami-id"),
        "neuron": ssm.get_parameter(Name="/aws/service/neuron/dlami/multi-framework/ubuntu-22.04/latest/image_id")["Parameter"]["Value"],
        "debian": [ssm.get_parameter(Name=f"/aws/service/debian/release/{release}/latest/amd64")["Parameter"]["Value"] for release in ("12", "bookworm", "10", "buster")],
        "windowsSql": [ssm.get_parameter(Name=f"/aws/service/ami-windows-latest/Windows_Server-{name}")["Parameter"]["Value"]
                       for name in ("2022-English-Full-SQL_2022_Web", "2019-Japanese-Full-SQL_2019_Standard")],
        "windowsSqlUnpublished": [error(ssm.get_parameter, Name=f"/aws/service/ami-windows-latest/Windows_Server-{name}")
                                  for name in ("2022-Japanese-Full-SQL_2022_Express", "2022-English-Full-SQL_2014_SP3_Web")],
        "ubuntuEks": [ssm.get_parameter(Name=f"/aws/service/canonical/ubuntu/{product}/22.04/1.29/stable/current/amd64/hvm/ebs-gp2/ami-id")["Parameter"]["Value"]
                      for product in ("eks", "eks-pro")],
        "ubuntuEksUnbuilt": error(ssm.get_parameter, Name="/aws/service/canonical/ubuntu/eks/24.04/1.29/stable/current/amd64/hvm/ebs-gp3/ami-id"),
        "otherAccount": error(other.get_parameter, Name="/app/db/host"),
        "exists": error(ssm.put_parameter, Name="/app/zones", Value="d", Type="StringList"),
        "reserved": error(ssm.put_parameter, Name="/aws/mine", Value="d", Type="String"),
        "relative": error(ssm.put_parameter, Name="app/x", Value="d", Type="String"),
        "noType": error(ssm.put_parameter, Name="/app/typeless", Value="d"),
        "badImage": error(ssm.put_parameter, Name="/app/image", Value="not-an-ami", Type="String", DataType="aws:ec2:image"),
        "missingVersion": error(ssm.get_parameter, Name="/app/db/host:7"),
        "deleted": ssm.delete_parameters(Names=["/app/zones", "/app/none"]),
    }
    ssm.delete_parameter(Name="/app/db/host")
    result["afterDelete"] = error(ssm.get_parameter, Name="/app/db/host")
    return result


def stack(template_path):
    """SSM parameter types, dynamic references and the SSM/Secrets Manager resources through a stack's life."""
    ssm, cfn, secrets = client("ssm"), client("cloudformation"), client("secretsmanager")
    template = open(template_path).read()
    ssm.put_parameter(Name="/test/zones", Value="za,zb,zc", Type="StringList")
    ssm.put_parameter(Name="/test/plain", Value="plain-1", Type="String")
    ssm.put_parameter(Name="/test/secure", Value="do-not-show", Type="SecureString")
    result = {
        "missing": error(cfn.create_stack, StackName="ssm-missing", TemplateBody=template, Parameters=[{"ParameterKey": "Zones", "ParameterValue": "/test/nothing"}]),
        "secureType": error(cfn.create_stack, StackName="ssm-secure-type", TemplateBody=template, Parameters=[{"ParameterKey": "Zones", "ParameterValue": "/test/secure"}]),
        "secureWhereNot": error(cfn.create_stack, StackName="ssm-secure-bucket", TemplateBody=SECURE_IN_BUCKET),
        "missingReference": error(cfn.create_stack, StackName="ssm-missing-reference", TemplateBody=template.replace("/test/plain", "/test/absent")),
    }
    cfn.create_stack(StackName="ssm-stack", TemplateBody=template)
    created = settle(cfn, "ssm-stack")
    result["status"] = created["StackStatus"]
    result["parameters"] = sorted([p["ParameterKey"], p["ParameterValue"], p.get("ResolvedValue")] for p in created["Parameters"])
    result["outputs"] = {o["OutputKey"]: o["OutputValue"] for o in created["Outputs"]}
    result["image"] = ssm.get_parameter(Name="/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")["Parameter"]["Value"]
    result["copied"] = ssm.get_parameter(Name="/test/blue/image")["Parameter"]["Value"]
    physical = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in cfn.describe_stack_resources(StackName="ssm-stack")["StackResources"]}
    result["plainName"] = physical["PlainCopy"]
    secret = json.loads(secrets.get_secret_value(SecretId=physical["DbSecret"])["SecretString"])
    result["secretShape"] = [secret["username"], len(secret["password"])]
    result["secretResolved"] = ssm.get_parameter(Name="/test/blue/from-secret")["Parameter"]["Value"] == secret["password"]
    shown = json.dumps([cfn.describe_stack_events(StackName="ssm-stack"), cfn.describe_stack_resources(StackName="ssm-stack"),
                        cfn.get_template(StackName="ssm-stack")], default=str)
    result["secretShown"] = secret["password"] in shown
    ssm.put_parameter(Name="/test/plain", Value="plain-2", Type="String", Overwrite=True)
    cfn.update_stack(StackName="ssm-stack", TemplateBody=template, Parameters=[
        {"ParameterKey": "Stage", "ParameterValue": "green"}, {"ParameterKey": "ImageId", "UsePreviousValue": True}, {"ParameterKey": "Zones", "UsePreviousValue": True}])
    updated = settle(cfn, "ssm-stack")
    result["updated"] = [updated["StackStatus"], {o["OutputKey"]: o["OutputValue"] for o in updated["Outputs"]}["PlainValue"]]
    result["renamed"] = [error(ssm.get_parameter, Name="/test/blue/image"), ssm.get_parameter(Name="/test/green/image")["Parameter"]["Value"]]
    cfn.delete_stack(StackName="ssm-stack")
    for _ in range(300):
        if cfn.list_stacks(StackStatusFilter=["DELETE_COMPLETE"])["StackSummaries"]:
            break
        time.sleep(0.1)
    result["afterDelete"] = [error(ssm.get_parameter, Name="/test/green/image"), error(ssm.get_parameter, Name=physical["PlainCopy"]),
                             error(secrets.get_secret_value, SecretId=physical["DbSecret"])]
    return result


SECURE_IN_BUCKET = """
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: "{{resolve:ssm-secure:/test/secure:1}}"
"""

HIDDEN = """
Parameters:
  AdminPassword: { Type: String, NoEcho: true, MinLength: 8 }
  Label: { Type: String, NoEcho: true, Default: default-label-value }
Resources:
  Admin:
    Type: AWS::IAM::User
    Properties:
      LoginProfile: { Password: "{{resolve:ssm-secure:/hidden/login:1}}" }
  Copy:
    Type: AWS::SSM::Parameter
    Properties: { Name: /hidden/copy, Type: String, Value: !Sub "${AdminPassword}/${Label}" }
Outputs:
  Echo:
    Value: !Ref AdminPassword
"""


def hidden():
    """NoEcho parameters and ssm-secure references: used by the resources, never shown by the stack's APIs."""
    ssm, cfn = client("ssm"), client("cloudformation")
    ssm.put_parameter(Name="/hidden/login", Value="login-secret-1", Type="SecureString")
    cfn.create_stack(StackName="hidden", TemplateBody=HIDDEN, Capabilities=["CAPABILITY_NAMED_IAM"],
                     Parameters=[{"ParameterKey": "AdminPassword", "ParameterValue": "param-secret-1"}])
    created = settle(cfn, "hidden")
    events = cfn.describe_stack_events(StackName="hidden")["StackEvents"]
    summary = cfn.get_template_summary(StackName="hidden")
    described = json.dumps([events, cfn.describe_stack_resources(StackName="hidden"),
                            cfn.describe_stack_resource(StackName="hidden", LogicalResourceId="Copy")], default=str)
    # The template (and so its summary) holds the default and the reference as written, not the values.
    others = described + json.dumps([cfn.get_template(StackName="hidden"), summary], default=str)
    return {
        "status": created["StackStatus"],
        "parameters": sorted([p["ParameterKey"], p["ParameterValue"]] for p in created["Parameters"]),
        "outputs": {o["OutputKey"]: o["OutputValue"] for o in created["Outputs"]},
        "copy": ssm.get_parameter(Name="/hidden/copy")["Parameter"]["Value"],
        "copyEvent": next(json.loads(e["ResourceProperties"])["Value"] for e in events
                          if e["LogicalResourceId"] == "Copy" and e["ResourceStatus"] == "CREATE_COMPLETE"),
        "summary": sorted([p["ParameterKey"], p["NoEcho"]] for p in summary["Parameters"]),
        "shown": [secret for secret in ["param-secret-1", "login-secret-1"] if secret in others] + (["default-label-value"] if "default-label-value" in described else []),
        "secureShown": "login-secret-1" in json.dumps(cfn.describe_stacks(StackName="hidden"), default=str),
    }


SCENARIOS = {"parameters": parameters, "stack": stack, "hidden": hidden}

if __name__ == "__main__":
    print(json.dumps(SCENARIOS[sys.argv[1]](*sys.argv[2:]), default=str))
