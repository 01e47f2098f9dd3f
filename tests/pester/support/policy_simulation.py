"""Minimality by simulation (docs/least-privilege.md): which parts of a role's policy a flow needed, asked of
LocalCloud's own evaluator through IAM's SimulateCustomPolicy with the requests the flow made.

Usage: python3 policy_simulation.py <endpoint> <input.json>
The input: {"by": "statement" | "action", "accounts": [{"policy": <the role's policy document in that account>,
            "checks": [{"action", "resource", "context": {key: [values]}}]}, ...]}; instead of "policy", an account
            may give "account" and "role": the role's inline policies there, read from IAM (a role a stack made).
The checks are the flow's authorizations that the role's identity policy decided (request log Checks), per account
the role is in (a policy names its account's resources). For each statement (or each action), the account's policy
without it is simulated on every check its actions match; prints {"<Sid or action>": {"action", "resource",
"decision"} of the first check refused in any account, or null when none is}.
Credentials: the management account's, from the environment (Start-CloudSandbox sets them).
"""
import fnmatch
import json
import sys

from sandbox_clients import sandbox_client


def matches(patterns, action):
    return any(fnmatch.fnmatchcase(action.lower(), pattern.lower()) for pattern in patterns)


def as_list(value):
    return value if isinstance(value, list) else [value]


def without_statement(policy, sid):
    return [statement for statement in policy["Statement"] if statement.get("Sid") != sid]


def without_action(policy, action):
    statements = []
    for statement in policy["Statement"]:
        kept = [each for each in as_list(statement["Action"]) if each != action]
        if kept:
            statements.append(dict(statement, Action=kept))
    return statements


def context_entries(context):
    entries = []
    for key, values in context.items():
        values = as_list(values)
        if values:
            entries.append({"ContextKeyName": key, "ContextKeyValues": values, "ContextKeyType": "string" if len(values) == 1 else "stringList"})
    return entries


def first_refused(iam, policy, statements, checks):
    document = json.dumps({"Version": policy.get("Version", "2012-10-17"), "Statement": statements})
    for check in checks:
        if not statements:
            return dict(check, decision="implicitDeny")
        result = iam.simulate_custom_policy(PolicyInputList=[document], ActionNames=[check["action"]],
                                            ResourceArns=[check["resource"]], ContextEntries=context_entries(check["context"]))
        decision = result["EvaluationResults"][0]["EvalDecision"]
        if decision != "allowed":
            return {"action": check["action"], "resource": check["resource"], "decision": decision}
    return None


def removals(policy, by):
    """Each part of the policy that can be taken away: (its name, the actions it grants, the statements without it)."""
    if by == "statement":
        return [(statement["Sid"], as_list(statement["Action"]), without_statement(policy, statement["Sid"])) for statement in policy["Statement"]]
    actions = sorted({each for statement in policy["Statement"] for each in as_list(statement["Action"])})
    return [(action, [action], without_action(policy, action)) for action in actions]


def role_policy(endpoint, account, role):
    """The statements of every inline policy of a role, as one document."""
    iam = sandbox_client(endpoint, "iam", "us-east-1", account)
    statements = []
    for name in iam.list_role_policies(RoleName=role)["PolicyNames"]:
        statements += as_list(iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]["Statement"])
    return {"Version": "2012-10-17", "Statement": statements}


def main():
    with open(sys.argv[2], encoding="utf-8") as source:
        given = json.load(source)
    iam = sandbox_client(sys.argv[1], "iam", "us-east-1")
    answers = {}
    for account in given["accounts"]:
        policy = account["policy"] if "policy" in account else role_policy(sys.argv[1], account["account"], account["role"])
        unique = {}
        for check in account["checks"]:
            unique.setdefault(json.dumps([check["action"], check["resource"], check["context"]], sort_keys=True), check)
        for name, actions, statements in removals(policy, given["by"]):
            if answers.get(name) is None:
                affected = [check for check in unique.values() if matches(actions, check["action"])]
                answers[name] = first_refused(iam, policy, statements, affected)
    print(json.dumps(answers))


main()
