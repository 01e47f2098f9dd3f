"""Runs many AWS CLI commands in one Python process through the CLI's own driver, exactly as `aws` runs them,
so a test pays the interpreter start-up once instead of once per command.

Usage: <python of the CLI> cli_batch.py COMMANDS.json; LOCALCLOUD_URL and the AWS_* variables come from the
environment. COMMANDS.json is a list of {"id": ..., "args": [...]}; an argument may name a value printed by an
earlier command as {id.Member.Member}. Prints one JSON list of {"id", "exitCode", "output", "error"}.
The AWS CLI v1 runs under this machine's Python 3 (pip awscli), the AWS CLI v2 under /usr/bin/python3 (Debian awscli).
"""
import contextlib
import io
import json
import os
import re
import sys

import awscli.clidriver

REFERENCE = re.compile(r"\{(\w+)((?:\.\w+)+)\}")


def resolve(argument, outputs):
    def value(match):
        node = outputs[match.group(1)]
        for member in match.group(2)[1:].split("."):
            node = node[member]
        return str(node)
    return REFERENCE.sub(value, argument)


def run(driver, command, outputs):
    arguments = [resolve(argument, outputs) for argument in command["args"]]
    arguments += ["--endpoint-url", os.environ["LOCALCLOUD_URL"], "--output", "json"]
    output, error = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(error):
        try:
            exit_code = driver.main(arguments)
        except SystemExit as exit:
            exit_code = exit.code if isinstance(exit.code, int) else 2
    text = output.getvalue()
    if exit_code == 0 and text.strip():
        outputs[command["id"]] = json.loads(text)
    return {"id": command["id"], "exitCode": exit_code, "output": text, "error": error.getvalue()}


def main(path):
    with open(path, encoding="utf-8") as file:
        commands = json.load(file)
    # One driver serves every command, as one interactive `aws` process would: loading it is most of a command's cost.
    driver = awscli.clidriver.create_clidriver()
    outputs = {}
    print(json.dumps([run(driver, command, outputs) for command in commands]))


if __name__ == "__main__":
    main(sys.argv[1])
