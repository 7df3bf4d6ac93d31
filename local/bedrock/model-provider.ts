/**
 * A source of Converse answers behind the local Bedrock Runtime endpoint.
 * Providers throw `AwsServiceError` (type = the Bedrock exception name) for
 * answers the SDK should see as a Bedrock error.
 */
import type { ConverseRequest, ConverseResponse } from '../../shared/agents/converse-shapes';

export interface InvokeModelCall {
  modelId: string;
  body: Uint8Array;
  contentType?: string;
  accept?: string;
}

export interface ModelProvider {
  /** `replay`, `openai`, `bedrock` (shown at start and in errors). */
  readonly name: string;
  converse(request: ConverseRequest): Promise<ConverseResponse>;
  /**
   * Throws, naming what is missing, when the provider cannot answer anything at all (the bedrock provider without AWS
   * credentials), so a command that runs many conversations stops once with that sentence instead of failing each.
   */
  ready?(): Promise<void>;
  /** InvokeModel (e.g. Titan embeddings), offered by pass-through providers only. */
  invoke?(call: InvokeModelCall): Promise<{ body: Uint8Array; contentType: string }>;
}
