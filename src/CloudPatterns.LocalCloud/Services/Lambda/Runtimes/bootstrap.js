// LocalCloud's Node.js runtime for one Lambda invocation (docs/localcloud-lambda.md, "Python and Node.js").
// Run by LambdaRuntime as: node bootstrap.js CODE-DIR HANDLER EVENT-FILE RESULT-FILE REQUEST-ID TIMEOUT FUNCTION-ARN
// Loads the handler's module (CommonJS or ES module), writes the ready line, calls handler(event, context[, callback])
// and writes its JSON result, or Lambda's Node.js error payload with exit code 3.
'use strict';
const fs = require('fs');
const path = require('path');
const url = require('url');
const util = require('util');

const READY = '\u001flocalcloud-lambda-handler-starts';
const HANDLER_FAILED = 3;
const [code, handlerName, eventFile, resultFile, requestId, timeout, functionArn] = process.argv.slice(2);
let finished = false;

function finish(exitCode, payload) {
  if (finished) {
    return;
  }
  finished = true;
  fs.writeFileSync(resultFile, payload === undefined ? 'null' : JSON.stringify(payload));
  process.exit(exitCode);
}

function errorPayload(error) {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, trace: String(error.stack || '').split('\n') };
  }
  return { errorType: 'string', errorMessage: typeof error === 'string' ? error : JSON.stringify(error), trace: [] };
}

function fail(error) {
  const payload = errorPayload(error);
  process.stderr.write(`${new Date().toISOString()}\t${requestId}\tERROR\tInvoke Error \t${JSON.stringify(payload)}\n`);
  finish(HANDLER_FAILED, payload);
}

function failInit(errorType, message) {
  const payload = { errorType, errorMessage: message, trace: [] };
  process.stderr.write(`${new Date().toISOString()}\tundefined\tERROR\tUncaught Exception \t${JSON.stringify(payload)}\n`);
  finish(HANDLER_FAILED, payload);
}

// Lambda's Node.js runtime prefixes each console line with the time, the request id and the level.
for (const [method, level] of [['log', 'INFO'], ['info', 'INFO'], ['warn', 'WARN'], ['error', 'ERROR'], ['debug', 'DEBUG']]) {
  console[method] = (...args) => {
    const stream = level === 'ERROR' || level === 'WARN' ? process.stderr : process.stdout;
    stream.write(`${new Date().toISOString()}\t${requestId}\t${level}\t${util.format(...args)}\n`);
  };
}

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

async function main() {
  process.chdir(code);
  const handler = await load();
  const event = JSON.parse(fs.readFileSync(eventFile, 'utf8'));
  const deadline = Date.now() + Number(timeout) * 1000;
  let callbackResult;
  let callbackCalled = false;
  const callback = (error, result) => {
    callbackCalled = true;
    if (error !== undefined && error !== null) {
      fail(error);
    } else if (!context.callbackWaitsForEmptyEventLoop) {
      finish(0, result);
    } else {
      callbackResult = result;
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
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  // A callback-style handler answers when the event loop empties (callbackWaitsForEmptyEventLoop), as Lambda does.
  process.on('beforeExit', () => finish(0, callbackCalled ? callbackResult : null));
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

main().catch(fail);
