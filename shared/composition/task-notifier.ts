/** Resuming a workflow that waits on a task token (Step Functions SendTaskSuccess), for this environment's endpoint. */
import { SendTaskHeartbeatCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import type { TaskNotifier } from '../approvals/approval-service';
import { isTaskGone } from '../approvals/decision-effects';
import { sfnClient } from '../aws/sfn';
import type { AiosEnvironment } from './environment';

export function taskNotifier(env: AiosEnvironment): TaskNotifier {
  return {
    async sendTaskSuccess(taskToken, output) {
      await sfnClient({}, env.vars).send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    },
    async isWaiting(taskToken) {
      // A heartbeat changes nothing for a task without HeartbeatSeconds, and fails once no task waits.
      try {
        await sfnClient({}, env.vars).send(new SendTaskHeartbeatCommand({ taskToken }));
        return true;
      } catch (error) {
        if (isTaskGone(error)) return false;
        throw error;
      }
    },
  };
}
