"""The work of bench/cfn-corpus.ps1: cfn-lint every template of tests/cfn-corpus, CreateStack the cfn-lint-clean
ones in LocalCloud (AWS_ENDPOINT_URL and the sandbox's credentials from the environment) with plausible parameter
values, and print the rate and the causes of the failures.

Usage: python3 bench/cfn-corpus.py <corpus folder> [--verbose] [--lint-cache FILE] [--sources FOLDER] [--only REGEX]
(--lint-cache keeps cfn-lint's verdicts in FILE, read instead of linting again when it exists: comparing two
LocalCloud builds then lints once; --sources holds the repositories' full trees, for the prerequisites of
bench/cfn_prerequisites.py, the package step of bench/cfn_package.py, and the exporters and nested children a set that
samples a repository left out.)
"""
import collections
import io
import hashlib
import itertools
import json
import os
import pathlib
import re
import sys
import time
import urllib.request
import zipfile

import boto3
import botocore.config
import botocore.exceptions
import cfnlint.decode
import cfn_prerequisites
from cfn_package import Packager
from cfn_prerequisites import nodes as walk
try:
    import re._parser as re_parser
except ImportError:  # Python before 3.11
    import sre_parse as re_parser
from cfnlint.api import lint_file

REGION = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
CONFIG = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"}, read_timeout=120)
# The sandbox's own network, created once per region before the templates (a template's parameters of AWS-specific
# types must name resources that exist, as in AWS): a VPC with a subnet in each of three Availability Zones, a
# security group, a route table to an internet gateway, a key pair, a public hosted zone, an SNS topic and a transit gateway. Its outputs are
# the plausible values.
NETWORK_STACK = "corpus-network"
NETWORK_TEMPLATE = {
    "Resources": {
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16", "EnableDnsSupport": True, "EnableDnsHostnames": True}},
        **{f"Subnet{zone}": {"Type": "AWS::EC2::Subnet", "Properties": {
            "VpcId": {"Ref": "Vpc"}, "CidrBlock": f"10.0.{number}.0/24", "MapPublicIpOnLaunch": True,
            "AvailabilityZone": {"Fn::Select": [number, {"Fn::GetAZs": ""}]}}} for number, zone in enumerate("ABC")},
        "SecurityGroup": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "corpus", "VpcId": {"Ref": "Vpc"}}},
        "RouteTable": {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": {"Ref": "Vpc"}}},
        # A VPC a template expects has a way out, as a user's does (a bring-your-own-VPC validator checks that its
        # subnets route 0.0.0.0/0 to an internet or NAT gateway).
        "Gateway": {"Type": "AWS::EC2::InternetGateway"},
        "GatewayAttachment": {"Type": "AWS::EC2::VPCGatewayAttachment", "Properties": {"VpcId": {"Ref": "Vpc"}, "InternetGatewayId": {"Ref": "Gateway"}}},
        "DefaultRoute": {"Type": "AWS::EC2::Route", "DependsOn": "GatewayAttachment", "Properties": {
            "RouteTableId": {"Ref": "RouteTable"}, "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": {"Ref": "Gateway"}}},
        **{f"Subnet{zone}Routes": {"Type": "AWS::EC2::SubnetRouteTableAssociation", "Properties": {
            "RouteTableId": {"Ref": "RouteTable"}, "SubnetId": {"Ref": f"Subnet{zone}"}}} for zone in "ABC"},
        "KeyPair": {"Type": "AWS::EC2::KeyPair", "Properties": {"KeyName": "corpus-key"}},
        "Zone": {"Type": "AWS::Route53::HostedZone", "Properties": {"Name": "corpus.example.com"}},
        "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "corpus-topic"}},
        "TransitGateway": {"Type": "AWS::EC2::TransitGateway", "Properties": {"Description": "corpus"}},
    },
    "Outputs": {name: {"Value": {"Ref": name}} for name in ["Vpc", "SubnetA", "SubnetB", "SubnetC", "SecurityGroup", "RouteTable", "KeyPair", "Zone", "Topic",
                                                            "TransitGateway"]},
}
# Parameter types -> the network's output that holds a value (lists get the three subnets, or the one value thrice).
NETWORK_TYPES = {
    "AWS::EC2::VPC::Id": "Vpc",
    "AWS::EC2::Subnet::Id": "SubnetA",
    "AWS::EC2::SecurityGroup::Id": "SecurityGroup",
    "AWS::EC2::KeyPair::KeyName": "KeyPair",
    "AWS::Route53::HostedZone::Id": "Zone",
}
PLAUSIBLE = {
    "AWS::EC2::SecurityGroup::GroupName": "default",
    "AWS::EC2::Image::Id": "ami-0a1b2c3d4e5f60718",
    "AWS::EC2::Instance::Id": "i-0a1b2c3d4e5f60718",
    "AWS::EC2::Volume::Id": "vol-0a1b2c3d4e5f60718",
}
PATTERN_GUESSES = ["corpus", "Corpus1", "corpus-1", "10.0.0.0/16", "10.0.0.0/24", "0.0.0.0/0", "corpus@example.com",
                   "admin", "Passw0rdPassw0rd", "Passw0rd_Passw0rd", "t3.micro", "1", "example.com", "arn:aws:iam::111111111111:role/corpus",
                   "123456789012", "us-east-1"]
# What a parameter's name says it holds, tried before the general guesses (first match wins); {Name} is the network's
# output of that name.
NAME_HINTS = [
    (r"bucket", ["corpus-bucket-{index}"]),
    # Two instances of one template are named by two parameters: each gets its own name, as a user gives them.
    (r"identifier$", ["corpus-{parameter}"]),
    (r"cidr|ipv4.?range", ["10.0.0.0/16"]),
    (r"ip(v4)?.?address|^(primary|secondary).?ip$", ["10.0.0.10"]),
    (r"e-?mail", ["corpus@example.com"]),
    # A URL the template points a service at (an HTTP integration's IntegrationUri from {{resolve:ssm:/DEV/X_URL}}).
    (r"ur[li]$", ["https://corpus.example.com"]),
    (r"organization.?id", ["{OrganizationId}"]),
    (r"root.?(organizational.?unit|ou|id$)", ["{RootId}"]),
    (r"management.?account", ["{ManagementAccountId}"]),
    (r"audit.?account", ["{AuditAccountId}"]),
    (r"log.?archive.?account", ["{LogArchiveAccountId}"]),
    (r"account.?id", ["123456789012"]),
    (r"kms|key.?(id|arn)", ["{KmsKey}"]),  # a real key of the sandbox (cfn_prerequisites.kms_key_facts)
    (r"route.?table", ["{RouteTable}"]),
    # A trailing index names one of several (PublicSubnet1, PrivateSubnetB, Vpc2Id).
    (r"vpc(.?\d+)?(.?id)?$", ["{Vpc}"]),
    (r"subnets?(.?\d+|[a-c])?(.?ids?)?$", ["{SubnetA}"]),
    (r"dns.?server", ["10.0.0.2"]),
    # A log retention or a number of days is a count (RetentionInDays takes 1, 3, 5, 7, 14, ...), not a word.
    (r"log.*retention|retention.?(in.?)?days|days$", ["7"]),
    (r"security.?group|^sg", ["{SecurityGroup}"]),
    (r"key.?(pair|name)", ["{KeyPair}"]),
    (r"hosted.?zone.?id$", ["{Zone}"]),
    (r"directory", ["d-1234567890"]),
    (r"endpoint.?dns", ["vpce-0a1b2c3d4e5f60718-abcdefgh.execute-api.{region}.vpce.amazonaws.com"]),
    (r"home.?region|regions", ["{region}"]),
    # A record or subdomain is named inside the sandbox's zone, as a user names a record of their own zone (the
    # zone's apex already holds its NS and SOA records).
    (r"sub.?domain|record.?(set.?)?name|fqdn", ["{parameter}.corpus.example.com"]),
    (r"domain|hosted.?zone", ["corpus.example.com"]),
    (r"(sns|topic).*arn", ["{Topic}"]),
    (r"transit.?gateway(.?id)?$", ["{TransitGateway}"]),
    (r"arn$", ["arn:aws:iam::111111111111:role/corpus"]),
    # Read from a property the parameter feeds (value_for's uses): a record set's value, an address (RFC 5737's
    # documentation range) for the default A record.
    (r"^resource.?records$", ["192.0.2.10"]),
]


def lint(paths):
    """Template -> its cfn-lint errors (rules E*), linted one by one in this process (a template that crashes
    cfn-lint counts as an error, and does not stop the others)."""
    errors = {}
    for path in paths:
        try:
            found = [f"{match.rule.id} {match.message}" for match in lint_file(pathlib.Path(path)) if match.rule.id.startswith("E")]
        except Exception as error:  # cfn-lint itself failed on the template
            found = [f"cfn-lint failed: {type(error).__name__}"]
        if found:
            errors[path] = found
    return errors


text = cfn_prerequisites.text


