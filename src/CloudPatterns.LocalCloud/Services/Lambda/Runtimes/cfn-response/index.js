// LocalCloud's cfn-response: what Lambda provides to inline (ZipFile) Node.js code of CloudFormation custom resources.
// send() PUTs the custom resource response to the request's pre-signed ResponseURL, then ends the invocation
// with context.done() (docs/localcloud-lambda.md).
'use strict';
exports.SUCCESS = 'SUCCESS';
exports.FAILED = 'FAILED';

exports.send = function send(event, context, responseStatus, responseData, physicalResourceId, noEcho) {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({
      Status: responseStatus,
      Reason: `See the details in CloudWatch Log Stream: ${context.logStreamName}`,
      PhysicalResourceId: physicalResourceId || context.logStreamName,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
      NoEcho: noEcho || false,
      Data: responseData,
    });
    // A NoEcho response's data stays out of the log.
    console.log('Response body:\n', noEcho ? '(NoEcho: not shown)' : body);
    const target = new URL(event.ResponseURL);
    const transport = target.protocol === 'https:' ? require('https') : require('http');
    const request = transport.request({
      hostname: target.hostname,
      port: target.port || undefined,
      path: target.pathname + target.search,
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
    }, (response) => {
      console.log('Status code: ' + response.statusCode);
      response.resume();
      resolve();
      context.done();
    });
    request.on('error', (error) => {
      console.log('send(..) failed executing https.request(..): ' + error);
      reject(error);
      context.done();
    });
    request.write(body);
    request.end();
  });
};
