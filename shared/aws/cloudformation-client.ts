/** The CloudFormation client (DescribeStacks for a deployment's outputs); the only importer of its SDK. */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { AiosError } from '../errors';
import type { StackOutput } from '../deployment/outputs';
import { clientConfig, type ClientOptions } from './client-config';

export class StackNotFoundError extends AiosError {
  constructor(stackName: string, cause?: unknown) {
    super(
      'Deployment.StackNotFound',
      `no stack named ${stackName} in this account and region: pass --stack <name> (the name \`cdk deploy\` used) and check AWS_REGION`,
      { stackName },
      { cause },
    );
  }
}

export function cloudFormationClient(options: ClientOptions = {}, env: NodeJS.ProcessEnv = process.env): CloudFormationClient {
  return new CloudFormationClient(clientConfig('CLOUDFORMATION', options, env));
}

/** A stack's outputs, as DescribeStacks gives them. */
export async function stackOutputs(client: Pick<CloudFormationClient, 'send'>, stackName: string): Promise<StackOutput[]> {
  try {
    const out = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = out.Stacks?.[0];
    if (!stack) throw new StackNotFoundError(stackName);
    return stack.Outputs ?? [];
  } catch (error) {
    if ((error as { name?: string; message?: string }).name === 'ValidationError' && /does not exist/.test(String((error as Error).message)))
      throw new StackNotFoundError(stackName, error);
    throw error;
  }
}
