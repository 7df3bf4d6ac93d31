import type { WebhookSource } from '../../shared/webhooks';
import type { WebhookSigner } from '../signer';
import { normaliseStripe } from './normalise';
import { signStripe, verifyStripe } from './signature';

export * from './schemas';
export { verifyStripe, signStripe } from './signature';
export { normaliseStripe } from './normalise';

export const stripeSource: WebhookSource = {
  name: 'stripe',
  eventSource: 'saas.stripe',
  secretName: 'webhook-stripe',
  verify: (request, secrets, now) => verifyStripe(request, secrets, now),
  normalise: (payload) => normaliseStripe(payload),
};

export const stripeSigner: WebhookSigner = { sign: signStripe };
