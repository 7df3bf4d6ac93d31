/**
 * An approval step: ask the approvers (waitForTaskToken) → approved?; on the
 * deadline, ask the escalation approvers or record the timeout.
 */
import type { ApprovalStep } from '../../definition/workflow';
import { approvalExpireInputSchema, approvalRequestInputSchema } from '../../contracts';
import { approverIds } from '../../rights/approvers';
import { parseDuration } from '../../rights/duration';
import type { AslState } from '../asl';
import { lambdaTask } from '../lambda-task';
import type { StepCompiler, StepStates } from '../step-compiler';
import { fromState, fromTemplate, renderPayload, runFields } from '../task-payload';

export const compileApprovalStep: StepCompiler<ApprovalStep> = (step, { title: t, next, catches, entryOf }, { workflow, os }) => {
  // Sorted so the document does not depend on the order people are listed in.
  const resolve = (approvers: readonly string[]) => approverIds(approvers, os.people).sort();
  const ask = (stage: 'primary' | 'escalation', approvers: string[], quorum: number, timeoutSeconds: number, onTimeout: string): AslState =>
    lambdaTask({
      fn: 'FnApprovalRequest',
      waitForTaskToken: true,
      payload: renderPayload(approvalRequestInputSchema, {
        taskToken: fromState('$$.Task.Token'),
        ...runFields(workflow.id, step.id, null),
        stage,
        subject: step.subject,
        details: fromTemplate(step.details ?? null),
        approvers,
        quorum,
        timeoutSeconds,
      }),
      timeoutSeconds,
      resultPath: `$.steps.${step.id}`,
      retry: step.retry,
      catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: `$.steps.${step.id}`, Next: onTimeout }, ...catches],
      next: `${t}: approved?`,
    });
  const escalate = step.onTimeout !== 'reject' ? step.onTimeout : undefined;
  const onReject = step.onReject ? entryOf(step.onReject) : undefined;
  const states: StepStates = {
    [`${t}: await`]: ask('primary', resolve(step.approvers), step.quorum ?? 1, parseDuration(step.timeout), escalate ? `${t}: escalate` : `${t}: timed out`),
  };
  if (escalate) {
    states[`${t}: escalate`] = ask('escalation', resolve(escalate.escalateTo), escalate.quorum ?? 1, parseDuration(escalate.timeout), `${t}: timed out`);
  }
  states[`${t}: timed out`] = lambdaTask({
    fn: 'FnApprovalRequest',
    payload: renderPayload(approvalExpireInputSchema, { action: 'expire', runId: fromState('$.run.id'), stepId: step.id, toolUseId: null }),
    resultPath: null,
    catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: `${t}: not approved in time` }],
    next: `${t}: not approved in time`,
  });
  states[`${t}: not approved in time`] = {
    Type: 'Pass',
    Result: { approved: false, timedOut: true },
    ResultPath: `$.steps.${step.id}`,
    Next: `${t}: approved?`,
  };
  states[`${t}: approved?`] = {
    Type: 'Choice',
    Choices: [{ Variable: `$.steps.${step.id}.approved`, BooleanEquals: true, Next: next }],
    Default: onReject ?? `${t}: rejected`,
  };
  if (!onReject) states[`${t}: rejected`] = { Type: 'Fail', Error: 'Approval.Rejected', Cause: `"${step.subject}" was rejected or not approved in time.` };
  return states;
};
