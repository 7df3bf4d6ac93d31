/** The Bedrock control plane client (model lifecycle, inference profiles); the only importer of its SDK. */
import { BedrockClient, GetFoundationModelCommand, GetInferenceProfileCommand } from '@aws-sdk/client-bedrock';
import type { FoundationModelAnswer, InferenceProfileAnswer } from '../deployment/doctor';
import { clientConfig, type ClientOptions } from './client-config';

export function bedrockControlClient(options: ClientOptions = {}, env: NodeJS.ProcessEnv = process.env): BedrockClient {
  return new BedrockClient(clientConfig('BEDROCK', options, env));
}

const asError = (error: unknown) => ({ error: { name: (error as Error).name ?? 'Error', message: (error as Error).message } });

/** GetFoundationModel for a model id, inference profile id or ARN (asked by its base model id). */
export async function foundationModel(client: Pick<BedrockClient, 'send'>, modelIdentifier: string): Promise<FoundationModelAnswer> {
  return client.send(new GetFoundationModelCommand({ modelIdentifier })).then((out) => ({ modelDetails: out.modelDetails }), asError);
}

export async function inferenceProfile(client: Pick<BedrockClient, 'send'>, inferenceProfileIdentifier: string): Promise<InferenceProfileAnswer> {
  return client
    .send(new GetInferenceProfileCommand({ inferenceProfileIdentifier }))
    .then((out) => ({ status: out.status, inferenceProfileId: out.inferenceProfileId }), asError);
}
