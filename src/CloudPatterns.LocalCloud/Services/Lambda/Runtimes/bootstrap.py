"""LocalCloud's Python runtime for one Lambda execution environment (docs/localcloud-lambda.md, "Python and Node.js"
and "Execution environments").

Run by LambdaRuntime as: python3 bootstrap.py CODE-DIR HANDLER FUNCTION-ARN. Reads one request line per event on
standard input (EVENT-FILE, RESULT-FILE, REQUEST-ID, TIMEOUT separated by tabs). On the first, imports the handler's
module from the unpacked code (the init phase, once per environment: module state survives between events); an init
error writes Lambda's Python error payload and exits with code 3. For each event: writes the ready line, calls
handler(event, context), writes its JSON result or the error payload, and the done line with 0 or 3 to standard
output and standard error.
"""
import json
import os
import sys
import time
import traceback

READY = "\x1flocalcloud-lambda-handler-starts"
DONE = "\x1flocalcloud-lambda-handler-done "
HANDLER_FAILED = 3


class LambdaContext:
    """The context object Lambda passes to Python handlers."""

    def __init__(self, request_id, timeout_seconds, function_arn):
        self.aws_request_id = request_id
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.invoked_function_arn = function_arn
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self.identity = None
        self.client_context = None
        self._deadline = time.monotonic() + timeout_seconds

    def get_remaining_time_in_millis(self):
        return max(0, int((self._deadline - time.monotonic()) * 1000))


class InitError(Exception):
    """The handler cannot be loaded: the environment ends after answering the event."""


def write_error(result_file, error_type, message, request_id=None, stack=None):
    payload = {"errorMessage": message, "errorType": error_type}
    if request_id:
        payload["requestId"] = request_id
    payload["stackTrace"] = stack or []
    print(f"[ERROR] {error_type}: {message}", file=sys.stderr, flush=True)
    with open(result_file, "w", encoding="utf-8") as out:
        json.dump(payload, out)
    return HANDLER_FAILED


def fail(result_file, error_type, message):
    write_error(result_file, error_type, message)
    raise InitError()


def load(code, handler, result_file):
    module_name, _, function_name = handler.rpartition(".")
    if not module_name or not function_name:
        fail(result_file, "Runtime.MalformedHandlerName", f"Bad handler '{handler}': not enough values to unpack (expected 2, got 1)")
    sys.path.insert(0, code)
    try:
        module = __import__(module_name.replace("/", "."), fromlist=["_"])
    except SyntaxError as error:
        fail(result_file, "Runtime.UserCodeSyntaxError", f"Syntax error in module '{module_name}': {error}")
    except ImportError as error:
        fail(result_file, "Runtime.ImportModuleError", f"Unable to import module '{module_name}': {error}")
    function = getattr(module, function_name, None)
    if not callable(function):
        fail(result_file, "Runtime.HandlerNotFound", f"Handler '{function_name}' missing on module '{module_name}'")
    return function


def invoke(function, event_file, result_file, request_id, timeout, function_arn):
    with open(event_file, encoding="utf-8") as source:
        event = json.load(source)
    context = LambdaContext(request_id, float(timeout), function_arn)
    print(READY, flush=True)
    try:
        result = function(event, context)
    except Exception as error:  # the handler's failure is the invocation's answer
        stack = traceback.format_list(traceback.extract_tb(error.__traceback__)[1:])
        return write_error(result_file, type(error).__name__, str(error), request_id, stack)
    try:
        text = json.dumps(result)
    except (TypeError, ValueError) as error:
        return write_error(result_file, "Runtime.MarshalError", f"Unable to marshal response: {error}", request_id)
    with open(result_file, "w", encoding="utf-8") as out:
        out.write(text)
    return 0


def main():
    code, handler, function_arn = sys.argv[1:4]
    os.chdir(code)
    function = None
    while True:
        line = sys.stdin.readline()
        if not line:
            return
        event_file, result_file, request_id, timeout = line.rstrip("\n").split("\t")
        if function is None:
            try:
                function = load(code, handler, result_file)
            except InitError:
                sys.exit(HANDLER_FAILED)
        status = invoke(function, event_file, result_file, request_id, timeout, function_arn)
        sys.stdout.flush()
        print(DONE + str(status), flush=True)
        print(DONE + str(status), file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