def value_for(name, parameter, network, index=0, region=REGION, uses=()):
    """A plausible value for a parameter without a default; network holds the sandbox network's ids. When its name
    says nothing NAME_HINTS knows, the properties it feeds (uses) do, as the template's user reads them."""
    kind = str(parameter.get("Type", "String"))
    if "AllowedValues" in parameter and parameter["AllowedValues"]:
        return text(parameter["AllowedValues"][0])
    listed = kind.startswith("List<") or kind == "CommaDelimitedList"
    item = kind[5:-1] if kind.startswith("List<") else kind
    subnets = ",".join(network[f"Subnet{zone}"] for zone in "ABC")

    def repeated(value):
        # Lists get three items: templates select the second and third subnet of a list. Items that end in a number
        # (account ids) are made distinct, as a real list's are (Fn::ForEach over it makes one key per item).
        numbered = re.fullmatch(r"(.*?)(\d+)", value)
        items = [f"{numbered.group(1)}{int(numbered.group(2)) + step:0{len(numbered.group(2))}d}" for step in range(3)] if numbered and "." not in value else [value] * 3
        return (subnets if value == network["SubnetA"] else ",".join(items)) if listed else value
    if item in NETWORK_TYPES:
        return repeated(network[NETWORK_TYPES[item]])
    if item in PLAUSIBLE:
        return repeated(PLAUSIBLE[item])
    # A String list named for zones holds zone names, as the AWS-specific type does.
    if item == "AWS::EC2::AvailabilityZone::Name" or (kind in ("CommaDelimitedList", "List<String>") and re.search(r"availability.?zones$|^azs$", name, re.IGNORECASE)):
        return ",".join(region + zone for zone in "abc") if listed else region + "a"
    if kind.startswith("AWS::SSM::Parameter::Value"):
        return "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
    if item == "Number":
        return str(parameter.get("MinValue", 1))
    pattern = parameter.get("AllowedPattern")
    minimum = int(parameter.get("MinLength", 1))
    def hinted_by(words):
        return [value.format(index=index, region=region, parameter=re.sub(r"[^a-z0-9]", "", name.lower())[:40], **network)
                for hint, values in NAME_HINTS if re.search(hint, words, re.IGNORECASE) for value in values]
    hinted = hinted_by(name) or [value for use in uses for value in hinted_by(use)]
    for guess in hinted + PATTERN_GUESSES:
        if matches(pattern, guess) and len(guess) >= minimum:
            return repeated(guess)
    example = example_for(pattern)
    if example is not None and len(example) >= minimum:
        return example
    return "corpus" + "x" * max(0, minimum - 6)


# Parameters whose name says they take a network id, and the prefix of the ids (NAME_HINTS' network entries).
NETWORK_ID_HINTS = [(r"vpc(.?id)?$", "vpc", ["Vpc"]), (r"subnets?(.?ids?)?$", "subnet", ["SubnetA", "SubnetB", "SubnetC"]),
                    (r"security.?group(.?ids?)?$|^sg", "sg", ["SecurityGroup"])]


def placeholder_network_default(name, parameter, network):
    """The network's ids for a parameter whose default only stands for ids the user must give (`VPC_ID`,
    `subnet-1,subnet-2,subnet-3`, `vpc-xxxxxxxx`: no VPC, subnet or security group has such an id, so the template
    cannot deploy with it anywhere): as many ids as the default has items. None for a real-looking or empty default."""
    default = parameter.get("Default")
    if not isinstance(default, str) or not default.strip() or parameter.get("AllowedValues"):
        return None
    for hint, prefix, keys in NETWORK_ID_HINTS:
        if re.search(hint, name, re.IGNORECASE):
            items = [item.strip() for item in default.split(",")]
            if all(re.fullmatch(rf"{prefix}-(?:[0-9a-f]{{8}}|[0-9a-f]{{17}})", item) for item in items):
                return None
            return ",".join(network[keys[position % len(keys)]] for position in range(len(items)))
    return None


def parameter_uses(template):
    """Parameter -> the names of the resource properties its value is, whole (a Ref, "${Name}" or "${Name}." in a
    Fn::Sub, a list item of those), e.g. HostZoneName -> [HostedZoneName]. Not a part of a longer text."""
    parameters = set(((template or {}).get("Parameters") or {}).keys())
    uses = collections.defaultdict(list)

    def named(value):
        if isinstance(value, list):
            return {name for item in value for name in named(item)}
        if not isinstance(value, dict) or len(value) != 1:
            return set()
        (function, argument), = value.items()
        if function == "Ref" and argument in parameters:
            return {argument}
        whole = re.fullmatch(r"\$\{([^!}]+)\}\.?", argument if function == "Fn::Sub" and isinstance(argument, str) else "")
        return {whole.group(1)} if whole and whole.group(1) in parameters else set()

    def visit(node):
        if isinstance(node, dict):
            for key, value in node.items():
                for name in named(value):
                    if key not in uses[name]:
                        uses[name].append(key)
                visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)
    for resource in ((template or {}).get("Resources") or {}).values():
        if isinstance(resource, dict):
            visit(resource.get("Properties") or {})
    return uses


def distinct_subnet_ranges(values):
    """Subnet CIDR parameters get distinct /24 ranges of the benchmark's 10.0.0.0/16 (a user's subnets do not overlap)."""
    ranges = (f"10.0.{number}.0/24" for number in itertools.count(1))
    return {key: next(ranges) if value == "10.0.0.0/16" and re.search("subnet", key, re.IGNORECASE) else value for key, value in values.items()}


def distinct_buckets(values):
    """Two bucket-name parameters get two names (a user names two buckets differently; S3 names are global)."""
    seen = collections.Counter()
    result = {}
    for key, value in values.items():
        seen[value] += 1
        result[key] = f"{value}-{seen[value]}" if re.search("bucket", key, re.IGNORECASE) and seen[value] > 1 and len(value) < 60 else value
    return result


def example_for(pattern):
    """The shortest text the AllowedPattern takes (built from the parsed pattern), or None."""
    try:
        parsed = re_parser.parse(str(pattern))
        text = "".join(_example(parsed))
        return text if re.fullmatch(str(pattern), text) else None
    except (re.error, ValueError, TypeError, RecursionError):
        return None


def _example(items):
    for op, argument in items:
        name = str(op)
        if name == "LITERAL":
            yield chr(argument)
        elif name == "ANY":
            yield "a"
        elif name == "IN":
            yield _in_example(argument)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _, body = argument
            yield "".join(_example(body)) * max(low, 0)
        elif name == "SUBPATTERN":
            yield "".join(_example(argument[-1]))
        elif name == "BRANCH":
            yield max(("".join(_example(branch)) for branch in argument[1]), key=len)
        elif name == "CATEGORY":
            yield _category_example(str(argument))
        elif name in ("AT", "GROUPREF", "ASSERT", "ASSERT_NOT"):
            continue
        else:
            raise ValueError(name)


def _in_example(items):
    for op, argument in items:
        name = str(op)
        if name == "LITERAL":
            return chr(argument)
        if name == "RANGE":
            return chr(argument[0])
        if name == "CATEGORY":
            return _category_example(str(argument))
        if name == "NEGATE":
            return "a"
    raise ValueError("empty set")


def _category_example(category):
    return {"CATEGORY_DIGIT": "0", "CATEGORY_SPACE": " ", "CATEGORY_WORD": "a"}.get(category, "a")


# Java's POSIX classes in AllowedPattern (CloudFormation reads it as a Java pattern), as US-ASCII ranges for Python.
POSIX = {"Print": r"\x20-\x7E", "Graph": "!-~", "Alpha": "a-zA-Z", "Digit": "0-9", "Alnum": "a-zA-Z0-9", "Upper": "A-Z", "Lower": "a-z",
         "Punct": r"!-/:-@\[-`{-~", "Space": r" \t\n\x0B\f\r"}


def python_pattern(pattern):
    """The pattern with \\p{Print}-like classes as ranges (bare inside a character class, bracketed outside)."""
    def replace(match):
        inside = match.string[:match.start()].count("[") > match.string[:match.start()].count("]")
        return POSIX[match.group(1)] if inside else f"[{POSIX[match.group(1)]}]"
    return re.sub(r"\\p\{(" + "|".join(POSIX) + r")\}", replace, str(pattern))


def matches(pattern, text):
    """Whether a template's AllowedPattern takes the text; a pattern Python cannot read takes anything."""
    try:
        return pattern is None or re.fullmatch(python_pattern(pattern), text) is not None
    except re.error:
        return True


# A TemplateURL in S3: https://BUCKET.s3[.-REGION].amazonaws.com/KEY or https://s3[.-REGION].amazonaws.com/BUCKET/KEY.
S3_URL = re.compile(r"https?://(?:(?P<bucket>[a-z0-9.-]+)\.s3[.-](?:[a-z0-9-]+\.)?amazonaws\.com/(?P<key>.+)|s3[.-](?:[a-z0-9-]+\.)?amazonaws\.com/(?P<path>[^/]+/.+))")
STACK = "\0STACK\0"
SELF = "\0SELF\0"
# Regions a template may need instead of the benchmark's: old templates map AMIs for the first regions only, and
# us-east-1 has the most availability zones, and zone parameters default to its zones (Default: us-east-1a).
FALLBACK_REGION = "us-east-1"
REGION_BOUND = re.compile(r"Unable to get mapping for \w+::(us|eu|ap|sa|ca|me|af)-|cannot select nonexistent value at index"
                          r"|Parameter value us-east-1[a-z] for parameter name \w+ does not exist")


def token(name):
    return f"\0P:{name}\0"


