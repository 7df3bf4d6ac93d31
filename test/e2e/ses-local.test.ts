/**
 * The local SES v2 endpoint driven by the real SESv2Client from the client
 * factory: simple text, HTML + text, raw MIME, attachments, the error
 * classes the SDK maps, the `.eml` outbox, and a real SMTP round trip
 * (smtp-server on 127.0.0.1 receives, mailparser parses).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { BadRequestException, MessageRejected, NotFoundException, SendEmailCommand, type SendEmailCommandInput, type SESv2Client } from '@aws-sdk/client-sesv2';
import { Hono } from 'hono';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createSesApp } from '../../local/ses/ses-app';
import type { DeliveryRecord } from '../../local/ses/outbox';
import { startLocalHttpServer, type RunningServer } from '../../local/server/local-http-server';
import { createAwsClients } from '../../shared/aws/clients';

interface Received {
  from: string;
  to: string[];
  mail: ParsedMail;
}

let dataDir: string;
let server: RunningServer;
let client: SESv2Client;

function outboxFiles(dir = dataDir): string[] {
  return readdirSync(path.join(dir, 'outbox'))
    .filter((f) => f.endsWith('.eml'))
    .sort();
}

function readEml(messageId: string, dir = dataDir): string {
  const file = outboxFiles(dir).find((f) => f.includes(messageId));
  if (!file) throw new Error(`no .eml for ${messageId} in ${outboxFiles(dir).join(', ')}`);
  return readFileSync(path.join(dir, 'outbox', file), 'utf8');
}

async function parsedEml(messageId: string): Promise<ParsedMail> {
  return simpleParser(readEml(messageId));
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  if (!field) return [];
  return (Array.isArray(field) ? field : [field]).flatMap((a) => a.value.map((v) => v.address ?? ''));
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'aios-ses-'));
  const app = new Hono();
  app.route('/', createSesApp({ dataDir, smtpUrl: null }));
  server = await startLocalHttpServer({ services: [], rest: app });
  client = createAwsClients({ endpoint: server.url, region: 'us-east-1' }, {}).sesV2();
});

afterAll(async () => {
  client.destroy();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const from = 'Kestrel Coffee <hello@kestrel.coffee>';

describe('SendEmail with simple content', () => {
  it('writes a plain-text message to the outbox and answers its MessageId', async () => {
    const out = await client.send(
      new SendEmailCommand({
        FromEmailAddress: from,
        Destination: { ToAddresses: ['ana@example.com'], CcAddresses: ['sam@kestrel.coffee'] },
        ReplyToAddresses: ['support@kestrel.coffee'],
        Content: {
          Simple: {
            Subject: { Data: 'Your order #1042 — refund issued', Charset: 'UTF-8' },
            Body: { Text: { Data: 'Hi Ana,\nwe refunded $18.50. Café ☕ on us.', Charset: 'UTF-8' } },
          },
        },
        EmailTags: [{ Name: 'aios-run', Value: 'run-1' }],
      }),
    );
    expect(out.MessageId).toMatch(/^[0-9a-f]{16}-[0-9a-f-]{36}-000000$/);
    const eml = readEml(out.MessageId!);
    expect(eml).toContain(`X-Aios-Ses-Message-Id: ${out.MessageId}`);
    expect(eml).toContain('X-Aios-Email-Tags: aios-run=run-1');
    const mail = await parsedEml(out.MessageId!);
    expect(mail.subject).toBe('Your order #1042 — refund issued');
    expect(mail.text?.trimEnd()).toBe('Hi Ana,\nwe refunded $18.50. Café ☕ on us.');
    expect(mail.html).toBe(false);
    expect(addresses(mail.from)).toEqual(['hello@kestrel.coffee']);
    expect(addresses(mail.to)).toEqual(['ana@example.com']);
    expect(addresses(mail.cc)).toEqual(['sam@kestrel.coffee']);
    expect(addresses(mail.replyTo)).toEqual(['support@kestrel.coffee']);
    expect(mail.messageId).toBe(`<${out.MessageId}@aios.local>`);
  });

  it('builds multipart/alternative from HTML and text, keeps Bcc out of the message but in the envelope trace', async () => {
    const out = await client.send(
      new SendEmailCommand({
        FromEmailAddress: from,
        Destination: { ToAddresses: ['ana@example.com'], BccAddresses: ['audit@kestrel.coffee'] },
        Content: {
          Simple: {
            Subject: { Data: 'Weekly roast' },
            Body: { Text: { Data: 'Ethiopia Guji this week.' }, Html: { Data: '<p>Ethiopia <b>Guji</b> this week.</p>' } },
            Headers: [{ Name: 'X-Campaign', Value: 'weekly-roast' }],
          },
        },
      }),
    );
    const eml = readEml(out.MessageId!);
    expect(eml).toMatch(/Content-Type: multipart\/alternative;/i);
    expect(eml).not.toMatch(/^Bcc:/im);
    expect(eml).toContain('X-Aios-Envelope-To: <ana@example.com>, <audit@kestrel.coffee>');
    const mail = await parsedEml(out.MessageId!);
    expect(mail.text?.trim()).toBe('Ethiopia Guji this week.');
    expect(mail.html).toBe('<p>Ethiopia <b>Guji</b> this week.</p>');
    expect(mail.headers.get('x-campaign')).toBe('weekly-roast');
  });

  it('attaches files given as RawContent', async () => {
    const csv = 'order,amount\n1042,18.50\n';
    const out = await client.send(
      new SendEmailCommand({
        FromEmailAddress: from,
        Destination: { ToAddresses: ['priya@kestrel.coffee'] },
        Content: {
          Simple: {
            Subject: { Data: 'Refunds' },
            Body: { Text: { Data: 'Attached.' } },
            Attachments: [{ FileName: 'refunds.csv', ContentType: 'text/csv', RawContent: Buffer.from(csv) }],
          },
        },
      }),
    );
    const mail = await parsedEml(out.MessageId!);
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0].filename).toBe('refunds.csv');
    expect(mail.attachments[0].content.toString()).toBe(csv);
  });

  it('names files so that a directory listing is in sending order', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const out = await client.send(
        new SendEmailCommand({
          FromEmailAddress: from,
          Destination: { ToAddresses: ['a@example.com'] },
          Content: { Simple: { Subject: { Data: `n${i}` }, Body: { Text: { Data: 'x' } } } },
        }),
      );
      ids.push(out.MessageId!);
    }
    const listed = outboxFiles().filter((f) => ids.some((id) => f.includes(id)));
    expect(listed.map((f) => ids.findIndex((id) => f.includes(id)))).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('SendEmail with raw content', () => {
  const raw = [
    'From: Sam Ortiz <sam@kestrel.coffee>',
    'To: ana@example.com',
    'Subject: Re: torn bag',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Sorry about the bag, a new one ships today.',
    '',
  ].join('\r\n');

  it('stores the message as given and takes recipients from its headers', async () => {
    const out = await client.send(new SendEmailCommand({ Content: { Raw: { Data: Buffer.from(raw) } } }));
    const eml = readEml(out.MessageId!);
    expect(eml).toContain('X-Aios-Envelope-From: <sam@kestrel.coffee>');
    expect(eml).toContain('X-Aios-Envelope-To: <ana@example.com>');
    const mail = await parsedEml(out.MessageId!);
    expect(mail.subject).toBe('Re: torn bag');
    expect(mail.text?.trim()).toBe('Sorry about the bag, a new one ships today.');
    expect(mail.messageId).toBe(`<${out.MessageId}@aios.local>`);
  });

  it('sends to the Destination when one is given', async () => {
    const out = await client.send(new SendEmailCommand({ Destination: { ToAddresses: ['other@example.com'] }, Content: { Raw: { Data: Buffer.from(raw) } } }));
    expect(readEml(out.MessageId!)).toContain('X-Aios-Envelope-To: <other@example.com>');
  });
});

describe('SendEmail errors map to the SDK exception classes', () => {
  const simple: SendEmailCommandInput['Content'] = { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } } };

  async function failure(input: SendEmailCommandInput): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
    const before = readdirSync(path.join(dataDir, 'outbox')).length;
    const error = await client.send(new SendEmailCommand(input)).then(
      () => {
        throw new Error('expected SendEmail to fail');
      },
      (e: Error) => e,
    );
    expect(readdirSync(path.join(dataDir, 'outbox')).length).toBe(before);
    return error;
  }

  it('BadRequestException for a missing destination', async () => {
    const error = await failure({ FromEmailAddress: from, Content: simple });
    expect(error).toBeInstanceOf(BadRequestException);
    expect(error.message).toMatch(/Destination/);
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it('BadRequestException for missing content', async () => {
    const error = await failure({ FromEmailAddress: from, Destination: { ToAddresses: ['a@example.com'] } } as SendEmailCommandInput);
    expect(error).toBeInstanceOf(BadRequestException);
    expect(error.message).toMatch(/Content/);
  });

  it('BadRequestException for a missing sender and for an illegal address', async () => {
    expect(await failure({ Destination: { ToAddresses: ['a@example.com'] }, Content: simple })).toBeInstanceOf(BadRequestException);
    const error = await failure({ FromEmailAddress: from, Destination: { ToAddresses: ['not-an-address'] }, Content: simple });
    expect(error).toBeInstanceOf(BadRequestException);
    expect(error.message).toContain('not-an-address');
  });

  it('BadRequestException for raw content with no recipients anywhere', async () => {
    const error = await failure({ Content: { Raw: { Data: Buffer.from('From: a@example.com\r\nSubject: x\r\n\r\nbody') } } });
    expect(error).toBeInstanceOf(BadRequestException);
  });

  it('MessageRejected for more than 50 recipients', async () => {
    const many = Array.from({ length: 51 }, (_, i) => `r${i}@example.com`);
    const error = await failure({ FromEmailAddress: from, Destination: { ToAddresses: many }, Content: simple });
    expect(error).toBeInstanceOf(MessageRejected);
  });

  it('NotFoundException for a template (the local SES stores none)', async () => {
    const error = await failure({
      FromEmailAddress: from,
      Destination: { ToAddresses: ['a@example.com'] },
      Content: { Template: { TemplateName: 'welcome', TemplateData: '{}' } },
    });
    expect(error).toBeInstanceOf(NotFoundException);
    expect(error.$metadata?.httpStatusCode).toBe(404);
  });
});

describe('SMTP delivery', () => {
  let smtp: SMTPServer;
  let smtpPort: number;
  const received: Received[] = [];

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        simpleParser(stream).then(
          (mail) => {
            received.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              mail,
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    smtpPort = (smtp.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  async function withSesApp<T>(smtpUrl: string, run: (client: SESv2Client, dir: string, next: () => Promise<DeliveryRecord>) => Promise<T>): Promise<T> {
    const dir = mkdtempSync(path.join(tmpdir(), 'aios-ses-smtp-'));
    const waiting: ((r: DeliveryRecord) => void)[] = [];
    const done: DeliveryRecord[] = [];
    const logged: string[] = [];
    const app = new Hono();
    app.route(
      '/',
      createSesApp({
        dataDir: dir,
        smtpUrl,
        log: (line) => logged.push(line),
        onDelivery: (r) => {
          const w = waiting.shift();
          if (w) w(r);
          else done.push(r);
        },
      }),
    );
    const s = await startLocalHttpServer({ services: [], rest: app });
    const c = createAwsClients({ endpoint: s.url, region: 'us-east-1' }, {}).sesV2();
    const next = () => (done.length ? Promise.resolve(done.shift()!) : new Promise<DeliveryRecord>((resolve) => waiting.push(resolve)));
    try {
      return await run(c, dir, next);
    } finally {
      c.destroy();
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('delivers HTML + text mail with Bcc to a real SMTP server', async () => {
    await withSesApp(`smtp://127.0.0.1:${smtpPort}`, async (c, dir, next) => {
      const out = await c.send(
        new SendEmailCommand({
          FromEmailAddress: 'Kestrel Coffee <hello@kestrel.coffee>',
          Destination: { ToAddresses: ['Ana Lima <ana@example.com>'], BccAddresses: ['maya@kestrel.coffee'] },
          Content: {
            Simple: {
              Subject: { Data: 'Approval needed: refund $120' },
              Body: { Text: { Data: 'Open the link to decide.' }, Html: { Data: '<p>Open the <a href="http://127.0.0.1/a/1">link</a> to decide.</p>' } },
            },
          },
        }),
      );
      const record = await next();
      expect(record).toMatchObject({ messageId: out.MessageId, status: 'delivered', accepted: ['ana@example.com', 'maya@kestrel.coffee'] });
      const got = received.at(-1)!;
      expect(got.from).toBe('hello@kestrel.coffee');
      expect(got.to).toEqual(['ana@example.com', 'maya@kestrel.coffee']);
      expect(got.mail.subject).toBe('Approval needed: refund $120');
      expect(got.mail.text?.trim()).toBe('Open the link to decide.');
      expect(got.mail.html).toBe('<p>Open the <a href="http://127.0.0.1/a/1">link</a> to decide.</p>');
      expect(addresses(got.mail.to)).toEqual(['ana@example.com']);
      expect(got.mail.headers.has('bcc')).toBe(false);
      // The outbox trace headers are for the local record only.
      expect(got.mail.headers.has('x-aios-envelope-to')).toBe(false);
      expect(got.mail.messageId).toBe(`<${out.MessageId}@aios.local>`);
      const log = readFileSync(path.join(dir, 'outbox', 'deliveries.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as DeliveryRecord);
      expect(log).toEqual([record]);
    });
  });

  it('delivers raw mail as given', async () => {
    await withSesApp(`smtp://127.0.0.1:${smtpPort}`, async (c, _dir, next) => {
      const raw = 'From: sam@kestrel.coffee\r\nTo: ana@example.com\r\nSubject: raw hello\r\n\r\nplain body\r\n';
      await c.send(new SendEmailCommand({ Content: { Raw: { Data: Buffer.from(raw) } } }));
      expect((await next()).status).toBe('delivered');
      const got = received.at(-1)!;
      expect(got.to).toEqual(['ana@example.com']);
      expect(got.mail.subject).toBe('raw hello');
      expect(got.mail.text?.trim()).toBe('plain body');
    });
  });

  it('logs and records a failed delivery and keeps the .eml', async () => {
    // A port nothing listens on: take one from a server that is then closed.
    const probe = await startLocalHttpServer({ services: [] });
    const deadPort = probe.port;
    await probe.close();
    await withSesApp(`smtp://127.0.0.1:${deadPort}`, async (c, dir, next) => {
      const out = await c.send(
        new SendEmailCommand({
          FromEmailAddress: from,
          Destination: { ToAddresses: ['a@example.com'] },
          Content: { Simple: { Subject: { Data: 'x' }, Body: { Text: { Data: 'y' } } } },
        }),
      );
      const record = await next();
      expect(record.status).toBe('failed');
      expect(record.error).toMatch(/ECONNREFUSED|connect/i);
      expect(outboxFiles(dir).some((f) => f.includes(out.MessageId!))).toBe(true);
      expect(readFileSync(path.join(dir, 'outbox', 'deliveries.jsonl'), 'utf8')).toContain('"status":"failed"');
    });
  });
});
