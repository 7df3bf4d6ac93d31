/**
 * The local EventBridge: the AWS JSON 1.1 API (`X-Amz-Target: AWSEvents.*`)
 * served by the one-port local server. Buses, rules and targets persist in
 * `<dataDir>/eventbridge.sqlite`; every accepted event is archived there and
 * can be listed and replayed (local extension actions `LocalListEvents` and
 * `LocalReplayEvent`, which the `aios events` command uses). The deliveries an
 * event owes are stored with it before PutEvents answers; whoever owns the
 * service calls `resumeDeliveries()` once its targets are reachable, so what
 * a crash or shutdown interrupted is delivered (at least once, as on AWS).
 *
 * This file is the API: it dispatches each action to the control plane
 * (control-plane.ts), the router (routing.ts) or the archive (archive.ts).
 *
 * @example
 * const eventBridge = createEventBridgeService({ dataDir, targets: { startExecution, invokeFunction } });
 * const server = await startLocalHttpServer({ services: [eventBridge] });
 * eventBridge.resumeDeliveries();
 */
import { randomUUID } from 'node:crypto';
import { AwsServiceError, type AwsJsonService } from '../server/aws-json-service';
import { EventBridgeArns, type Input } from './api-input';
import { EventArchive } from './archive';
import { EventBridgeControlPlane } from './control-plane';
import { EventBridgeStore } from './eventbridge-store';
import { EventRouter } from './routing';
import { DEFAULT_RETRY, type EventTargetPorts, type RetryPolicy } from './target-delivery';

export interface EventBridgeServiceOptions {
  store: EventBridgeStore;
  targets: EventTargetPorts;
  account?: string;
  region?: string;
  retry?: RetryPolicy;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

export class EventBridgeService implements AwsJsonService {
  readonly targetPrefix = 'AWSEvents';
  readonly jsonVersion = '1.1' as const;

  private readonly store: EventBridgeStore;
  private readonly arns: EventBridgeArns;
  private readonly control: EventBridgeControlPlane;
  private readonly router: EventRouter;
  private readonly archive: EventArchive;
  private readonly now: () => number;

  constructor(options: EventBridgeServiceOptions) {
    const now = options.now ?? Date.now;
    this.now = now;
    this.store = options.store;
    this.arns = new EventBridgeArns(options.account ?? '000000000000', options.region ?? 'us-east-1');
    this.control = new EventBridgeControlPlane(this.store, this.arns, now);
    this.router = new EventRouter({
      store: this.store,
      arns: this.arns,
      ports: options.targets,
      retry: options.retry ?? DEFAULT_RETRY,
      now,
      checkPattern: (text) => this.control.checkPattern(text),
    });
    this.archive = new EventArchive(this.store, this.router, now);
    this.ensureBus('default');
  }

  /** Creates the bus if it is missing (the local runtime calls it for `aios` at start). */
  ensureBus(name: string): void {
    this.control.ensureBus(name);
  }

  /** Resolves once every delivery started so far has finished (tests, shutdown). */
  whenIdle(): Promise<void> {
    return this.router.whenIdle();
  }

  /** Starts the deliveries owed by events accepted before the last stop (a crash included); returns how many. */
  resumeDeliveries(): number {
    return this.router.resumeDeliveries();
  }

  /**
   * Waits for deliveries, then closes the store. From the call on, a delivery that fails (its target shutting
   * down too) stays owed for the next start rather than being recorded as failed.
   */
  async close(): Promise<void> {
    this.router.stopSettlingFailures();
    await this.whenIdle();
    this.store.close();
  }

  /**
   * Sends an AWS service's event to the `default` bus, as the service does on AWS (Step Functions' "Execution Status
   * Change"); returns the event's id when a rule matched it, else null (nothing was kept).
   */
  publishServiceEvent(entry: { source: string; detailType: string; resources: string[]; detail: Record<string, unknown> }): string | null {
    const event = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.detailType,
      source: entry.source,
      account: this.arns.account,
      time: `${new Date(this.now()).toISOString().slice(0, 19)}Z`,
      region: this.arns.region,
      resources: entry.resources,
      detail: entry.detail,
    };
    return this.router.routeServiceEvent('default', event).length > 0 ? event.id : null;
  }

  busArn(name: string): string {
    return this.arns.bus(name);
  }

  ruleArn(bus: string, name: string): string {
    return this.arns.rule(bus, name);
  }

  async handle(action: string, input: Input): Promise<unknown> {
    switch (action) {
      case 'PutEvents':
        return this.router.putEvents(input);
      case 'TestEventPattern':
        return this.router.testEventPattern(input);
      case 'CreateEventBus':
        return this.control.createEventBus(input);
      case 'DescribeEventBus':
        return this.control.describeEventBus(input);
      case 'ListEventBuses':
        return this.control.listEventBuses(input);
      case 'DeleteEventBus':
        return this.control.deleteEventBus(input);
      case 'PutRule':
        return this.control.putRule(input);
      case 'DescribeRule':
        return this.control.describeRule(input);
      case 'ListRules':
        return this.control.listRules(input);
      case 'DeleteRule':
        return this.control.deleteRule(input);
      case 'EnableRule':
        return this.control.setRuleState(input, 'ENABLED');
      case 'DisableRule':
        return this.control.setRuleState(input, 'DISABLED');
      case 'PutTargets':
        return this.control.putTargets(input);
      case 'ListTargetsByRule':
        return this.control.listTargetsByRule(input);
      case 'RemoveTargets':
        return this.control.removeTargets(input);
      case 'LocalListEvents':
        return this.archive.localListEvents(input);
      case 'LocalReplayEvent':
        return this.archive.localReplayEvent(input);
      default:
        throw new AwsServiceError('UnknownOperationException', `The local EventBridge does not implement ${action}.`);
    }
  }
}

/** Opens the store under `dataDir` (or in memory with `':memory:'`) and builds the service. */
export function createEventBridgeService(options: Omit<EventBridgeServiceOptions, 'store'> & { dataDir: string }): EventBridgeService {
  const { dataDir, ...rest } = options;
  return new EventBridgeService({ ...rest, store: new EventBridgeStore(dataDir) });
}