def render(node, parameters, region, mappings=None):
    """An export or import name with the stack name and parameters as tokens, or None when it uses anything else.
    With the template's mappings, an Fn::FindInMap whose keys are literal or parameters with a default (the value the
    benchmark passes) is read too (`!Join ['-', [!Ref NetworkStack, !FindInMap [Map, !Ref Customer, ImportName]]]`)."""
    if isinstance(node, str):
        return node
    if not isinstance(node, dict) or len(node) != 1:
        return None
    (function, argument), = node.items()
    if function == "Fn::FindInMap" and mappings and isinstance(argument, list) and len(argument) == 3:
        keys = [render(item, parameters, region, mappings) for item in argument]
        keys = [default_value(parameters.get(key[3:-1]) or {}) if key and re.fullmatch(r"\0P:[^\0]+\0", key) else key for key in keys]
        found = ((mappings.get(keys[0]) or {}).get(keys[1]) or {}).get(keys[2]) if None not in keys and "\0" not in "".join(keys) else None
        return found if isinstance(found, str) else None
    if function == "Ref":
        return STACK if argument == "AWS::StackName" else token(argument) if argument in parameters else region if argument == "AWS::Region" else None
    if function == "Fn::Join" and isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], list):
        parts = [render(item, parameters, region, mappings) for item in argument[1]]
        return None if None in parts or not isinstance(argument[0], str) else argument[0].join(parts)
    if function == "Fn::Sub":
        text, variables = (argument, {}) if isinstance(argument, str) else (argument[0], argument[1]) if isinstance(argument, list) and len(argument) == 2 else (None, {})
        if not isinstance(text, str):
            return None
        values = {name: render(value, parameters, region, mappings) for name, value in (variables or {}).items()}
        def replace(match):
            name = match.group(1)
            if name in values:
                return values[name] if values[name] is not None else "\0?\0"
            if name == "AWS::StackName":
                return STACK
            if name == "AWS::Region":
                return region
            if name == "AWS::AccountId":
                return "111111111111"
            if name == "AWS::URLSuffix":
                return "amazonaws.com"
            if name == "AWS::Partition":
                return "aws"
            return token(name) if name in parameters else "\0?\0"
        rendered = re.sub(r"\$\{([^!}][^}]*)\}", replace, text)
        return None if "\0?\0" in rendered else rendered
    return None


def substituted(node, parameters, values, region):
    """render() with the parameters' values (those passed, else the defaults) and SSM dynamic references read; None
    when a part is unknown."""
    text = render(node, parameters, region)
    for name in re.findall(r"\0P:([^\0]+)\0", text or ""):
        value = values.get(name) or default_value(parameters.get(name) or {})
        text = text.replace(token(name), value) if value is not None and text is not None else None
    for match in cfn_prerequisites.SSM_REFERENCE.finditer(text or ""):
        try:
            value = boto3.client("ssm", region_name=region, config=CONFIG).get_parameter(Name=match.group("name"))["Parameter"]["Value"]
        except botocore.exceptions.ClientError:
            return None
        text = text.replace(match.group(0), value)
    return text


def sub_ssm_references(template, values, region):
    """The {{resolve:ssm:...}} references that a Fn::Sub builds from parameters, mappings or pseudo parameters
    ("{{resolve:ssm:/${Stage}/TYPESENSE_URL}}"), as the values passed (else the defaults) render them; references
    with a part the benchmark cannot know are left out (CloudFormation reports them)."""
    parameters = template.get("Parameters") or {}
    found = []
    for node in cfn_prerequisites.nodes(template.get("Resources")):
        argument = node.get("Fn::Sub") if len(node) == 1 else None
        text = argument[0] if isinstance(argument, list) and argument else argument
        if not (isinstance(text, str) and "{{resolve:ssm:" in text):
            continue
        rendered = render(node, parameters, region, template.get("Mappings"))
        for name in re.findall(r"\0P:([^\0]+)\0", rendered or ""):
            value = values.get(name) or default_value(parameters.get(name) or {})
            rendered = rendered.replace(token(name), value) if value is not None and rendered is not None else None
        if rendered:
            found.append(rendered)
    return found


def exports_of(template, region):
    """The template's export names: literal, or built from its stack name (STACK) or from one of its parameters
    (token(name)), as the user names the stack, or passes the parameter, so that an importer finds them."""
    parameters = (template or {}).get("Parameters") or {}
    mappings = (template or {}).get("Mappings") or {}
    chosen = [((output or {}).get("Export") or {}).get("Name") for output in ((template or {}).get("Outputs") or {}).values()
              if isinstance(output, dict)]  # Fn::ForEach (AWS::LanguageExtensions) gives a list here
    # A name chosen by Fn::If may be either branch: both are offered (the condition is the deployment's).
    chosen = [branch for name in chosen for branch in (name["Fn::If"][1:] if isinstance(name, dict) and isinstance(name.get("Fn::If"), list)
                                                         and len(name["Fn::If"]) == 3 else [name])]
    names = [render(name, parameters, region, mappings) for name in chosen]
    return {name for name in names if name is not None and len(VARIABLE.findall(name)) <= 1}


# The one part of an export or import name that the deployment chooses: a stack's name or a parameter's value.
VARIABLE = re.compile(r"\0STACK\0|\0SELF\0|\0P:[^\0]+\0")
STACK_NAME = re.compile(r"[A-Za-z][-A-Za-z0-9]{0,127}")


def solve(name, pattern):
    """The (variable, value) that makes an export pattern give the literal import name: ("", "") when the pattern is
    that literal name, None when no value does. The pattern's literal parts must hold at least two characters (an
    export named by the stack name alone matches nothing in particular), and a stack name must be a valid one."""
    variables = VARIABLE.findall(pattern)
    if not variables:
        return ("", "") if name == pattern else None
    prefix, suffix = pattern.split(variables[0], 1)
    if len(prefix) + len(suffix) < 2 or len(name) <= len(prefix) + len(suffix) or not (name.startswith(prefix) and name.endswith(suffix)):
        return None
    value = name[len(prefix):len(name) - len(suffix)]
    return None if variables[0] in (STACK, SELF) and not STACK_NAME.fullmatch(value) else (variables[0], value)


def declared_parameters(values, parameters):
    """CreateStack's Parameters: only those the template declares, as its user passes them (CloudFormation refuses any
    other: "Parameters: [Name] do not exist in the template"), whatever an exporter's pairing or a rule's answer
    chose for names the template does not have."""
    return [{"ParameterKey": key, "ParameterValue": value} for key, value in values.items() if key in parameters]


# The last words of an export name that hold a network id -> the sandbox network's output(s) (bench's stand-in network
# stack, Corpus.stand_in_network): compared in lower case without punctuation, a trailing 1/2/3 or a/b/c choosing the
# subnet; a plural names all three.
NETWORK_EXPORT_WORDS = [(r"vpc(id)?$", ["Vpc"]), (r"subnet(id)?s$|subnetslist$", ["SubnetA", "SubnetB", "SubnetC"]),
                        (r"subnet(id)?([1-9]|[abc])?$|subnet([1-9]|[abc])id$", None),
                        (r"(securitygroup|sg)(id)?$", ["SecurityGroup"]), (r"routetable(id)?$", ["RouteTable"]),
                        (r"vpccidr(block)?$", ["10.0.0.0/16"])]  # a literal: NETWORK_TEMPLATE's VPC range


def network_export(name, network):
    """The value a stand-in network stack exports under an import name (see NETWORK_EXPORT_WORDS), or None."""
    words = re.sub(r"[^a-z0-9]", "", name.lower())
    for pattern, outputs in NETWORK_EXPORT_WORDS:
        found = re.search(pattern, words)
        if found is None:
            continue
        if outputs is None:
            which = next((group for group in found.groups()[1:] if group), "1")
            position = (int(which) - 1) % 3 if which.isdigit() else "abc".index(which)
            outputs = [f"Subnet{'ABC'[position]}"]
        return ",".join(network.get(output, output) for output in outputs)
    return None


def default_value(parameter):
    default = parameter.get("Default")
    return text(default) if default not in (None, "") else None


def allowed_value(parameter):
    """The value the benchmark passes for a parameter with AllowedValues (its default, else the first)."""
    allowed = parameter.get("AllowedValues") or []
    return None if not allowed else default_value(parameter) or text(allowed[0])


def imports_of(template, region):
    """Parameter (or None for literal names) -> the export names it must supply, written with STACK for its value
    (and SELF for the importer's own stack name)."""
    parameters = (template or {}).get("Parameters") or {}
    needs = collections.defaultdict(set)
    for node in walk(template):
        if "Fn::ImportValue" in node and len(node) == 1:
            name = render(node["Fn::ImportValue"], parameters, region, (template or {}).get("Mappings") or {})
            name = name.replace(STACK, SELF) if name is not None else None  # the importer's own stack name
            tokens = re.findall(r"\0P:([^\0]+)\0", name or "")
            # With several parameters in the name, the ones that choose among values (AllowedValues, then a default)
            # take the value the deployment passes; the one left names the stack.
            for fixed in (allowed_value, default_value):
                for other in sorted(set(tokens)) if len(set(tokens)) > 1 else []:
                    value = fixed(parameters.get(other) or {})
                    if value is not None and len(set(tokens)) > 1:
                        name = name.replace(token(other), value)
                        tokens = [kept for kept in tokens if kept != other]
            if name is None or len(set(tokens)) > 1:
                continue
            needs[tokens[0] if tokens else None].add(name.replace(token(tokens[0]), STACK) if tokens else name)
    return needs


class ExportIndex:
    """The corpus's export patterns (exports_of) by their literal parts: which templates export a literal name, found
    in time of the name's length rather than of the corpus's size (Corpus.choose asks it for every candidate value)."""

    def __init__(self, exports):
        self.literal = collections.defaultdict(set)  # a literal export name -> its templates
        self.by_suffix = collections.defaultdict(list)  # the text after a pattern's variable -> (pattern, template)
        self.found = {}
        for path, patterns in exports.items():
            for pattern in patterns:
                variables = VARIABLE.findall(pattern)
                if variables:
                    self.by_suffix[pattern.split(variables[0], 1)[1]].append((pattern, path))
                else:
                    self.literal[pattern].add(path)

    def paths(self, name):
        """The templates with an export pattern that gives the name (solve() finds a value)."""
        if name not in self.found:
            paths = set(self.literal.get(name, ()))
            for cut in range(len(name) + 1):
                paths |= {path for pattern, path in self.by_suffix.get(name[cut:], ()) if path not in paths and solve(name, pattern) is not None}
            self.found[name] = frozenset(paths)
        return self.found[name]


