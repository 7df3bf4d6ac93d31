import type { Command } from 'commander';
import { webhookVendors } from '../../events';
import { currentOs } from '../../functions/current-os';
import { DEFAULT_FIXED_ASSUMPTIONS, fixedMonthlyCost, monthlyTotal, renderMonthly } from '../../shared/cost/fixed-cost';
import { planDeployment } from '../../shared/deployment/deployment-plan';
import { AiosError } from '../../shared/errors';
import { costPerRun, DEFAULT_ASSUMPTIONS, renderCostTables, US_EAST_1_PRICES, type CostAssumptions, type UnitPrices } from '../../shared/cost/run-cost';
import { printOut, terminalJson } from '../terminal-text';

function positive(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new AiosError('Cost.InvalidOption', `${name} must be a number ≥ 0, got "${text}"`);
  return n;
}

/** `name=value` overrides of the unit prices. */
export function parsePriceOverrides(pairs: readonly string[], base: UnitPrices = { ...US_EAST_1_PRICES }): UnitPrices {
  const prices = { ...base };
  for (const pair of pairs) {
    const [name, value] = pair.split('=');
    if (!name || value === undefined || !(name in prices)) {
      throw new AiosError('Cost.InvalidOption', `--price takes name=value with name one of ${Object.keys(prices).join(', ')}; got "${pair}"`);
    }
    prices[name as keyof UnitPrices] = positive(`--price ${name}`, value);
  }
  return prices;
}

/** `aios cost`: what one run of each workflow costs on AWS, from its compiled ASL, and the month with the fixed costs. */
export function register(program: Command): void {
  program
    .command('cost')
    .description('estimate what one run of each workflow costs on AWS (Step Functions, Lambda, DynamoDB, EventBridge, Bedrock) from its compiled ASL')
    .option(
      '--price <name=value>',
      'override a unit price in USD (repeatable), e.g. stateTransition=0.000025',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--turns <n>', 'think steps per agent run', String(DEFAULT_ASSUMPTIONS.agentTurns))
    .option('--tool-calls <n>', 'tool calls per acting turn', String(DEFAULT_ASSUMPTIONS.toolCallsPerTurn))
    .option('--input-tokens <n>', 'input tokens per think step', String(DEFAULT_ASSUMPTIONS.inputTokensPerTurn))
    .option('--output-tokens <n>', 'output tokens per think step', String(DEFAULT_ASSUMPTIONS.outputTokensPerTurn))
    .option('--runs <n>', 'runs a month, for the monthly total', '1000')
    .option('--data-gb <n>', 'GB of data in the tables (storage and point-in-time recovery)', String(DEFAULT_FIXED_ASSUMPTIONS.dataGb))
    .option('--log-gb <n>', 'GB of logs kept', String(DEFAULT_FIXED_ASSUMPTIONS.logGb))
    .option('--json', 'print JSON instead of Markdown tables')
    .action(
      (options: {
        price: string[];
        turns: string;
        toolCalls: string;
        inputTokens: string;
        outputTokens: string;
        runs: string;
        dataGb: string;
        logGb: string;
        json?: boolean;
      }) => {
        const prices = parsePriceOverrides(options.price);
        const assumptions: CostAssumptions = {
          ...DEFAULT_ASSUMPTIONS,
          agentTurns: Math.max(1, Math.round(positive('--turns', options.turns))),
          toolCallsPerTurn: Math.round(positive('--tool-calls', options.toolCalls)),
          inputTokensPerTurn: positive('--input-tokens', options.inputTokens),
          outputTokensPerTurn: positive('--output-tokens', options.outputTokens),
        };
        const os = currentOs();
        const costs = costPerRun(os, prices, assumptions);
        // The approval link key and the audit chain key, one per webhook source, and each tool secret the stack creates.
        const toolSecrets = new Set(os.tools.flatMap((t) => t.secrets.filter((s) => !s.awsSecretName).map((s) => s.name)));
        const secrets = 2 + new Set([...webhookVendors([]).values()].map((v) => v.source.secretName)).size + toolSecrets.size;
        const fixedAssumptions = { dataGb: positive('--data-gb', options.dataGb), logGb: positive('--log-gb', options.logGb), secrets };
        const fixed = fixedMonthlyCost(planDeployment(os), fixedAssumptions);
        const month = monthlyTotal(costs, fixed, Math.round(positive('--runs', options.runs)));
        printOut(
          options.json
            ? `${terminalJson({ prices, assumptions, workflows: costs, monthly: { assumptions: fixedAssumptions, fixed, ...month } }, 2)}\n`
            : `${renderCostTables(costs, prices, assumptions)}\n${renderMonthly(fixed, month, fixedAssumptions)}`,
        );
      },
    );
}
