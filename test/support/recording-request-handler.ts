/** An SDK request handler for client tests: answers every request with `answer` (JSON 1.0) and keeps what it was sent. */
import { HttpResponse, type HttpRequest } from '@smithy/core/protocols';
import { Readable } from 'node:stream';

export function recordingHandler(answer = '{}') {
  const sent: HttpRequest[] = [];
  return {
    sent,
    handler: {
      handle: async (request: HttpRequest) => {
        sent.push(request);
        const body = Readable.from([Buffer.from(answer)]);
        return { response: new HttpResponse({ statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body }) };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
    },
  };
}