class Corpus:
    """The cfn-lint-clean templates, their exports, and the stacks a deployment made (deleted after each template)."""

    def __init__(self, paths, corpus_folder, all_paths, sources=None):
        self.corpus_folder = pathlib.Path(corpus_folder)
        self.sources_folder = pathlib.Path(sources) if sources else None
        corpus_files = [pathlib.Path(candidate).relative_to(self.corpus_folder) for candidate in all_paths]
        # A set may hold only a sample of a repository's templates (every second one): its user has the whole
        # repository, so the stacks a template imports from and the children it nests come from the full tree too.
        repository_files = repository_templates(self.sources_folder, {path.parts[0] for path in corpus_files}, set(corpus_files))
        self.files = sorted(set(corpus_files) | set(repository_files))
        # Every template of the corpus may be deployed first for its exports, as a user deploys the stacks a template
        # imports from whatever cfn-lint says of them (a false positive such as an empty policy Sid does not stop
        # CloudFormation); only the cfn-lint-clean ones are measured. A template that cannot be read exports nothing.
        self.clean = set(paths)
        self.templates = {path: cfnlint.decode.decode(path)[0] for path in sorted(set(paths) | {str(candidate) for candidate in all_paths})}
        self.templates.update(exporting_templates(self.sources_folder, repository_files))
        self.exports = {path: exports_of(template, REGION) for path, template in self.templates.items()}
        self.imports = {path: imports_of(template, REGION) for path, template in self.templates.items()}
        self.export_index = ExportIndex(self.exports)
        self.order = {path: position for position, path in enumerate(self.templates)}
        self.clients = {}
        self.names = itertools.count()
        self.networks = {}
        self.applications = application_sources(self.located, self.files)
        self.macros = macro_definitions(self.located, self.files)
        self.published = set()
        self.staged = set()
        self.registered = set()
        self.staged_functions = []
        self.staged_buses = []
        self.provider_arns = {}
        self.sources = sources
        self.parameters_made = []
        self.staging_buckets = []
        self.artifact_buckets = set()

    def network(self, region):
        """The outputs of the sandbox network stack of the region (created on first use, kept for all templates)."""
        if region not in self.networks:
            cfn = self.cfn(region)
            cfn.create_stack(StackName=NETWORK_STACK, TemplateBody=json.dumps(NETWORK_TEMPLATE))
            stack = settle(cfn, NETWORK_STACK)
            if stack["StackStatus"] != "CREATE_COMPLETE":
                raise RuntimeError(f'The benchmark\'s network stack failed in {region}: {stack.get("StackStatusReason")}')
            self.networks[region] = {output["OutputKey"]: output["OutputValue"] for output in stack["Outputs"]}
            self.networks[region].update(cfn_prerequisites.organization_facts(CONFIG, region))
            self.networks[region].update(cfn_prerequisites.kms_key_facts(CONFIG, region))
        return self.networks[region]

    def cfn(self, region):
        if region not in self.clients:
            self.clients[region] = boto3.client("cloudformation", region_name=region, config=CONFIG)
        return self.clients[region]

    def inside(self, path):
        """A template's path in its repository's folder (<owner>+<repo>/...), whether in the corpus or the sources."""
        path = pathlib.Path(path)
        return path.relative_to(self.sources_folder) if self.sources_folder and path.is_relative_to(self.sources_folder) else path.relative_to(self.corpus_folder)

    def located(self, relative_path):
        """The file of a repository path: the corpus's copy, else the full tree's."""
        copy = self.corpus_folder / relative_path
        return copy if copy.exists() or self.sources_folder is None else self.sources_folder / relative_path

    def exporters(self, needed, importer):
        """(template, variable, value, names) for the templates that export some of the needed literal names, best
        first: most names covered, cfn-lint-clean, fewest imports, nearest folder. The export's variable (its stack name STACK, or
        one of its parameters) takes the value under which its exports are those names."""
        inside = list(self.inside(importer).parts)
        scored = []
        # Only the templates the index finds for some name, in the corpus's order (which breaks ties as before).
        candidates = sorted({path for name in needed for path in self.export_index.paths(name)} - {importer}, key=self.order.get)
        for path in candidates:
            choices = collections.defaultdict(set)
            for name in needed:
                for pattern in self.exports[path]:
                    found = solve(name, pattern)
                    if found is not None:
                        choices[found].add(name)
            literal = choices.pop(("", ""), set())
            for (variable, value), names in list(choices.items()) or [(("", ""), set())]:
                if names | literal:
                    scored.append(((len(names | literal), path in self.clean, -len(self.imports[path]), len(os.path.commonprefix([list(self.inside(path).parts), inside]))),
                                   (path, variable, value, names | literal)))
        return [entry for _, entry in sorted(scored, key=lambda item: item[0], reverse=True)]

    def choose(self, patterns, variable, fresh, importer):
        """The value of an importer's variable (a parameter naming a stack, or its own stack name) under which the
        most of its import names have an exporter: a fresh name, or one an export implies (an importer named
        `X-Service` for exports `STACK-Service-...`, as the stacks' user names them by their convention); None when
        no exporter has any of them. Each candidate's count asks the export index (not every template again), so
        choosing stays linear in the corpus's size."""
        exports = [VARIABLE.sub(f"{fresh}x", pattern) for path in self.templates if path != importer for pattern in self.exports[path]]
        candidates = [fresh] + sorted({found[1] for literal in exports for pattern in patterns if VARIABLE.findall(pattern) == [variable]
                                       for found in [solve(literal, pattern)] if found is not None})
        def covered(value):
            return sum(1 for pattern in patterns if self.export_index.paths(pattern.replace(variable, value)) - {importer})
        best = max(candidates, key=covered)  # the first (the fresh name) among equals
        return best if covered(best) else None

    def stand_in_network(self, names, importer, network, region, created, index):
        """Import names that no template of the corpus exports but whose last words name a network id (`vpc-VPCID`,
        `Network:PrivateSubnet2`, `corpus-SecurityGroupId`) are exported by a stand-in stack with the sandbox
        network's ids, as the template's user has their own network stack (deleted with the template's stacks).
        Only when every such name is a network id: any other keeps CloudFormation's "No export named ... found."."""
        # A name that starts with punctuation lost its stack part (an empty prefix: `-AppVPCId`), which no user's
        # network stack exports.
        unexported = sorted(name for name in names if not self.export_index.paths(name) - {importer})
        if any(not re.match(r"[A-Za-z0-9]", name) for name in unexported):
            return
        ids = {name: network_export(name, network) for name in unexported}
        if not ids or None in ids.values():
            return
        stack_name = f"corpus{index}n{next(self.names)}"
        body = {"Resources": {"Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
                "Outputs": {f"Id{number}": {"Value": value, "Export": {"Name": name}} for number, (name, value) in enumerate(ids.items())}}
        cfn = self.cfn(region)
        cfn.create_stack(StackName=stack_name, TemplateBody=json.dumps(body))
        created.append((region, settle(cfn, stack_name)["StackId"]))

    def named_exports(self, parameter):
        """The corpus's exports (written with STACK) whose own part a parameter holding an export's name describes:
        RdsEndpointAddressExportName -> STACK:RdsEndpointAddress (compared without case and punctuation)."""
        words = re.sub(r"(export)?(name)?$", "", re.sub(r"[^a-z0-9]", "", parameter.lower()))
        if not words or not re.search(r"export", parameter, re.IGNORECASE):
            return set()
        return {name for names in self.exports.values() for name in names
                if name.count(STACK) == 1 and re.sub(r"[^a-z0-9]", "", name.replace(STACK, "").lower()) == words}

    def deploy(self, index, path, region, created, name=None, depth=0, deployed=None, fill=False, overrides=None):
        """Creates a stack of the template (first the stacks whose exports it imports, each once); None or the failure.
        With fill, parameters whose empty default means "no parent stack" get one too; overrides are parameter values
        an importer needs (an export name built from this parameter)."""
        deployed = {} if deployed is None else deployed
        template = self.templates[path] or {}
        parameters = template.get("Parameters") or {}
        network = self.network(region)
        uses = parameter_uses(template)
        values = {key: value_for(key, definition or {}, network, index, region, uses.get(key, ()))
                  for key, definition in parameters.items() if "Default" not in (definition or {})}
        values = distinct_subnet_ranges(values)
        values.update({key: placeholder for key, definition in parameters.items()
                       if (placeholder := placeholder_network_default(key, definition or {}, network)) is not None})
        # Single-subnet parameters name the network's subnets in turn, as a user gives one subnet per zone,
        subnets = itertools.cycle(["SubnetA", "SubnetB", "SubnetC"])
        values = {key: network[next(subnets)] if value == network["SubnetA"] else value for key, value in values.items()}
        values = distinct_buckets(values)
        keys = mapping_keys(template)
        values = {key: value if (parameters.get(key) or {}).get("AllowedValues") else keys.get(key, value) for key, value in values.items()}
        zones = itertools.cycle("abc")  # and single-zone parameters the region's zones in turn
        values = {key: region + next(zones) if (parameters.get(key) or {}).get("Type") == "AWS::EC2::AvailabilityZone::Name" else value
                  for key, value in values.items()}
        values.update(overrides or {})
        imports = imports_of(template, region)
        # The names the stacks must export, once the stack's own name and the parameters naming other stacks are
        # chosen as the user chooses them: the stack's name is free at the top only.
        own = [needed for parameter in imports for needed in imports[parameter] if SELF in needed]
        name = name or (self.choose(own, SELF, f"corpus{index}", path) if own and depth < 4 else None) or f"corpus{index}"
        needs = set()
        for parameter, needed in imports.items():
            needed = {item.replace(SELF, name) for item in needed}
            if parameter is None:
                needs |= needed
                continue
            # A parameter with a default names the stack to import from; an empty default means "none" (optional).
            default = (overrides or {}).get(parameter) or str((parameters.get(parameter) or {}).get("Default", ""))
            if parameter not in values and not default and not fill:
                continue
            # A parameter that is the whole import name holds an export's name: the export its name describes.
            named = self.named_exports(parameter) if needed == {STACK} else set()
            if named:
                values[parameter] = sorted(named)[0].replace(STACK, f"corpus{index}e{next(self.names)}")
                needs.add(values[parameter])
                continue
            chosen = default or (self.choose(needed, STACK, f"corpus{index}e{next(self.names)}", path) if depth < 4 else None)
            if chosen:  # else the parameter keeps its plausible value (no stack of the corpus exports these names)
                values[parameter] = chosen
                needs |= {item.replace(STACK, chosen) for item in needed}
            elif STACK_NAME.fullmatch(values.get(parameter) or ""):  # names only a stand-in network stack may export
                needs |= {item.replace(STACK, values[parameter]) for item in needed}
        # Exporters are deployed, best first, until every name is covered.
        remaining = set(needs)
        for source, variable, value, names in (self.exporters(needs, path) if depth < 4 else [])[:8]:
            if not remaining & names:
                continue
            given = {variable[3:-1]: value} if variable.startswith("\0P:") else {}
            key = (source, value if variable == STACK else None, tuple(sorted(given.items())))
            if key not in deployed:
                deployed[key] = False  # also what an import cycle finds
                stack_name = value if variable == STACK else f"corpus{index}e{next(self.names)}"
                deployed[key] = self.deploy(index, source, region, created, stack_name, depth + 1, deployed, fill, given) is None
            if deployed[key]:
                remaining -= names
            if not remaining:
                break
        if depth < 4:
            self.stand_in_network(remaining, path, network, region, created, index)
        self.providers(template, values, region)
        self.existing_functions(template, values, region)
        self.existing_event_buses(template, values, region)
        with open(path, encoding="utf-8") as handle:
            body = handle.read()
        # SSM-typed parameters read the parameters the template's prerequisites write; their values count as passed.
        resolved = cfn_prerequisites.supply_ssm_parameters(template, body, region, CONFIG, lambda words, kind: value_for(words, {"Type": kind}, network, index, region),
                                                           self.parameters_made, sub_ssm_references(template, values, region))
        self.existing_buckets(template, {**resolved, **values}, region)
        self.stage_nested(path, template, {**resolved, **values}, region)
        self.publish_applications(path, template)
        self.register_modules(path, template, region)
        self.define_macros(index, path, template, region, created, depth, deployed)
        cfn_prerequisites.stage_code(template, str(self.inside(path)), self.sources,
                                     lambda node: substituted(node, parameters, {**resolved, **values}, region), region, CONFIG,
                                     self.staging_buckets)
        packaged = self.packaged(path, template, body, region)
        name = name or f"corpus{index}"
        cfn = self.cfn(region)
        for answer in range(len(template.get("Rules") or {}) + 2):
            try:
                cfn.create_stack(StackName=name, **packaged, OnFailure="DO_NOTHING",
                                 Parameters=declared_parameters(values, parameters),
                                 Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"])
                break
            except botocore.exceptions.ClientError as error:
                # A rule's assertion refusing the values: answered as the user would, once per rule (and one more).
                changed = cfn_prerequisites.answered(error.response["Error"]["Message"], template, values,
                                                     lambda key, definition: value_for(key, definition, network, index, region))
                if changed is None or changed == values or answer == len(template.get("Rules") or {}) + 1:
                    return f'{error.response["Error"]["Code"]}: {error.response["Error"]["Message"]}'
                values = changed
        stack = settle(cfn, name)
        created.append((region, stack["StackId"]))
        if stack["StackStatus"] == "CREATE_COMPLETE":
            return None
        reasons = [f'{e["ResourceType"]}: {e.get("ResourceStatusReason", "")}' for e in cfn.describe_stack_events(StackName=name)["StackEvents"]
                   if e["ResourceStatus"] == "CREATE_FAILED" and e.get("ResourceStatusReason") != "Resource creation cancelled"]
        return reasons[-1] if reasons else f'{stack["StackStatus"]}: {stack.get("StackStatusReason", "")}'

    def packaged(self, path, template, body, region):
        """TemplateBody (or TemplateURL) of the template as its user deploys it: after `sam package` when it names
        local files (bench/cfn_package.py), the packaged template going by TemplateURL when over CreateStack's 51,200
        bytes, as `sam deploy` sends it."""
        s3 = boto3.client("s3", region_name=region, config=CONFIG)
        bucket = f"corpus-artifacts-{region}"

        def upload(bucket, key, body):
            if bucket not in self.artifact_buckets:
                cfn_prerequisites.ensure_bucket(s3, bucket, region)
                self.artifact_buckets.add(bucket)
            s3.put_object(Bucket=bucket, Key=key, Body=body)
        packaged, changed = Packager(self.corpus_folder, self.sources, upload, bucket, region).package(path, template)
        if not changed:
            return {"TemplateBody": body}
        body = json.dumps(packaged)
        if len(body.encode()) <= 51200:
            return {"TemplateBody": body}
        key = hashlib.md5(body.encode()).hexdigest() + ".template"
        upload(bucket, key, body.encode())
        return {"TemplateURL": f"https://s3.{region}.amazonaws.com/{bucket}/{key}"}

    def existing_buckets(self, template, values, region):
        """A bucket parameter that no AWS::S3::Bucket of the template uses as BucketName names a bucket that must exist:
        one named for a bucket, or one whose value is a property naming a bucket (a logging configuration's
        DestinationBucketName, a trail's S3BucketName), whatever the parameter's own name (`LogBacketName`)."""
        created_names = json.dumps([(resource or {}).get("Properties", {}).get("BucketName") for resource in (template.get("Resources") or {}).values()
                                    if isinstance(resource, dict) and resource.get("Type") == "AWS::S3::Bucket"])
        uses = parameter_uses(template)
        for key, value in values.items():
            # The template creates the bucket when its BucketName uses the parameter (a Ref, or ${Key} in a Fn::Sub).
            used = re.search(rf'"{re.escape(key)}"|\$\{{{re.escape(key)}\}}', created_names)
            names_bucket = any(re.search("bucket", word, re.IGNORECASE) for word in [key, *uses.get(key, ())])
            if names_bucket and not used and re.fullmatch(r"[a-z0-9][a-z0-9.-]{2,62}", value):
                cfn_prerequisites.ensure_bucket(boto3.client("s3", region_name=region, config=CONFIG), value, region)

    def existing_functions(self, template, values, region):
        """A Lambda function the template only refers to (a permission's or event source mapping's FunctionName built
        from a parameter, say its default "my-lambda") must exist, as the template's user deployed it first: the
        benchmark creates it with a stub handler, and deletes it with the template's stacks."""
        client = boto3.client("lambda", region_name=region, config=CONFIG)
        for value in parameter_values(template, values, referenced_functions(template, region), r"[A-Za-z0-9_-]{1,64}"):
            if absent(lambda: client.get_function(FunctionName=value), client.exceptions.ResourceNotFoundException):
                create_function(region, value, STUB_FUNCTION_CODE)
                self.staged_functions.append((region, value))

    def existing_event_buses(self, template, values, region):
        """An EventBridge bus the template only refers to by a parameter (a rule's EventBusName, default "MyEventBus")
        must exist, as the template's user created it first: the benchmark creates it, and deletes it with the
        template's stacks (EventBridge refuses a rule on a missing bus: "Event bus NAME does not exist.")."""
        events = boto3.client("events", region_name=region, config=CONFIG)
        for value in parameter_values(template, values, referenced_event_buses(template, region), r"(?!default$)[A-Za-z0-9._\-/]{1,256}"):
            if absent(lambda: events.describe_event_bus(Name=value), events.exceptions.ResourceNotFoundException):
                events.create_event_bus(Name=value)
                self.staged_buses.append((region, value))

    def stage_nested(self, path, template, values, region):
        """A nested stack's TemplateURL in an S3 bucket gets the corpus's copy of that file from the same repository
        (same name, longest shared path), as the template's user stages the children before creating the parent. A
        URL built with Fn::Sub or Fn::Join from parameters takes the values the deployment passes."""
        repository = self.inside(path).parts[0]
        parameters = template.get("Parameters") or {}
        template = decided(template, values, region)
        for url in nested_urls(template):
            url = substituted(url, parameters, values, region)
            match = S3_URL.fullmatch(url) if isinstance(url, str) else None
            if match is None:
                continue
            bucket, key = (match.group("bucket"), match.group("key")) if match.group("bucket") else match.group("path").split("/", 1)
            if not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", bucket):
                continue  # a placeholder the user replaces ({-INSERT BUCKET NAME-}): nothing to stage
            # self.files holds the corpus's templates and the repository's full tree's (-Sources), which also holds
            # the children the corpus's selection left out (a JSON file opening with # comments, read as YAML).
            copies = ([candidate for candidate in self.files if candidate.parts[0] == repository and candidate.name == pathlib.PurePosixPath(key).name]
                      or submodule_copies(self.files, key))
            if not copies:
                continue
            # The longest shared path wins; between equals, the copy nearest the parent template.
            parent = self.inside(path).parts
            best = max(copies, key=lambda candidate: (len(os.path.commonprefix([list(reversed(candidate.parts)), list(reversed(pathlib.PurePosixPath(key).parts))])),
                                                      len(os.path.commonprefix([list(candidate.parts), list(parent)]))))
            s3 = boto3.client("s3", region_name=FALLBACK_REGION, config=CONFIG)
            if cfn_prerequisites.ensure_bucket(s3, bucket, FALLBACK_REGION):
                self.staging_buckets.append(("bucket", bucket))  # deleted after the template: its own may take the name
            s3.put_object(Bucket=bucket, Key=key, Body=self.located(best).read_bytes())
            # The child's own children and applications, once per child file.
            if best not in self.staged:
                self.staged.add(best)
                child = cfnlint.decode.decode(str(self.located(best)))[0]
                child = child if isinstance(child, dict) else {}
                self.stage_nested(str(self.located(best)), child, {}, region)
                self.publish_applications(str(self.located(best)), child)

    def publish_applications(self, path, template):
        """An AWS::Serverless::Application from the Serverless Application Repository whose source is in the same
        repository (the template whose Metadata AWS::ServerlessRepo::Application names it) is published into
        LocalCloud's catalogue under the id and version the template asks for, as its author had published it; its
        own applications too. An application with no source in the corpus is not invented."""
        repository = self.inside(path).parts[0]
        for resource in (template.get("Resources") or {}).values():
            location = (resource.get("Properties") or {}).get("Location") if isinstance(resource, dict) and resource.get("Type") == "AWS::Serverless::Application" else None
            if not isinstance(location, dict) or not isinstance(location.get("ApplicationId"), str) or not isinstance(location.get("SemanticVersion"), (str, int, float)):
                continue
            application_id, version = location["ApplicationId"], str(location["SemanticVersion"])
            source = self.applications.get((repository, application_id.rsplit("/", 1)[-1]))
            if source is None or (application_id, version) in self.published:
                continue
            self.published.add((application_id, version))
            body = json.dumps({"applicationId": application_id, "semanticVersion": version, "templateBody": self.located(source).read_text(encoding="utf-8")})
            request = urllib.request.Request(os.environ["AWS_ENDPOINT_URL"].rstrip("/") + "/_localcloud/serverlessrepo/applications",
                                             data=body.encode(), method="PUT", headers={"Content-Type": "application/json"})
            urllib.request.urlopen(request, timeout=60).read()
            self.publish_applications(str(self.located(source)), cfnlint.decode.decode(str(self.located(source)))[0] or {})

    def register_modules(self, path, template, region):
        """A module type the template uses (a Type ending in ::MODULE) whose project is in the same repository, the
        nearest folder above the template with a fragments/ folder of one template, is registered as `cfn submit`
        registers it (a zip of schema.json and the fragment, RegisterType), as the module's author does before using
        it. A module with no project in the corpus is not invented."""
        relative = self.inside(path)
        for resource in (template.get("Resources") or {}).values():
            type_name = resource.get("Type") if isinstance(resource, dict) else None
            if not isinstance(type_name, str) or not type_name.endswith("::MODULE") or (region, type_name) in self.registered:
                continue
            fragment = module_fragment(self.files, relative)
            if fragment is None:
                continue
            self.registered.add((region, type_name))
            package = io.BytesIO()
            with zipfile.ZipFile(package, "w") as archive:
                archive.writestr("schema.json", json.dumps({"typeName": type_name, "description": f"Schema for Module Fragment of type {type_name}"}))
                archive.write(self.located(fragment), "fragments/" + fragment.name)
            bucket = f"corpus-module-packages-{region}"
            s3 = boto3.client("s3", region_name=region, config=CONFIG)
            cfn_prerequisites.ensure_bucket(s3, bucket, region)
            key = type_name.replace("::", "-") + ".zip"
            s3.put_object(Bucket=bucket, Key=key, Body=package.getvalue())
            cfn = self.cfn(region)
            token = cfn.register_type(Type="MODULE", TypeName=type_name, SchemaHandlerPackage=f"s3://{bucket}/{key}")["RegistrationToken"]
            for _ in range(100):
                if cfn.describe_type_registration(RegistrationToken=token)["ProgressStatus"] != "IN_PROGRESS":
                    break
                time.sleep(0.1)
    def define_macros(self, index, path, template, region, created, depth, deployed):
        """A macro the template calls (Transform NAME, Fn::Transform) whose definition, an AWS::CloudFormation::Macro of
        that Name, is in the same repository is defined first by deploying the template that declares it (nearest
        folder, same format first), as the macro's user does before using it; without it CloudFormation answers "No
        transform named ACCOUNT::NAME found.". A macro with no definition in the corpus is not invented."""
        inside = self.inside(path)
        for name in sorted(macros_used(template)):
            definers = sorted(self.macros.get((inside.parts[0], name), []),
                              key=lambda candidate: (-len(os.path.commonprefix([list(candidate.parts), list(inside.parts)])),
                                                     candidate.suffix != inside.suffix, str(candidate)))
            for definer in definers[:2]:
                source = str(self.located(definer))
                if source == path or depth >= 4:
                    continue
                if source not in self.templates:
                    self.templates[source] = cfnlint.decode.decode(source)[0]
                    self.exports[source] = exports_of(self.templates[source], REGION)
                    self.imports[source] = imports_of(self.templates[source], REGION)
                if self.deploy(index, source, region, created, f"corpus{index}m{next(self.names)}", depth + 1, deployed) is None:
                    break

    def providers(self, template, values, region):
        """Parameters without a default that name a custom resource's provider get the benchmark's provider function
        (created once per region), as the template's user names the provider they deployed first."""
        wanted = {parameter: form for parameter, form in provider_parameters(template, region).items() if parameter in values}
        if not wanted:
            return
        if region not in self.provider_arns:
            self.provider_arns[region] = create_function(region, PROVIDER_NAME, PROVIDER_CODE)
        for parameter, form in wanted.items():
            values[parameter] = PROVIDER_NAME if form == "name" else self.provider_arns[region]

    def remove(self, created):
        """Deletes the stacks of one template, importers before exporters, so the next template starts clean."""
        for region, stack_id in reversed(created):
            cfn = self.cfn(region)
            found = cfn_prerequisites.leftovers(cfn, stack_id)
            cfn.delete_stack(StackName=stack_id)
            if settle(cfn, stack_id)["StackStatus"] == "DELETE_FAILED" and unprotect(cfn, stack_id, region):
                cfn.delete_stack(StackName=stack_id)
                settle(cfn, stack_id)
            cfn_prerequisites.delete_leftovers(found, region, CONFIG)
        created.clear()
        for region, function in self.staged_functions:
            boto3.client("lambda", region_name=region, config=CONFIG).delete_function(FunctionName=function)
        self.staged_functions.clear()
        for region, bus in self.staged_buses:
            boto3.client("events", region_name=region, config=CONFIG).delete_event_bus(Name=bus)
        self.staged_buses.clear()
        cfn_prerequisites.delete_ssm_parameters(self.parameters_made, CONFIG)
        cfn_prerequisites.delete_leftovers(self.staging_buckets, REGION, CONFIG)
        self.staging_buckets.clear()
        self.staged.clear()  # the staged children's own children went with those buckets: stage them again when needed

    def attempt(self, index, path):
        """The failure, if any. A template that imports from a parent stack its parameter calls optional (an empty
        default) is deployed again with that parent, as its user would."""
        failure, region = self.attempt_in_regions(index, path, fill=False)
        if failure is not None and "No export named" in failure:
            failure, region = self.attempt_in_regions(index, path, fill=True)
        return failure, region

    def attempt_in_regions(self, index, path, fill):
        """The failure in the benchmark's region, else in the fallback region when the template needs another region."""
        created = []
        try:
            failure = self.deploy(index, path, REGION, created, fill=fill)
        finally:
            self.remove(created)
        if failure is None or not REGION_BOUND.search(failure) or REGION == FALLBACK_REGION:
            return failure, REGION
        try:
            failure = self.deploy(index, path, FALLBACK_REGION, created, fill=fill)
        finally:
            self.remove(created)
        region = mapped_region(self.templates[path] or {}, failure)
        if region is None:
            return failure, FALLBACK_REGION
        try:
            return self.deploy(index, path, region, created, fill=fill), region
        finally:
            self.remove(created)


# The custom resource provider a template's user names by a parameter (the function behind a ServiceToken): it answers
# every request SUCCESS, as a provider that the user deployed before the template would. Its physical id is short and
# lowercase, as templates build bucket names (at most 63 characters) from a provider's Ref (a random-string provider's).
PROVIDER_CODE = """import json, urllib.request, uuid
def handler(event, context):
    body = json.dumps({"Status": "SUCCESS", "PhysicalResourceId": event.get("PhysicalResourceId") or uuid.uuid4().hex[:8],
                       "StackId": event["StackId"], "RequestId": event["RequestId"], "LogicalResourceId": event["LogicalResourceId"], "Data": {}}).encode()
    urllib.request.urlopen(urllib.request.Request(event["ResponseURL"], data=body, method="PUT", headers={"Content-Type": ""}), timeout=30).read()
"""
PROVIDER_NAME = "corpus-provider"
LAMBDA_ARN = re.compile(r"arn:aws:lambda:[a-z0-9-]+:\d{12}:function:\0P:([^\0]+)\0")


def provider_parameters(template, region):
    """Parameter -> "name" or "arn": the parameters a custom resource's ServiceToken is built from, a Lambda function's
    name inside an ARN the template writes, or the whole token (an ARN)."""
    parameters = (template or {}).get("Parameters") or {}
    found = {}
    for resource in ((template or {}).get("Resources") or {}).values():
        kind = str(resource.get("Type", "")) if isinstance(resource, dict) else ""
        if kind != "AWS::CloudFormation::CustomResource" and not kind.startswith("Custom::"):
            continue
        rendered = render((resource.get("Properties") or {}).get("ServiceToken"), parameters, region)
        whole = re.fullmatch(r"\0P:([^\0]+)\0", rendered or "")
        named = LAMBDA_ARN.fullmatch(rendered or "")
        if whole:
            found[whole.group(1)] = "arn"
        elif named:
            found[named.group(1)] = "name"
    return found


# The function a template refers to but does not create (existing_functions): a stub its user's function stands for.
STUB_FUNCTION_CODE = """def handler(event, context):
    return {"statusCode": 200, "body": "ok"}
"""
# Resource types whose FunctionName names a function that must exist already.
FUNCTION_USERS = {"AWS::Lambda::Permission", "AWS::Lambda::EventSourceMapping", "AWS::Lambda::EventInvokeConfig", "AWS::Lambda::Url",
                  "AWS::Lambda::Version", "AWS::Lambda::Alias"}


def create_function(region, name, code):
    """A Python function of the benchmark (index.handler in code) under the role corpus-provider; its ARN."""
    iam = boto3.client("iam", region_name=region, config=CONFIG)
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    try:
        role = iam.create_role(RoleName=PROVIDER_NAME, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    except iam.exceptions.EntityAlreadyExistsException:
        role = iam.get_role(RoleName=PROVIDER_NAME)["Role"]["Arn"]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("index.py", code)
    return boto3.client("lambda", region_name=region, config=CONFIG).create_function(
        FunctionName=name, Runtime="python3.12", Role=role, Handler="index.handler", Code={"ZipFile": archive.getvalue()}, Timeout=60)["FunctionArn"]


def referenced_functions(template, region):
    """The parameters whose value is a Lambda function's name (alone or in its ARN) that a FUNCTION_USERS resource
    names and no function of the template creates."""
    parameters = (template or {}).get("Parameters") or {}
    resources = [resource for resource in ((template or {}).get("Resources") or {}).values() if isinstance(resource, dict)]
    def named(resource):
        rendered = render((resource.get("Properties") or {}).get("FunctionName"), parameters, region) or ""
        match = re.fullmatch(r"(?:arn:aws:lambda:[a-z0-9-]+:\d{12}:function:)?\0P:([^\0]+)\0", rendered)
        return match.group(1) if match else None
    created = {named(resource) for resource in resources if resource.get("Type") in ("AWS::Lambda::Function", "AWS::Serverless::Function")}
    return {name for name in (named(resource) for resource in resources if resource.get("Type") in FUNCTION_USERS)
            if name is not None and name not in created}


def parameter_values(template, values, names, pattern):
    """The values (as passed, else the default) of the named parameters that fit pattern."""
    parameters = (template or {}).get("Parameters") or {}
    for name in names:
        value = values.get(name) or default_value(parameters.get(name) or {})
        if value and re.fullmatch(pattern, value):
            yield value


def absent(read, missing):
    """Whether read() fails with the service's not-found error (the resource does not exist)."""
    try:
        read()
        return False
    except missing:
        return True


def referenced_event_buses(template, region):
    """The parameters whose value is an event bus's name (alone or in its ARN) that a property EventBusName names
    (rules, SAM's EventBridgeRule events, archives' buses) and no AWS::Events::EventBus of the template creates."""
    parameters = (template or {}).get("Parameters") or {}
    resources = [resource for resource in ((template or {}).get("Resources") or {}).values() if isinstance(resource, dict)]
    def named(value):
        rendered = render(value, parameters, region) or ""
        match = re.fullmatch(r"(?:arn:aws:events:[a-z0-9-]+:\d{12}:event-bus/)?\0P:([^\0]+)\0", rendered)
        return match.group(1) if match else None
    created = {named((resource.get("Properties") or {}).get("Name")) for resource in resources if resource.get("Type") == "AWS::Events::EventBus"}
    used = {named(node["EventBusName"]) for node in walk(resources) if "EventBusName" in node}
    return {name for name in used if name is not None and name not in created}


def mapping_keys(template):
    """Parameter -> a key of the mapping it selects in Fn::FindInMap (the first top-level key, or the first
    second-level key): a value outside the mapping fails the stack ("Unable to get mapping for ..."), and the user picks
    one of the entries the template's author wrote."""
    mappings = (template or {}).get("Mappings") or {}
    keys = {}
    for node in walk([template.get("Resources") or {}, template.get("Outputs") or {}]):
        arguments = node.get("Fn::FindInMap") if len(node) == 1 else None
        # The mapping's name must be literal here (it may itself be an intrinsic, e.g. !Ref, which picks no entry).
        if (not isinstance(arguments, list) or len(arguments) < 3 or not isinstance(arguments[0], str)
                or not isinstance(mappings.get(arguments[0]), dict) or not mappings[arguments[0]]):
            continue
        mapping = mappings[arguments[0]]
        for position, choices in ((1, mapping), (2, next(iter(mapping.values())))):
            name = arguments[position].get("Ref") if isinstance(arguments[position], dict) and len(arguments[position]) == 1 else None
            if isinstance(name, str) and isinstance(choices, dict) and choices:
                keys.setdefault(name, str(next(iter(choices))))
    return keys


def mapped_region(template, failure):
    """The first region a mapping names when the template failed for want of that mapping's entry in the benchmark's
    regions ("Unable to get mapping for NAME::us-east-1::…"), as its user deploys it where its mappings have values."""
    match = re.search(r"Unable to get mapping for ([^:]+)::", failure or "")
    mapping = ((template.get("Mappings") or {}).get(match.group(1)) if match else None) or {}
    known = set(boto3.session.Session().get_available_regions("cloudformation"))
    return next((key for key in mapping if key in known and key not in (REGION, FALLBACK_REGION)), None)


def nested_urls(template):
    """The TemplateURLs of a template's nested stacks (and SAM applications' S3 Locations), both branches of an Fn::If."""
    for resource in (template.get("Resources") or {}).values():
        if not isinstance(resource, dict):
            continue
        properties = resource.get("Properties") or {}
        url = (properties.get("TemplateURL") if resource.get("Type") == "AWS::CloudFormation::Stack"
               else properties.get("Location") if resource.get("Type") == "AWS::Serverless::Application" and not isinstance(properties.get("Location"), dict) else None)
        branches = url.get("Fn::If") if isinstance(url, dict) and len(url) == 1 else None
        yield from (branches[1:] if isinstance(branches, list) and len(branches) == 3 else [url] if url is not None else [])


def decided(template, values, region):
    """The template with each Fn::If whose condition the parameter values (given, else defaults) decide replaced by
    its branch: a nested TemplateURL often picks its bucket so (Quick Starts' UsingDefaultBucket). Conditions that
    need anything else stay, and nested_urls takes both branches."""
    parameters = template.get("Parameters") or {}
    conditions = template.get("Conditions") or {}

    def operand(node):
        if isinstance(node, (str, int, float, bool)):
            return str(node).lower() if isinstance(node, bool) else str(node)
        name = node.get("Ref") if isinstance(node, dict) and len(node) == 1 else None
        if name == "AWS::Region":
            return region
        return values.get(name) or default_value(parameters.get(name) or {}) if isinstance(name, str) and name in parameters else None

    def holds(node, depth=0):
        if not isinstance(node, dict) or len(node) != 1 or depth > 10:
            return None
        (function, argument), = node.items()
        if function == "Condition":
            return holds(conditions.get(argument), depth + 1) if isinstance(argument, str) else None
        arguments = argument if isinstance(argument, list) else []
        if function == "Fn::Equals" and len(arguments) == 2:
            left, right = operand(arguments[0]), operand(arguments[1])
            return None if left is None or right is None else left == right
        results = [holds(item, depth + 1) for item in arguments]
        if None in results or not results:
            return None
        return {"Fn::Not": not results[0], "Fn::And": all(results), "Fn::Or": any(results)}.get(function)

    def simplify(node):
        if isinstance(node, list):
            return [simplify(item) for item in node]
        if not isinstance(node, dict):
            return node
        branches = node.get("Fn::If") if len(node) == 1 else None
        if isinstance(branches, list) and len(branches) == 3 and isinstance(branches[0], str):
            verdict = holds({"Condition": branches[0]})
            if verdict is not None:
                return simplify(branches[1] if verdict else branches[2])
        return {key: simplify(value) for key, value in node.items()}

    return {**template, "Resources": simplify(template.get("Resources") or {})}


def submodule_copies(files, key):
    """A key under submodules/NAME/ (a git submodule, as Quick Starts nest their shared templates): the corpus's copy of
    the rest of the path in the repository NAME (its folder OWNER+NAME), where `git clone --recursive` would put it."""
    match = re.search(r"(?:^|/)submodules/([^/]+)/(.+)$", key)
    if match is None:
        return []
    rest = pathlib.PurePosixPath(match.group(2)).parts
    return [candidate for candidate in files if candidate.parts[0].split("+", 1)[-1] == match.group(1) and candidate.parts[1:] == rest]


# A top-level Resources section, as the corpus's selection asks (a YAML key at the line's start, or a JSON member).
TOP_LEVEL_RESOURCES = re.compile(r'^(Resources|"Resources")\s*:|^\s*"Resources"\s*:', re.MULTILINE)


def repository_templates(sources_folder, repositories, known):
    """The templates (by their suffix, with a top-level Resources section; paths <owner>+<repo>/...) of the
    repositories' full trees in the sources folder that the corpus does not hold (known). Parameter files of the same
    names (example_parameters/vpc.json) are not templates."""
    if sources_folder is None:
        return []
    found = []
    for repository in sorted(repositories):
        for root, folders, names in os.walk(sources_folder / repository):
            folders[:] = [folder for folder in folders if folder not in (".git", "node_modules")]
            found += [path for path in (pathlib.Path(root, name).relative_to(sources_folder) for name in names
                                        if re.search(r"\.(ya?ml|json|template)$", name))
                      if path not in known and TOP_LEVEL_RESOURCES.search((sources_folder / path).read_text(encoding="utf-8", errors="replace"))]
    return found


def exporting_templates(sources_folder, files):
    """Path -> template, for the files of the full trees with a top-level Resources section and Outputs exporting a
    name (the stacks an importer of the corpus needs deployed first; at most 200 KB, as the corpus's selection)."""
    found = {}
    for relative_path in files:
        path = sources_folder / relative_path
        if path.stat().st_size > 200_000:
            continue
        if "Export" not in path.read_text(encoding="utf-8", errors="replace"):
            continue
        try:
            template = cfnlint.decode.decode(str(path))[0]
        except Exception:  # not a template cfn-lint can read: nobody deploys it
            continue
        if isinstance(template, dict) and isinstance(template.get("Resources"), dict) and exports_of(template, REGION):
            found[str(path)] = template
    return found


def module_fragment(files, template):
    """The fragment of the module project nearest above the template (a folder with fragments/ holding one template), or None."""
    for folder in list(template.parents)[:-1]:
        fragments = [candidate for candidate in files if candidate.parent == folder / "fragments"]
        if len(fragments) == 1:
            return fragments[0]
        if folder == pathlib.Path(template.parts[0]):
            break
    return None


def application_sources(located, files):
    """(repository, application name) -> the file whose Metadata AWS::ServerlessRepo::Application has that Name
    (located(file) -> where it is)."""
    sources = {}
    for relative_path in files:
        text = located(relative_path).read_text(encoding="utf-8", errors="replace")
        if "AWS::ServerlessRepo::Application" not in text:
            continue
        template = cfnlint.decode.decode(str(located(relative_path)))[0] or {}
        name = ((template.get("Metadata") or {}).get("AWS::ServerlessRepo::Application") or {}).get("Name")
        if isinstance(name, str):
            sources.setdefault((relative_path.parts[0], name), relative_path)
    return sources


def macros_used(template):
    """The macro names a template calls: its Transform section's and every Fn::Transform's, AWS's own transforms left out."""
    names = set()

    def called(transform):
        for item in transform if isinstance(transform, list) else [transform]:
            name = item.get("Name") if isinstance(item, dict) else item
            if isinstance(name, str) and not name.startswith("AWS::"):
                names.add(name)

    def visit(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "Fn::Transform":
                    called(value)
                visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)
    called((template or {}).get("Transform"))
    visit((template or {}).get("Resources"))
    visit((template or {}).get("Outputs"))
    return names


def macro_definitions(located, files):
    """(repository, macro name) -> the files that declare an AWS::CloudFormation::Macro of that Name (a literal, or a
    parameter's default), at most 200 KB as the corpus's selection (located(file) -> where it is)."""
    found = collections.defaultdict(list)
    for relative_path in files:
        path = located(relative_path)
        if path.stat().st_size > 200_000 or "AWS::CloudFormation::Macro" not in path.read_text(encoding="utf-8", errors="replace"):
            continue
        try:
            template = cfnlint.decode.decode(str(path))[0] or {}
        except Exception:  # not a template cfn-lint can read: nobody deploys it
            continue
        parameters = template.get("Parameters") or {}
        for resource in (template.get("Resources") or {}).values():
            if not isinstance(resource, dict) or resource.get("Type") != "AWS::CloudFormation::Macro":
                continue
            name = (resource.get("Properties") or {}).get("Name")
            if isinstance(name, dict) and list(name) == ["Ref"]:
                name = default_value(parameters.get(name["Ref"]) or {})
            if isinstance(name, str):
                found[(relative_path.parts[0], name)].append(relative_path)
    return found


# Resource types whose deletion protection (a template's DeletionProtection: true) fails the stack's deletion, and the
# call that turns it off, as the template's user does before deleting the stack again.
PROTECTED = {
    "AWS::RDS::DBInstance": lambda region, name: boto3.client("rds", region_name=region, config=CONFIG).modify_db_instance(
        DBInstanceIdentifier=name, DeletionProtection=False, ApplyImmediately=True),
    "AWS::RDS::DBCluster": lambda region, name: boto3.client("rds", region_name=region, config=CONFIG).modify_db_cluster(
        DBClusterIdentifier=name, DeletionProtection=False, ApplyImmediately=True),
}


def unprotect(cfn, stack_id, region):
    """Turns deletion protection off on the resources whose deletion failed for it; whether any was."""
    failed = [resource for resource in cfn.describe_stack_resources(StackName=stack_id)["StackResources"]
              if resource["ResourceStatus"] == "DELETE_FAILED" and resource["ResourceType"] in PROTECTED and resource.get("PhysicalResourceId")]
    for resource in failed:
        PROTECTED[resource["ResourceType"]](region, resource["PhysicalResourceId"])
    return bool(failed)


def settle(cfn, name):
    for attempt in range(400):
        stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
        if not stack["StackStatus"].endswith("_IN_PROGRESS"):
            return stack
        # After a few seconds, poll less than once a second: an idle LocalCloud then skips its clock to the next
        # pending job, e.g. a resource signal or custom resource timeout (docs/localcloud-cloudformation-signals.md).
        time.sleep(0.1 if attempt < 30 else 1.5)
    return stack


def cause(message):
    """Groups failure messages: ids, names and numbers removed, cut at 110 characters."""
    text = re.sub(r"\[[^\]]*\]", "[…]", message)
    text = re.sub(r"\b[\w-]*\d[\w.-]*\b", "#", text)
    return text[:110]


def relative(name, corpus_folder):
    """A cached template name relative to the corpus folder (older caches held the paths they were run with)."""
    marker = "cfn-corpus" + os.sep
    return name.split(marker, 1)[1] if marker in name else name if not os.path.isabs(name) else os.path.relpath(name, corpus_folder)


def aws_failures(corpus_folder):
    """Template (relative to the corpus) -> why it fails in AWS as well: --failures FILE (the repository's
    tests/cfn-corpus/aws-failures.json), else the corpus folder's aws-failures.json."""
    path = sys.argv[sys.argv.index("--failures") + 1] if "--failures" in sys.argv else os.path.join(corpus_folder, "aws-failures.json")
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def main():
    corpus_folder, verbose = sys.argv[1], "--verbose" in sys.argv
    paths = sorted(os.path.join(root, name) for root, _, names in os.walk(corpus_folder) for name in names
                   if re.search(r"\.(ya?ml|json|template)$", name) and name != "aws-failures.json")
    cache = sys.argv[sys.argv.index("--lint-cache") + 1] if "--lint-cache" in sys.argv else None
    # The cache names templates relative to the corpus folder, so it serves any checkout.
    if cache and os.path.exists(cache):
        with open(cache, encoding="utf-8") as handle:
            errors = {relative(name, corpus_folder): found for name, found in json.load(handle).items()}
    else:
        errors = {os.path.relpath(path, corpus_folder): found for path, found in lint(paths).items()}
        if cache:
            with open(cache, "w", encoding="utf-8") as handle:
                json.dump(errors, handle)
    clean = [path for path in paths if os.path.relpath(path, corpus_folder) not in errors]
    # --only REGEX measures the matching templates alone (the others still serve as exporters, nested templates...).
    only = re.compile(sys.argv[sys.argv.index("--only") + 1]) if "--only" in sys.argv else None
    sources = sys.argv[sys.argv.index("--sources") + 1] if "--sources" in sys.argv else None
    corpus = Corpus(clean, corpus_folder, paths, sources)
    failures, regions = {}, {}
    clean = [path for path in clean if only is None or only.search(os.path.relpath(path, corpus_folder))]
    for index, path in enumerate(clean):
        try:
            failure, region = corpus.attempt(index, path)
        except Exception as error:  # a template the benchmark itself cannot handle counts as not deployed
            failure, region = f"benchmark: {type(error).__name__}: {error}", REGION
        if failure is not None:
            failures[path] = failure
        elif region != REGION:
            regions[path] = region
    deployed = len(clean) - len(failures)
    print(f"templates={len(paths)} cfn_lint_errors={len(errors)}")
    print(f"deployed={deployed} of {len(clean)}")
    # The templates that fail in AWS too (aws-failures.json, reasons in the corpus README) leave the second figure's
    # denominator; one that deploys in LocalCloud anyway is listed, as LocalCloud then accepts what AWS refuses.
    excluded = aws_failures(corpus_folder)
    possible = [path for path in clean if os.path.relpath(path, corpus_folder) not in excluded]
    deployed_possible = sum(1 for path in possible if path not in failures)
    accepted = sorted(os.path.relpath(path, corpus_folder) for path in clean if os.path.relpath(path, corpus_folder) in excluded and path not in failures)
    stale = sorted(set(excluded) - {os.path.relpath(path, corpus_folder) for path in clean})
    for text, count in collections.Counter(cause(message) for message in failures.values()).most_common():
        print(f"  {count:3d}  {text}")
    print(f"deployed in {FALLBACK_REGION} or a region the mappings name (mappings or availability zones without {REGION}): {len(regions)}")
    if verbose:
        for path, region in sorted(regions.items()):
            print(f"{os.path.relpath(path, corpus_folder)}: deployed in {region}")
        for path, message in sorted(failures.items()):
            print(f"{os.path.relpath(path, corpus_folder)}: {message}")
    print(f"excluding the {len(clean) - len(possible)} that fail in AWS too: deployed={deployed_possible} of {len(possible)}, "
          f"deploy_rate_aws_deployable={deployed_possible / len(possible) if possible else 0:.2f}")
    for name in accepted:
        print(f"  listed as failing in AWS, yet deployed in LocalCloud: {name}")
    for name in stale:
        print(f"  listed as failing in AWS, but not a cfn-lint-clean template of the corpus: {name}")
    print(f"deploy_rate={deployed / len(clean) if clean else 0:.2f}")


if __name__ == "__main__":
    main()
