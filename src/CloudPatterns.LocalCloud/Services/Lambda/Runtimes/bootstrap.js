// LocalCloud's Node.js runtime for one Lambda execution environment (docs/localcloud-lambda.md, "Python and Node.js"
// and "Execution environments").
// Run by LambdaRuntime as: node bootstrap.js CODE-DIR HANDLER FUNCTION-ARN. Reads one request line per event on
// standard input (EVENT-FILE, RESULT-FILE, REQUEST-ID, TIMEOUT separated by tabs), synchronously, so the environment is
// frozen between events as Lambda freezes it. On the first, loads the handler's module (CommonJS or ES module: the
// init phase, once per environment); an init error writes the error payload and exits with code 3. For each event:
// writes the ready line, calls handler(event, context[, callback]), writes its JSON result or Lambda's Node.js error
// payload, and the done line with 0 or 3 to standard output and standard error. An uncaught exception outside the
// handler's promise ends the environment after answering (exit code 3).
'use strict';
const fs = require('fs');
const path = require('path');
const url = require('url');
const util = require('util');

const READY = '\u001flocalcloud-lambda-handler-starts';
const DONE = '\u001flocalcloud-lambda-handler-done ';
const HANDLER_FAILED = 3;
const [code, handlerName, functionArn] = process.argv.slice(2);
// The event being handled: its files, request id, context, and whether it has its answer.
let turn = { finished: true, requestId: undefined };
let handler;

function finish(exitCode, payload) {
  if (turn.finished) {
    return;
  }
  turn.finished = true;
  fs.writeFileSync(turn.resultFile, payload === undefined ? 'null' : JSON.stringify(payload));
  process.stdout.write(`${DONE}${exitCode}\n`);
  process.stderr.write(`${DONE}${exitCode}\n`);
  setImmediate(next);
}

// One request line from standard input, read synchronously (null at its end).
function readRequest() {
  const bytes = [];
  const one = Buffer.alloc(1);
  for (;;) {
    let count;
    try {
      count = fs.readSync(0, one, 0, 1, null);
    } catch (error) {
      if (error.code === 'EAGAIN') {
        continue;
      }
      if (error.code === 'EOF') {
        return null;
      }
      throw error;
    }
    if (count === 0) {
      return null;
    }
    if (one[0] === 10) {
      return Buffer.from(bytes).toString('utf8');
    }
    bytes.push(one[0]);
  }
}

function errorPayload(error) {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, trace: String(error.stack || '').split('\n') };
  }
  return { errorType: 'string', errorMessage: typeof error === 'string' ? error : JSON.stringify(error), trace: [] };
}

function fail(error) {
  const payload = errorPayload(error);
  process.stderr.write(`${new Date().toISOString()}\t${turn.requestId}\tERROR\tInvoke Error \t${JSON.stringify(payload)}\n`);
  finish(HANDLER_FAILED, payload);
}

// An error outside the handler's own promise: the event's answer, then the environment ends.
function failAndExit(error) {
  const payload = errorPayload(error);
  process.stderr.write(`${new Date().toISOString()}\t${turn.requestId}\tERROR\tUncaught Exception \t${JSON.stringify(payload)}\n`);
  if (!turn.finished) {
    fs.writeFileSync(turn.resultFile, JSON.stringify(payload));
  }
  process.exit(HANDLER_FAILED);
}

function failInit(errorType, message) {
  const payload = { errorType, errorMessage: message, trace: [] };
  process.stderr.write(`${new Date().toISOString()}\tundefined\tERROR\tUncaught Exception \t${JSON.stringify(payload)}\n`);
  fs.writeFileSync(turn.resultFile, JSON.stringify(payload));
  process.exit(HANDLER_FAILED);
}

// Lambda's Node.js runtime prefixes each console line with the time, the request id and the level.
for (const [method, level] of [['log', 'INFO'], ['info', 'INFO'], ['warn', 'WARN'], ['error', 'ERROR'], ['debug', 'DEBUG']]) {
  console[method] = (...args) => {
    const stream = level === 'ERROR' || level === 'WARN' ? process.stderr : process.stdout;
    stream.write(`${new Date().toISOString()}\t${turn.requestId}\t${level}\t${util.format(...args)}\n`);
  };
}

