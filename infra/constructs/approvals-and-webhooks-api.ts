/**
 * The public HTTP API (API Gateway v2): `GET/POST /approvals/{id}` → the
 * approval pages, `POST /webhooks/{source}` → webhook ingest. Throttled,
 * access-logged. Callers are authenticated by the functions themselves:
 * approval links are signed per approver, webhooks by the vendor's signature.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { AiosSettings } from '../settings';
import { retentionDays } from './functions';

const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  time: '$context.requestTime',
  method: '$context.httpMethod',
  // the route key, not the raw path: approval ids stay out of the logs' hot fields
  route: '$context.routeKey',
  status: '$context.status',
  length: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationError: '$context.integrationErrorMessage',
});

export class AiosApprovalsAndWebhooksApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  /** The base URL, without a trailing slash. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: { settings: AiosSettings }) {
    super(scope, id);
    const { settings } = props;
    this.api = new apigw.HttpApi(this, 'Api', {
      apiName: `${settings.namePrefix}-api`,
      description: 'AIOS approval pages and SaaS webhooks',
      createDefaultStage: false,
    });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: retentionDays(settings.logRetentionDays),
      removalPolicy: settings.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: settings.apiRateLimit, burstLimit: settings.apiBurstLimit },
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(accessLogs), format: AccessLogFormat.custom(ACCESS_LOG_FORMAT) },
    });
    this.url = this.api.apiEndpoint;
  }

  /** `GET /approvals/{id}` shows a request, `POST /approvals/{id}` decides it. */
  routeApprovals(fn: lambda.IFunction): void {
    this.route(
      'Approvals',
      '/approvals/{id}',
      [apigw.HttpMethod.GET, apigw.HttpMethod.POST],
      fn,
      'Approval pages are reached through links emailed to one approver; each link carries an HMAC signature for that approver and an expiry, checked by the function. An IAM or Cognito authorizer would force approvers to hold AWS or app accounts.',
    );
  }

  /** `GET/POST /console` and below: the web console (infra/constructs/console.ts). */
  routeConsole(fn: lambda.IFunction): void {
    const reason =
      'The console signs people in itself: a single-use link emailed to a person of the definition, bound to the browser that asked, then an HttpOnly SameSite=Strict session stored server-side, and a CSRF token on every form. An IAM or Cognito authorizer would make approvers hold AWS or app accounts.';
    this.route('Console', '/console', [apigw.HttpMethod.GET, apigw.HttpMethod.POST], fn, reason);
    this.route('ConsolePages', '/console/{proxy+}', [apigw.HttpMethod.GET, apigw.HttpMethod.POST], fn, reason);
  }

  /** `POST /webhooks/{source}`: SaaS events, verified by the vendor's signature. */
  routeWebhooks(fn: lambda.IFunction): void {
    this.route(
      'Webhooks',
      '/webhooks/{source}',
      [apigw.HttpMethod.POST],
      fn,
      "SaaS vendors (Stripe, GitHub, Shopify, Slack, Zendesk, HubSpot) call this route with their own signature header, verified by the function against the vendor's signing secret; vendors cannot present AWS or Cognito credentials.",
    );
  }

  private route(id: string, path: string, methods: apigw.HttpMethod[], fn: lambda.IFunction, reason: string): void {
    const routes = this.api.addRoutes({ path, methods, integration: new HttpLambdaIntegration(`${id}Integration`, fn) });
    for (const route of routes) Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason });
  }
}
