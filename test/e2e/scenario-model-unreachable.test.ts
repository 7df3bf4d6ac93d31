/**
 * `aios eval` against a model server that is not running: the agent step retries the unreachable model for longer
 * than a scenario may run, and the run's stop says what it was waiting for, not only that it ran out of time.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runScenario } from '../../local/scenarios/run-scenario';
import { loadValidOs } from '../../shared/definition';
import { scenarioSchema } from '../../shared/scenarios/scenario-schema';
import exampleOs from '../../examples/kestrel-coffee';
import { EXAMPLE_DIR } from '../support/example';

it("a run stopped while the model cannot be reached names the model's error", async () => {
  const file = path.join(EXAMPLE_DIR, 'scenarios', '01-small-refund-allowed.json');
  const unreachable = Object.assign(new Error('the OpenAI-compatible server at http://127.0.0.1:9/v1 cannot be reached (fetch failed); is it running?'), {
    name: 'ServiceUnavailableException',
  });
  const result = await runScenario({
    os: loadValidOs(exampleOs),
    scenario: scenarioSchema.parse(JSON.parse(readFileSync(file, 'utf8'))),
    file,
    recordingsDir: path.join(EXAMPLE_DIR, 'recordings'),
    converse: () => Promise.reject(unreachable),
    maxRunMs: 1000,
  });
  expect(result.observed.status).toBe('failed');
  expect(result.observed.error).toBe(`Scenario.Timeout: the run did not finish within 1 s; the model's last error: ${unreachable.message}`);
});
