import { parseEnvironment } from '../../../shared/composition/environment';
import { toolPortsFrom } from '../../../shared/composition/tool-ports';
import { RecordingPublisher } from '../../../shared/webhooks/event-publisher';

const env = parseEnvironment({ AWS_REGION: 'us-east-1' });

test('a port the function was not given refuses with a stable code; a given one is the factory’s', async () => {
  const publisher = new RecordingPublisher();
  const ports = toolPortsFrom(env, { publisher: () => publisher });
  expect(ports.publisher).toBe(publisher);
  await expect(ports.sendEmail({ to: 'a@b.c', subject: 's', text: 't' })).rejects.toMatchObject({ name: 'Tool.PortNotGranted' });
  await expect(ports.knowledge.search({ query: 'refunds' } as never)).rejects.toMatchObject({
    name: 'Tool.PortNotGranted',
    message: expect.stringContaining('knowledge'),
  });
});
