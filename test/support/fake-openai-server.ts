/**
 * A small OpenAI-compatible chat-completions server on 127.0.0.1 for tests:
 * it answers `POST /v1/chat/completions` from a script (answers in order, or a
 * function of the request) and keeps every request body it received.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatAnswer {
  status?: number;
  body: unknown;
}

export interface FakeOpenAi {
  /** Base URL including `/v1`, as AIOS_OPENAI_BASE_URL wants it. */
  baseUrl: string;
  requests: Record<string, unknown>[];
  /** Authorization headers received, in order. */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

/** A chat-completions answer with text and/or tool calls. */
export function chatAnswer(options: {
  text?: string | null;
  toolCalls?: { id: string; name: string; arguments: unknown }[];
  finish?: string;
  promptTokens?: number;
  completionTokens?: number;
}): ChatAnswer {
  return {
    body: {
      id: 'chatcmpl-test',
      object: 'chat.completion',
      created: 0,
      model: 'fake',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: options.text ?? null,
            ...(options.toolCalls
              ? {
                  tool_calls: options.toolCalls.map((t) => ({
                    id: t.id,
                    type: 'function',
                    function: { name: t.name, arguments: typeof t.arguments === 'string' ? t.arguments : JSON.stringify(t.arguments) },
                  })),
                }
              : {}),
          },
          finish_reason: options.finish ?? (options.toolCalls ? 'tool_calls' : 'stop'),
        },
      ],
      usage: {
        prompt_tokens: options.promptTokens ?? 11,
        completion_tokens: options.completionTokens ?? 7,
        total_tokens: (options.promptTokens ?? 11) + (options.completionTokens ?? 7),
      },
    },
  };
}

export async function startFakeOpenAi(script: ChatAnswer[] | ((request: Record<string, unknown>) => ChatAnswer)): Promise<FakeOpenAi> {
  const requests: Record<string, unknown>[] = [];
  const authorizations: (string | undefined)[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      requests.push(body);
      authorizations.push(req.headers.authorization);
      const answer = typeof script === 'function' ? script(body) : script.shift();
      if (!answer) {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'the fake has no more scripted answers' } }));
        return;
      }
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