// CloudFormation's ResponseURL is an https pre-signed S3 URL, and AWS's cfn-response module, which Node.js providers
// bundle, opens it with https on port 443 whatever the URL says. LocalCloud's ResponseURL is http on its own port:
// https requests for its custom-response path go there (docs/localcloud-lambda.md, "Custom resource responses").
const https = require('https');
const httpsRequest = https.request;
https.request = function request(options, ...rest) {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (endpoint && options && typeof options === 'object' && !(options instanceof url.URL) && typeof options.path === 'string'
      && options.path.startsWith('/_localcloud/cloudformation/custom-responses/')) {
    const local = new url.URL(endpoint);
    return require('http').request({ ...options, protocol: 'http:', host: undefined, hostname: local.hostname, port: local.port }, ...rest);
  }
  return httpsRequest.call(this, options, ...rest);
};

async function load() {
  const dot = handlerName.lastIndexOf('.');
  if (dot <= 0) {
    failInit('Runtime.MalformedHandlerName', `Bad handler ${handlerName}`);
  }
  const moduleName = handlerName.slice(0, dot);
  const functionName = handlerName.slice(dot + 1);
  const base = path.resolve(code, moduleName);
  const file = ['.js', '.mjs', '.cjs'].map((extension) => base + extension).find((candidate) => fs.existsSync(candidate));
  if (!file) {
    failInit('Runtime.ImportModuleError', `Error: Cannot find module '${moduleName}'`);
  }
  let loaded;
  try {
    loaded = file.endsWith('.mjs') ? await import(url.pathToFileURL(file).href) : require(file);
  } catch (error) {
    if (error && error.code === 'ERR_REQUIRE_ESM') {
      loaded = await import(url.pathToFileURL(file).href);
    } else if (error instanceof SyntaxError) {
      failInit('Runtime.UserCodeSyntaxError', `${error.name}: ${error.message}`);
    } else {
      failInit('Runtime.ImportModuleError', `${error && error.name}: ${error && error.message}`);
    }
  }
  const handler = loaded && (loaded[functionName] || (loaded.default && loaded.default[functionName]));
  if (typeof handler !== 'function') {
    failInit('Runtime.HandlerNotFound', `${handlerName} is undefined or not exported`);
  }
  return handler;
}

async function run(request) {
  const [eventFile, resultFile, requestId, timeout] = request.split('\t');
  turn = { finished: false, requestId, resultFile, callbackCalled: false, callbackResult: undefined };
  const current = turn;
  if (!handler) {
    handler = await load();
  }
  const event = JSON.parse(fs.readFileSync(eventFile, 'utf8'));
  const deadline = Date.now() + Number(timeout) * 1000;
  const callback = (error, result) => {
    if (current !== turn) {
      return;
    }
    current.callbackCalled = true;
    if (error !== undefined && error !== null) {
      fail(error);
    } else if (!context.callbackWaitsForEmptyEventLoop) {
      finish(0, result);
    } else {
      current.callbackResult = result;
    }
  };
  const context = {
    awsRequestId: requestId,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: functionArn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    // The legacy completion methods, which cfn-response calls: they end the invocation at once.
    done: (error, result) => (error !== undefined && error !== null ? fail(error) : finish(0, result)),
    succeed: (result) => finish(0, result),
    fail: (error) => fail(error),
  };
  process.stdout.write(READY + '\n');
  let returned;
  try {
    returned = handler(event, context, callback);
  } catch (error) {
    fail(error);
  }
  if (returned && typeof returned.then === 'function') {
    try {
      finish(0, await returned);
    } catch (error) {
      fail(error);
    }
  }
}

// Takes the next event; at the end of standard input the environment shuts down.
function next() {
  const request = readRequest();
  if (request === null) {
    process.exit(0);
  }
  run(request).catch(failAndExit);
}

process.on('uncaughtException', failAndExit);
process.on('unhandledRejection', failAndExit);
// A callback-style handler answers when the event loop empties (callbackWaitsForEmptyEventLoop), as Lambda does.
process.on('beforeExit', () => finish(0, turn.callbackCalled ? turn.callbackResult : null));
process.chdir(code);
next();
