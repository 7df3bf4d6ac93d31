/**
 * What a deployment costs each month before any run: secrets, the alarm
 * topic's KMS key, alarms, log storage, and the tables' storage with
 * point-in-time recovery at a given data size. With the per-run costs, the
 * month at a given number of runs.
 */
import type { DeploymentPlan } from '../deployment/deployment-plan';
import type { CostLine, WorkflowCost } from './run-cost';

/** us-east-1 list prices (USD per month), as published on the services' pricing pages in 2025. */
export const US_EAST_1_MONTHLY_PRICES = {
  /** Secrets Manager, per secret per month. */
  secret: 0.4,
  /** KMS, per customer managed key per month (the alarm topic's key). */
  kmsKey: 1,
  /** CloudWatch, per standard-resolution alarm per month. */
  alarm: 0.1,
  /** CloudWatch Logs, per GB stored per month. */
  logStorageGbMonth: 0.03,
  /** DynamoDB on demand (Standard table class), per GB stored per month. */
  dynamoDbStorageGbMonth: 0.25,
  /** DynamoDB continuous backups (point-in-time recovery), per GB per month. */
  pitrGbMonth: 0.2,
} as const;

export type MonthlyPrices = { -readonly [K in keyof typeof US_EAST_1_MONTHLY_PRICES]: number };

export interface FixedCostAssumptions {
  /** Data in the three tables, GB. */
  dataGb: number;
  /** Logs kept (functions, state machines, API), GB. */
  logGb: number;
  /** Secrets the stack creates (the link key and one per webhook source). */
  secrets: number;
}

export const DEFAULT_FIXED_ASSUMPTIONS: Omit<FixedCostAssumptions, 'secrets'> = { dataGb: 1, logGb: 5 };

/** The alarms the stack creates: failed and timed-out per workflow, errors and throttles per function, one per dead-letter queue. */
export function alarmCount(plan: Pick<DeploymentPlan, 'workflows' | 'functions' | 'schedules'>): number {
  return 2 * plan.workflows.length + 2 * plan.functions.length + 1 + (plan.schedules.length > 0 ? 1 : 0);
}

/**
 * The fixed monthly lines.
 *
 * @example fixedMonthlyCost(plan, { dataGb: 1, logGb: 5, secrets: 8 }).reduce((s, l) => s + l.usd, 0)
 */
export function fixedMonthlyCost(
  plan: Pick<DeploymentPlan, 'workflows' | 'functions' | 'schedules'>,
  a: FixedCostAssumptions,
  prices: MonthlyPrices = { ...US_EAST_1_MONTHLY_PRICES },
): CostLine[] {
  const line = (item: string, quantity: number, unit: string, unitPrice: number): CostLine => ({ item, quantity, unit, unitPrice, usd: quantity * unitPrice });
  return [
    line('Secrets Manager secrets', a.secrets, 'secret-month', prices.secret),
    line('KMS key (alarm topic)', 1, 'key-month', prices.kmsKey),
    line('CloudWatch alarms', alarmCount(plan), 'alarm-month', prices.alarm),
    line('CloudWatch Logs storage', a.logGb, 'GB-month', prices.logStorageGbMonth),
    line('DynamoDB storage', a.dataGb, 'GB-month', prices.dynamoDbStorageGbMonth),
    line('DynamoDB point-in-time recovery', a.dataGb, 'GB-month', prices.pitrGbMonth),
  ];
}

export interface MonthlyTotal {
  runsPerMonth: number;
  fixedUsd: number;
  /** Runs spread evenly over the workflows. */
  runsUsd: number;
  totalUsd: number;
}

/** The month at `runsPerMonth` runs, spread evenly over the workflows. */
export function monthlyTotal(perRun: readonly WorkflowCost[], fixed: readonly CostLine[], runsPerMonth: number): MonthlyTotal {
  const fixedUsd = fixed.reduce((s, l) => s + l.usd, 0);
  const averageRun = perRun.length ? perRun.reduce((s, w) => s + w.totalUsd, 0) / perRun.length : 0;
  const runsUsd = averageRun * runsPerMonth;
  return { runsPerMonth, fixedUsd, runsUsd, totalUsd: fixedUsd + runsUsd };
}

/** The fixed lines and the month's total as Markdown. */
export function renderMonthly(fixed: readonly CostLine[], total: MonthlyTotal, a: FixedCostAssumptions): string {
  const usd = (n: number) => `$${n.toFixed(2)}`;
  const out = ['### every month, before any run', '', '| item | quantity | unit price | cost |', '|---|---:|---:|---:|'];
  for (const l of fixed) out.push(`| ${l.item} | ${l.quantity} | $${l.unitPrice} / ${l.unit} | ${usd(l.usd)} |`);
  out.push(`| **fixed** | | | **${usd(total.fixedUsd)}** |`, '');
  out.push(
    `At ${total.runsPerMonth} runs a month (spread evenly over the workflows): ${usd(total.fixedUsd)} fixed + ${usd(total.runsUsd)} runs = **${usd(total.totalUsd)} a month**.`,
  );
  out.push(`Assumed: ${a.dataGb} GB in the tables, ${a.logGb} GB of logs kept; log ingestion, API requests and data transfer are not included.`);
  return `${out.join('\n')}\n`;
}
